// Convergence-order studies (measure/order_study.hpp): the verdicts of the quick mode, the Mix-LN collapse
// without its breakpoint, and the ladder arithmetic. The studies run in-process on small problems.
#include "normdyn/measure/order_study.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace normdyn;
using measure::OrderProblem;
using measure::StudyOptions;
using solve::Stepper;

namespace {

StudyOptions quick_options(std::vector<Stepper> steppers) {
    StudyOptions options;
    options.steppers = std::move(steppers);
    options.quick = true;
    options.tolerances = {1e-6};  // the work-precision sets are not under test here
    options.timing_repeats = 1;
    return options;
}

const measure::OrderRow& row_of(const measure::Study& study, Stepper stepper) {
    for (const auto& row : study.orders)
        if (row.stepper == stepper) return row;
    FAIL("no row for " << solve::to_string(stepper));
    return study.orders.front();
}

void require_nominal_orders(const measure::Study& study) {
    for (const auto& row : study.orders) {
        INFO(solve::to_string(row.stepper) << ": observed " << row.fit.observed << " [" << row.fit.ci95[0] << ", "
                                           << row.fit.ci95[1] << "], nominal " << row.nominal << ", points "
                                           << row.fit.points_used);
        CHECK(row.fit.points_used >= 3);
        CHECK(measure::interval_overlaps(row, 0.15));
        CHECK(measure::observed_within(row, 0.15));
    }
}

}  // namespace

TEST_CASE("Quick study: euler, rk4, cash-karp54, dopri5, rkf78 show orders 1, 4, 5, 5, 8 (Pre-LN, random start)",
          "[order]") {
    OrderProblem problem;
    problem.scheme = model::SchemeKind::pre_ln;
    problem.n = 4, problem.d = 3, problem.seed = 7;
    const auto study = measure::run_study(
        problem, quick_options({Stepper::euler, Stepper::rk4, Stepper::cash_karp54, Stepper::dopri5, Stepper::rkf78}));
    REQUIRE(study.orders.size() == 5);
    require_nominal_orders(study);
    // The reference is far below every fitted error: round-off never hides the order-8 method.
    for (const auto& row : study.orders)
        for (const auto& point : row.points)
            if (point.used) CHECK(point.error > 100 * study.reference.error_estimate);
}

TEST_CASE("Quick study: nominal orders on the equiangular system from the orthonormal start (Peri-LN)", "[order]") {
    OrderProblem problem;
    problem.scheme = model::SchemeKind::peri_ln;
    problem.system = measure::SystemKind::equiangular;
    problem.n = 6;
    const auto study = measure::run_study(problem, quick_options({Stepper::rk4, Stepper::dopri5, Stepper::rkf78}));
    require_nominal_orders(study);
}

TEST_CASE("Mix-LN stepped across tau collapses to order 1 for rk4; stopping at tau restores order 4", "[order]") {
    OrderProblem problem;
    problem.scheme = model::SchemeKind::mix_ln;
    problem.n = 4, problem.d = 3, problem.seed = 3;
    // tau = 1 lies on every grid (t_end = 2, even N): the step starting at tau evaluates its first stage
    // with the Post-LN law, an O(h) local error once. (A tau off the grid gives an O(h) error whose constant
    // oscillates with tau's position inside its step: no clean slope, which fit_order refuses to call one.)
    problem.tau = "1";
    problem.stop_at_breakpoints = false;
    const auto collapsed = measure::run_study(problem, quick_options({Stepper::rk4}));
    const auto& rk4 = row_of(collapsed, Stepper::rk4);
    INFO("without breakpoint: observed " << rk4.fit.observed << " [" << rk4.fit.ci95[0] << ", " << rk4.fit.ci95[1] << "]");
    CHECK(std::abs(rk4.fit.observed - 1) <= 0.15);
    problem.stop_at_breakpoints = true;
    const auto restored = measure::run_study(problem, quick_options({Stepper::rk4}));
    CHECK(measure::observed_within(row_of(restored, Stepper::rk4), 0.15));
}

TEST_CASE("A ladder takes any refinement ratio and its step counts strictly increase", "[order]") {
    const auto counts = measure::step_counts({8, 1.5, 6});
    REQUIRE(counts == std::vector<std::size_t>{8, 12, 18, 27, 41, 61});
    // A ratio so close to 1 that rungs round onto each other: the duplicates are skipped.
    const auto close = measure::step_counts({4, 1.05, 5});
    for (std::size_t i = 1; i < close.size(); ++i) CHECK(close[i] > close[i - 1]);
    CHECK_THROWS_AS(measure::step_counts({8, 1.0, 4}), std::invalid_argument);
}

TEST_CASE("A study refuses impossible requests before running anything", "[order]") {
    OrderProblem problem;
    StudyOptions options;
    CHECK_THROWS_AS(measure::run_study(problem, options), std::invalid_argument);  // no stepper
    options.steppers = {Stepper::rk4};
    options.precision = "quad-double";
    CHECK_THROWS_AS(measure::run_study(problem, options), std::invalid_argument);
    options.precision = "mp50";
    options.ratio = 0.5;
    CHECK_THROWS_AS(measure::run_study(problem, options), std::invalid_argument);
    options.ratio = 2;
    problem.init.kind = model::InitKind::orthonormal;  // d = 4 < n = 6
    CHECK_THROWS_AS(measure::run_study(problem, options), std::invalid_argument);
}
