// Section "peers" (figure 8): the numerics of public research scripts (projected forward Euler at a fixed
// dt = 0.1: step, then renormalise every token) against the toolkit's steppers on one problem, drawn from
// the ladder study of the peers claims (proofs-check/peers_numerics.cpp).
#include "reproduce.hpp"

#include "proofs-check/peers_numerics.hpp"

#include <cmath>

namespace normdyn::cli::reproduce {

namespace {

const char* const method_colors[] = {"#000000", "#7f7f7f", "#1f77b4", "#2ca02c", "#d62728", "#9467bd"};

}  // namespace

void peers_section(Context& context) {
    context.paragraph(
        "Public research codes for these dynamics step with forward Euler followed by renormalisation at a fixed "
        "dt = 0.1, with no error control (spec §9). Here that method and the toolkit's steppers integrate the same "
        "problem (Post-LN, n = 16, d = 8, β = 1, seeded uniform start, t = 12.8, so that every step of the ladder "
        "0.1 · 2^k divides it); the error is the largest component difference at t = 12.8 from a long-double "
        "Bulirsch–Stoer reference (relative tolerance 1e-18). Observed orders are fitted on the asymptotic range, "
        "leaving out the round-off floor. The claims peers/* judge the projected Euler order and the rate bias.");
    const auto& study = checks::peers::ladder_study(context.claims());
    report::Figure figure{checks::peers::ladder_figure, "Projected forward Euler versus the toolkit's steppers (Post-LN, n = 16, d = 8)"};
    figure.columns = 2;
    figure.width = 1600;
    figure.height = 650;
    report::Panel by_dt{"error against the fixed step dt", {"dt (layers)", true}, {"max error at t = 12.8", true}};
    report::Panel by_work{"error against work", {"right-hand-side evaluations", true}, {"max error at t = 12.8", true}};
    by_dt.key = "top left";
    by_work.key = "top right";
    report::Table table{"Error at t = 12.8 and observed order (95% interval) per method of the ladder.",
                        {"method", "error at dt = 0.1", "RHS evals at dt = 0.1", "observed order", "95% CI", "nominal", "flags"},
                        {}, ""};
    for (std::size_t m = 0; m < study.methods.size(); ++m) {
        const auto& method = study.methods[m];
        report::Series series{method.name, {}, {}, {}, {}, report::SeriesStyle::lines_points, method_colors[m], 1.5};
        report::Series work = series;
        std::vector<std::string> row{method.name, "", "", "", "", format_number(method.nominal), ""};
        for (std::size_t i = 0; i < method.steps.size(); ++i) {
            if (method.errors[i] > 0) {
                series.x.push_back(method.steps[i]);
                series.y.push_back(method.errors[i]);
                work.x.push_back(method.rhs_evals[i]);
                work.y.push_back(method.errors[i]);
            }
            if (method.steps[i] == 0.1) {
                row[1] = format_number(method.errors[i], 3);
                row[2] = format_number(method.rhs_evals[i], 6);
            }
        }
        if (method.projected) {
            row[3] = "the claim `peers/projected-euler-order/post-ln`";  // shown once, in the summary
        } else {
            row[3] = format_number(method.order.observed, 4);
            row[4] = "[" + format_number(method.order.ci95[0], 4) + ", " + format_number(method.order.ci95[1], 4) + "]";
        }
        for (const auto& flag : method.order.flags) row[6] += (row[6].empty() ? "" : ", ") + flag;
        table.rows.push_back(row);
        by_dt.series.push_back(series);
        by_work.series.push_back(work);
    }
    report::Series adaptive{"dopri5 adaptive (rtol 1e-4 … 1e-12)", {}, {}, {}, {}, report::SeriesStyle::lines_points, "#ff7f0e", 2};
    for (const auto& run : study.adaptive)
        if (run.error > 0) {
            adaptive.x.push_back(double(run.rhs_evals));
            adaptive.y.push_back(run.error);
        }
    by_work.series.push_back(adaptive);
    figure.panels = {by_dt, by_work};
    context.figure(figure,
                   "Left: error at t = 12.8 against the step dt for projected forward Euler (what public scripts run, "
                   "dt = 0.1) and the toolkit's fixed-step methods; slopes are the orders (1 for both Euler variants, "
                   "4, 5, 5, 8 for the Runge–Kutta methods) until the round-off floor. Right: the same errors against "
                   "the work, with the toolkit's adaptive dopri5 — the honest comparison at equal cost.");
    context.table(table, {});
}

}  // namespace normdyn::cli::reproduce
