// Sections that run other commands' studies inside the report: "order" (issue 3, `normdyn order`: the
// convergence-order and work–precision figures, figure 7) and "checks" (issue 4, `normdyn check`: every
// named theorem check, whose ids the summary table links).
#include "reproduce.hpp"

#include "order_report.hpp"
#include "proofs-check/check.hpp"

#include "normdyn/measure/order_study.hpp"

#include <algorithm>
#include <cmath>

namespace normdyn::cli::reproduce {

void order_section(Context& context) {
    context.paragraph(
        "The convergence-order study of `normdyn order` (Post-LN, full system, n = 6, d = 4, β = 1, t = 2): fixed-step "
        "ladders for each stepper in 50-digit arithmetic against a Bulirsch–Stoer reference at tolerance 1e-40, the "
        "observed order fitted on the asymptotic range with a 95% interval; and the work–precision sets of the "
        "adaptive steppers in double. The verdict: observed order within ±0.15 of the nominal one.");
    measure::OrderProblem problem;
    measure::StudyOptions options;
    options.steppers = {solve::Stepper::euler, solve::Stepper::rk4, solve::Stepper::cash_karp54, solve::Stepper::dopri5,
                        solve::Stepper::rkf78};
    options.quick = context.quick();
    if (context.quick()) options.timing_repeats = 1;
    context.progress(0.05, "order study (mp50)");
    const auto study = measure::run_study(problem, options);
    context.data("order_study", study_json(study, report::Json::object(), ""));
    auto error_figure = error_vs_step_figure(study);
    error_figure.name = "fig7_order_error_vs_step";
    context.figure(error_figure,
                   "Error at t_end against the fixed step for each stepper (50-digit arithmetic, so the high orders "
                   "have room before round-off), with the nominal slopes dashed.");
    auto work_figure = work_precision_figure(study);
    work_figure.name = "fig7_work_precision";
    context.figure(work_figure,
                   "Work–precision: error against right-hand-side evaluations and against wall time for the adaptive "
                   "steppers in double precision, at tolerances 1e-3 … 1e-12.");
    for (const auto& row : study.orders) {
        if (row.nominal <= 0) continue;
        const bool pass = measure::observed_within(row, order_tolerance);
        context.claim({"Numerics: " + solve::to_string(row.stepper) + " converges at its nominal order " +
                           std::to_string(row.nominal),
                       pass ? report::Verdict::pass : report::Verdict::fail,
                       "observed " + format_number(row.fit.observed, 4) + " [" + format_number(row.fit.ci95[0], 4) + ", " +
                           format_number(row.fit.ci95[1], 4) + "]",
                       std::to_string(row.nominal) + " ± 0.15", error_figure.name, "order/" + solve::to_string(row.stepper), ""});
    }
}

void checks_section(Context& context) {
    const auto tier = context.quick() ? checks::Tier::quick : checks::Tier::full;
    context.paragraph(
        "Every named check of proofs-check/ (`normdyn check`, " + checks::to_string(tier) + " tier): the claim, its "
        "regime, the measured value with its uncertainty, the prediction, the tolerance and the verdict. A "
        "counterexample verdict means the spec lists the printed statement as false and the check exhibited the case.");
    const checks::Progress progress = [&](std::size_t index, std::size_t total, const std::string& id, const checks::CheckResult*) {
        context.progress(double(index) / double(std::max<std::size_t>(total, 1)), id);
    };
    const auto results = checks::run_all(tier, "", progress);
    report::Table table{"Theorem checks (proofs-check/).", {"check id", "claim", "measured", "predicted", "verdict"}, {},
                        "proofs_check"};
    // The summary table gets one row per family (the id up to its second '/'); this section lists every check.
    struct Family { std::string claim{}; std::size_t checks = 0, failed = 0, counterexamples = 0; std::string measured{}, predicted{}; };
    std::vector<std::pair<std::string, Family>> families;
    for (const auto& result : results) {
        const auto first = result.id.find('/');
        const auto second = first == std::string::npos ? first : result.id.find('/', first + 1);
        const std::string family = result.id.substr(0, second);
        auto it = std::find_if(families.begin(), families.end(), [&](const auto& f) { return f.first == family; });
        if (it == families.end()) it = families.insert(families.end(), {family, Family{result.claim}});
        ++it->second.checks;
        it->second.failed += result.verdict == checks::Verdict::fail;
        it->second.counterexamples += result.verdict == checks::Verdict::counterexample;
        if (it->second.checks == 1) {
            it->second.measured = format_number(result.measured, 6);
            it->second.predicted = format_number(result.predicted, 6) + " (" + result.criterion + ")";
        }
    }
    for (const auto& [family, f] : families) {
        const auto verdict = f.failed > 0 ? report::Verdict::fail
                             : f.counterexamples > 0 ? report::Verdict::counterexample : report::Verdict::pass;
        const std::string tally = std::to_string(f.checks - f.failed) + " of " + std::to_string(f.checks) + " checks succeed";
        context.claim({f.claim, verdict, f.checks == 1 ? f.measured + "; " + tally : tally,
                       f.checks == 1 ? f.predicted : "see the checks section", "", family + (f.checks == 1 ? "" : "/*"), ""});
    }
    for (const auto& result : results) {
        const std::string measured = format_number(result.measured, 6) +
                                     (result.uncertainty > 0 ? " ± " + format_number(result.uncertainty, 2) : "");
        const std::string predicted = format_number(result.predicted, 6) + " (" + result.criterion + ")";
        table.rows.push_back({result.id, result.claim, measured, predicted, checks::to_string(result.verdict)});
    }
    context.table(table, checks::to_json(results, tier, ""));
}

}  // namespace normdyn::cli::reproduce
