// `normdyn order`'s document, report and figures, all from a measure::Study (see order_report.hpp).
#include "order_report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace normdyn::cli {

namespace {

using report::Json;
using report::real_to_json;

std::string format(const char* spec, double x) {
    if (!std::isfinite(x)) return report::non_finite_name(x);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, spec, x);
    return buffer;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
    return out;
}

Json problem_json(const measure::Study& study) {
    const auto& p = study.problem;
    Json params;
    params["scheme"] = model::to_string(p.scheme);
    params["system"] = measure::system_name(p.system);
    params["n"] = p.n;
    if (p.system == measure::SystemKind::particles) {
        params["d"] = p.d;
        params["init"] = model::to_string(p.init);
        params["seed"] = p.seed;
    } else {
        params["init"] = "orthonormal";
    }
    params["beta"] = p.beta, params["r0"] = p.r0, params["tau"] = p.tau, params["alpha"] = p.alpha;
    params["t_end"] = p.t_end;
    params["breakpoints"] = p.stop_at_breakpoints;
    Json steppers = Json::array();
    for (auto s : study.options.steppers) steppers.push_back(solve::to_string(s));
    params["steppers"] = steppers;
    params["ratio"] = study.options.ratio;
    params["quick"] = study.options.quick;
    params["precision"] = study.options.precision;
    params["work_precision_precision"] = study.options.work_precision_precision;
    params["tolerances"] = study.options.tolerances;
    return params;
}

Json order_row_json(const measure::OrderRow& row) {
    Json out;
    out["stepper"] = solve::to_string(row.stepper);
    out["nominal"] = row.nominal;
    out["observed"] = real_to_json(row.fit.observed);
    out["ci95"] = Json::array({real_to_json(row.fit.ci95[0]), real_to_json(row.fit.ci95[1])});
    out["points_used"] = row.fit.points_used;
    out["flags"] = row.fit.flags;
    out["within_tolerance"] = measure::observed_within(row, order_tolerance);
    out["extended_by"] = row.extended_by;
    Json ladder = Json::array();
    for (const auto& point : row.points) {
        Json p{{"steps", point.steps}, {"h", real_to_json(point.step)}, {"error", real_to_json(point.error)},
               {"rhs_evals", point.rhs_evals}, {"wall_s", point.wall_s}, {"used", point.used}};
        if (!point.failure.empty()) p["failure"] = point.failure;
        ladder.push_back(p);
    }
    out["ladder"] = ladder;
    return out;
}

Json work_precision_json(const measure::WorkPrecisionSet& set) {
    Json points = Json::array();
    for (const auto& point : set.points) {
        Json p{{"tolerance", point.tolerance}, {"error", real_to_json(point.error)}, {"steps", point.steps},
               {"rejected", point.rejected}, {"rhs_evals", point.rhs_evals}, {"wall_s", point.wall_s}};
        if (!point.failure.empty()) p["failure"] = point.failure;
        points.push_back(p);
    }
    return Json{{"stepper", solve::to_string(set.stepper)}, {"points", points}};
}

bool mix_ln_without_breakpoints(const measure::Study& study) {
    return model::scheme_row(study.problem.scheme).switches && !study.problem.stop_at_breakpoints;
}

}  // namespace

std::string study_status(const measure::Study& study) {
    for (const auto& row : study.orders)
        for (const auto& point : row.points)
            if (!point.failure.empty()) return "partial";
    for (const auto& set : study.work_precision)
        for (const auto& point : set.points)
            if (!point.failure.empty()) return "partial";
    return "done";
}

Json study_json(const measure::Study& study, Json provenance, const std::string& command_line) {
    Json doc;
    doc["params"] = problem_json(study);
    provenance["command_line"] = command_line;
    doc["provenance"] = std::move(provenance);
    doc["status"] = study_status(study);
    doc["reference"] = {{"method", solve::to_string(study.options.reference_stepper)}, {"precision", "mp50"},
                        {"tolerance", study.options.reference_tolerance},
                        {"error_estimate", study.reference.error_estimate}, {"steps", study.reference.steps},
                        {"rhs_evals", study.reference.rhs_evals}, {"wall_s", study.reference.wall_s},
                        {"state", study.reference.state}};
    doc["error_floor"] = study.error_floor;
    Json orders = Json::array();
    for (const auto& row : study.orders) orders.push_back(order_row_json(row));
    doc["orders"] = orders;
    Json sets = Json::array();
    for (const auto& set : study.work_precision) sets.push_back(work_precision_json(set));
    doc["work_precision"] = sets;
    doc["notes"] = study.notes;
    doc["wall_s"] = study.wall_s;
    return doc;
}

std::string study_markdown(const measure::Study& study, const std::string& command_line) {
    const auto& p = study.problem;
    std::ostringstream md;
    md << "# Convergence orders: " << model::to_string(p.scheme) << ", " << measure::system_name(p.system)
       << " system\n\n";
    md << "Regenerate: `" << command_line << "`\n\n";
    md << "Problem: n = " << p.n;
    if (p.system == measure::SystemKind::particles) md << ", d = " << p.d << ", start " << model::to_string(p.init)
                                                  << " (seed " << p.seed << ")";
    else md << ", orthonormal start";
    md << ", β = " << p.beta << ", r0 = " << p.r0 << ", τ = " << p.tau << ", α = " << p.alpha << ", t_end = "
       << p.t_end << ", breakpoints " << (p.stop_at_breakpoints ? "on" : "off") << ".\n\n";
    md << "Error: max norm over the state at t_end against a reference from "
       << solve::to_string(study.options.reference_stepper) << " in mp50 at rtol = atol = "
       << format("%.0e", study.options.reference_tolerance) << " (" << study.reference.steps << " steps, "
       << format("%.2f", study.reference.wall_s) << " s); its distance to a run 1e4 times looser is "
       << format("%.1e", study.reference.error_estimate) << ". Fixed-step runs in " << study.options.precision
       << "; errors below 10 × " << format("%.1e", study.error_floor) << " count as floor.\n\n";
    md << "| stepper | nominal | observed | 95% CI | points used | flags | within ±" << order_tolerance << " |\n"
       << "|---|---|---|---|---|---|---|\n";
    for (const auto& row : study.orders)
        md << "| " << solve::to_string(row.stepper) << " | " << row.nominal << " | " << format("%.3f", row.fit.observed)
           << " | [" << format("%.3f", row.fit.ci95[0]) << ", " << format("%.3f", row.fit.ci95[1]) << "] | "
           << row.fit.points_used << " | " << join(row.fit.flags, ", ") << " | "
           << (measure::observed_within(row, order_tolerance) ? "yes" : "**no**") << " |\n";
    for (const auto& row : study.orders)
        if (row.extended_by > 0)
            md << "\n" << solve::to_string(row.stepper) << ": the ladder was extended by " << row.extended_by
               << " rung(s) because its finest pairwise slopes still drifted (a small leading error coefficient "
                  "makes the next term dominate at moderate steps).\n";
    md << "\nThe observed order is the least-squares slope of log error against log h over the asymptotic "
          "range that measure::fit_order finds (pre-asymptotic coarse steps and round-off-floor points are "
          "excluded and flagged; a slope more than 0.5 above nominal is flagged as superconvergence).\n\n";
    if (mix_ln_without_breakpoints(study))
        md << "## Why the order collapses without the breakpoint\n\n"
              "Mix-LN switches from Post-LN to Pre-LN at t = τ: the right-hand side jumps there. Without a stop "
              "at τ, one step per run contains τ (or starts on it and evaluates its first stage with the old "
              "law): its stages sample the wrong regime on a stretch of length O(h), so that single step commits "
              "a local error O(h) instead of O(h^(p+1)). The global error is then O(h) for every method, and all "
              "observed orders fall to about 1. When τ is not a grid point, the constant of that O(h) error depends on "
              "where τ falls inside its step, so the errors zigzag around an O(h) envelope and no clean slope "
              "exists (the fit then reports no asymptotic range rather than an order). Stopping exactly at τ "
              "and restarting (the default) recovers the nominal orders.\n\n";
    md << "## Ladders\n\n| stepper | N | h | error | RHS evaluations | used |\n|---|---|---|---|---|---|\n";
    for (const auto& row : study.orders)
        for (const auto& point : row.points)
            md << "| " << solve::to_string(row.stepper) << " | " << point.steps << " | " << format("%.4g", point.step)
               << " | " << format("%.3e", point.error) << " | " << point.rhs_evals << " | "
               << (point.used ? "yes" : "no") << (point.failure.empty() ? "" : " (" + point.failure + ")") << " |\n";
    if (!study.work_precision.empty()) {
        md << "\n## Work–precision (" << study.options.work_precision_precision << ", rtol = atol)\n\n"
           << "| stepper | tolerance | error | RHS evaluations | steps | rejected | wall (s, min of "
           << study.options.timing_repeats << ") |\n|---|---|---|---|---|---|---|\n";
        for (const auto& set : study.work_precision)
            for (const auto& point : set.points)
                md << "| " << solve::to_string(set.stepper) << " | " << format("%.0e", point.tolerance) << " | "
                   << format("%.3e", point.error) << " | " << point.rhs_evals << " | " << point.steps << " | "
                   << point.rejected << " | " << format("%.3g", point.wall_s) << " |\n";
    }
    if (!study.notes.empty()) {
        md << "\n## Notes\n\n";
        for (const auto& note : study.notes) md << "- " << note << "\n";
    }
    md << "\n## Figures\n\n![error against step](error_vs_step.png)\n\n![work-precision](work_precision.png)\n\n"
          "Each figure also comes as SVG and as a self-contained gnuplot script (`.gp`, data inline).\n\n"
          "Total wall time: "
       << format("%.1f", study.wall_s) << " s.\n";
    return md.str();
}

report::Figure error_vs_step_figure(const measure::Study& study) {
    report::Panel panel;
    panel.title = "error at t_end against step (" + model::to_string(study.problem.scheme) + ", " +
                  measure::system_name(study.problem.system) + ", breakpoints " +
                  (study.problem.stop_at_breakpoints ? "on" : "off") + ")";
    panel.x = {"step h", true, {}, {}};
    panel.y = {"max-norm error", true, {}, {}};
    panel.key = "bottom right";
    static const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"};
    std::size_t index = 0;
    for (const auto& row : study.orders) {
        const std::string color = colors[index++ % std::size(colors)];
        report::Series measured;
        measured.color = color;
        measured.legend = solve::to_string(row.stepper) + " (observed " + format("%.2f", row.fit.observed) + ")";
        measured.style = report::SeriesStyle::lines_points;
        double anchor_h = 0, anchor_e = 0, h_min = INFINITY, h_max = 0;
        for (const auto& point : row.points) {
            if (!(std::isfinite(point.error) && point.error > 0)) continue;
            measured.x.push_back(point.step), measured.y.push_back(point.error);
            h_min = std::min(h_min, point.step), h_max = std::max(h_max, point.step);
            if (point.used && (anchor_h == 0 || point.step < anchor_h)) anchor_h = point.step, anchor_e = point.error;
        }
        if (measured.x.empty()) continue;
        panel.series.push_back(measured);
        if (anchor_h > 0) {  // nominal slope, a decade below the finest used point so that both show
            report::Series nominal;
            nominal.color = color;
            nominal.legend = "nominal slope " + std::to_string(row.nominal) + " (shifted x0.1)";
            nominal.style = report::SeriesStyle::dashed;
            nominal.width = 1;
            for (double h : {h_min, h_max}) {
                nominal.x.push_back(h);
                nominal.y.push_back(0.1 * anchor_e * std::pow(h / anchor_h, row.nominal));
            }
            panel.series.push_back(nominal);
        }
    }
    report::Figure figure;
    figure.name = "error_vs_step";
    figure.panels = {panel};
    return figure;
}

report::Figure work_precision_figure(const measure::Study& study) {
    report::Panel by_work, by_time;
    by_work.title = "error against right-hand-side evaluations";
    by_work.x = {"RHS evaluations", true, {}, {}};
    by_time.title = "error against wall time";
    by_time.x = {"wall time (s)", true, {}, {}};
    for (report::Panel* panel : {&by_work, &by_time}) {
        panel->y = {"max-norm error at t_end", true, {}, {}};
        panel->key = "top right";
    }
    for (const auto& set : study.work_precision) {
        report::Series work, time;
        work.legend = time.legend = solve::to_string(set.stepper);
        work.style = time.style = report::SeriesStyle::lines_points;
        for (const auto& point : set.points) {
            if (!(std::isfinite(point.error) && point.error > 0)) continue;
            work.x.push_back(double(point.rhs_evals)), work.y.push_back(point.error);
            if (point.wall_s > 0) time.x.push_back(point.wall_s), time.y.push_back(point.error);
        }
        if (!work.x.empty()) by_work.series.push_back(work);
        if (!time.x.empty()) by_time.series.push_back(time);
    }
    report::Figure figure;
    figure.name = "work_precision";
    figure.title = "work-precision (" + study.options.work_precision_precision + ", " +
                   model::to_string(study.problem.scheme) + ")";
    figure.panels = {by_work, by_time};
    figure.columns = 2;
    figure.width = 1280;
    figure.height = 560;
    return figure;
}

}  // namespace normdyn::cli
