// Sections "order" (figure 7: `normdyn order`'s convergence-order and work–precision study, drawn from the
// study of the order/* claims, proofs-check/order_convergence.cpp) and "checks" (the claims no figure shows).
#include "reproduce.hpp"

#include "order_report.hpp"

#include "proofs-check/order_convergence.hpp"

namespace normdyn::cli::reproduce {

void order_section(Context& context) {
    context.paragraph(
        "The convergence-order study of `normdyn order` (Post-LN, full system, n = 6, d = 4, β = 1, t = 2): fixed-step "
        "ladders for each stepper in 50-digit arithmetic against a Bulirsch–Stoer reference at tolerance 1e-40, the "
        "observed order fitted on the asymptotic range with a 95% interval; and the work–precision sets of the "
        "adaptive steppers in double. The claims order/* pass when the observed order is within ±0.15 of the "
        "nominal one.");
    const auto& study = checks::order_convergence::order_study(context.claims());
    context.data("order_study", study_json(study, report::Json::object(), ""));
    auto error_figure = error_vs_step_figure(study);
    error_figure.name = checks::order_convergence::error_figure;
    context.figure(error_figure,
                   "Error at t_end against the fixed step for each stepper (50-digit arithmetic, so the high orders "
                   "have room before round-off), with the nominal slopes dashed.");
    auto work_figure = work_precision_figure(study);
    work_figure.name = checks::order_convergence::work_figure;
    context.figure(work_figure,
                   "Work–precision: error against right-hand-side evaluations and against wall time for the adaptive "
                   "steppers in double precision, at tolerances 1e-3 … 1e-12.");
}

void checks_section(Context& context) {
    context.paragraph(
        "The claims of proofs-check/ that no figure shows: Theorem 4.3 inside a cone, the energy identity and its "
        "sign (spec §3), and the published statements that fail (spec §6). Their numbers are in the summary table; "
        "`normdyn check` runs the same claims (the same checks, the same numbers for the same tier). A "
        "counterexample verdict means the spec lists the printed statement as false and the check exhibited the "
        "case.");
}

}  // namespace normdyn::cli::reproduce
