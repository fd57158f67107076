// Numerics: every stepper of the toolkit converges at its nominal order on the model (the study of
// `normdyn order`, spec §9's "observed order beside the nominal one").
#include "order_convergence.hpp"

#include "common.hpp"
#include "families.hpp"

namespace normdyn::checks::order_convergence {

using report::Claim;

namespace {

const std::vector<solve::Stepper> steppers = {solve::Stepper::euler, solve::Stepper::rk4, solve::Stepper::cash_karp54,
                                              solve::Stepper::dopri5, solve::Stepper::rkf78};

Claim nominal_order(const Context& ctx, solve::Stepper stepper) {
    const auto& study = order_study(ctx);
    const measure::OrderRow* row = nullptr;
    for (const auto& candidate : study.orders)
        if (candidate.stepper == stepper) row = &candidate;
    if (!row) throw std::logic_error("order study has no row for " + solve::to_string(stepper));
    Claim r;
    r.statement = "Numerics: " + solve::to_string(stepper) + " converges at its nominal order " + std::to_string(row->nominal);
    r.regime = "Post-LN, full system, n = 6, d = 4, beta = 1, t = 2, 50-digit arithmetic";
    r.method = "fixed-step ladder against a Bulirsch-Stoer reference at tolerance 1e-40; observed order fitted on the "
               "asymptotic range (measure::fit_order), uncertainty its 95% half-width";
    r.measured = row->fit.observed;
    r.uncertainty = (row->fit.ci95[1] - row->fit.ci95[0]) / 2;
    r.predicted = row->nominal;
    r.tolerance = tolerance;
    r.criterion = "|observed - nominal| <= 0.15";
    r.verdict = measure::observed_within(*row, tolerance) ? report::Verdict::pass : report::Verdict::fail;
    for (const auto& flag : row->fit.flags) r.details.push_back("fit flag: " + flag);
    r.figure = error_figure;
    return r;
}

}  // namespace

const measure::Study& order_study(const Context& ctx) {
    return ctx.study<measure::Study>("order/study", [&] {
        measure::StudyOptions options;
        options.steppers = steppers;
        options.quick = ctx.tier == Tier::quick;
        if (options.quick) options.timing_repeats = 1;
        return measure::run_study(measure::OrderProblem{}, options);
    });
}

}  // namespace normdyn::checks::order_convergence

namespace normdyn::checks {

void add_order_checks(std::vector<CheckDefinition>& checks) {
    using namespace order_convergence;
    for (solve::Stepper stepper : steppers)
        checks.push_back({"order/" + solve::to_string(stepper), true,
                          [=](const Context& ctx) { return nominal_order(ctx, stepper); }});
}

}  // namespace normdyn::checks
