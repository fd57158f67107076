// Convergence-order studies (DiffEqDevTools' `test_convergence`, done with error bars): a Study is a value
// that holds the problem, the step ladders, the errors at t_end against an automatic high-precision
// reference, the fitted observed orders (measure/fit.hpp's fit_order: least squares, 95% CI, round-off
// floor and pre-asymptotic points excluded) and the work–precision sets of the adaptive steppers.
// Print it, plot it, assert on it.
#pragma once

#include "normdyn/measure/fit.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/problem.hpp"
#include "normdyn/model/scheme.hpp"
#include "normdyn/solve/solver.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace normdyn::measure {

/// Which vector field a study integrates: the full n-particle system (spec §2), named "full" by the order
/// command, or the equiangular reduction (spec §4, orthonormal start only).
using SystemKind = model::SystemKind;
/// "full" or "equiangular".
std::string system_name(SystemKind system);
/// "full" or "equiangular"; throws std::invalid_argument naming them otherwise.
SystemKind parse_system(std::string_view name);

/// The initial-value problem of a study: a problem as text (model::ProblemText; n = 6, d = 4, t_end = 2 by
/// default) and whether steps stop at breakpoints.
struct OrderProblem : model::ProblemText {
    OrderProblem() {
        n = 6;
        d = 4;
        t_end = "2";
    }
    bool stop_at_breakpoints = true;  ///< false: step across Mix-LN's τ (the order collapses)
};

/// Fixed steps h_k = t_end / N_k with N_k = round(coarsest_steps · ratio^k), k = 0..rungs−1: any
/// refinement ratio > 1, not only halving.
struct Ladder {
    std::size_t coarsest_steps = 8;
    double ratio = 2;
    std::size_t rungs = 8;
};
/// The step counts of a ladder, strictly increasing (a rung that rounds onto the previous one is skipped).
std::vector<std::size_t> step_counts(const Ladder& ladder);
/// A ladder whose asymptotic range is reached for this problem family: coarser starts and fewer rungs for
/// higher orders (their errors fall faster), fewer rungs in quick mode.
Ladder default_ladder(solve::Stepper stepper, double ratio, bool quick);

struct StudyOptions {
    std::vector<solve::Stepper> steppers;  ///< bulirsch-stoer: work–precision only (no fixed step)
    double ratio = 2;                      ///< refinement ratio of the default ladders
    std::size_t rungs = 0;                 ///< 0: the default ladder's
    bool quick = false;
    /// Scalar type of the fixed-step runs. mp50 by default: an order-8 method needs ≥ 16 decades of error
    /// below its pre-asymptotic range to show 2 decades of slope, more than long double's 19 digits hold.
    std::string precision = "mp50";
    std::string work_precision_precision = "double";  ///< the precision users run adaptively
    std::vector<double> tolerances;                   ///< work–precision rtol = atol; empty: 1e-3 … 1e-12
    std::size_t timing_repeats = 3;                   ///< wall time: minimum over this many repeats
    /// Reference: this adaptive high-order method (Bulirsch–Stoer or Taylor) in mp50 at this rtol = atol,
    /// checked against a run 1e4 times looser.
    solve::Stepper reference_stepper = solve::Stepper::bulirsch_stoer;
    double reference_tolerance = 1e-40;
};

/// One fixed-step run of a ladder.
struct LadderPoint {
    std::size_t steps = 0;  ///< N
    double step = 0;        ///< h = t_end / N
    double error = 0;       ///< max-norm error of the state at t_end against the reference (NaN: run failed)
    std::size_t rhs_evals = 0;
    double wall_s = 0;
    bool used = false;      ///< inside the fitted asymptotic range
    std::string failure;    ///< why the run stopped early (empty when done)
};

struct OrderRow {
    solve::Stepper stepper = solve::Stepper::rk4;
    int nominal = 0;
    OrderFit fit;
    std::vector<LadderPoint> points;
    std::size_t extended_by = 0;  ///< rungs added beyond the ladder because its finest slopes still drifted
};

/// One adaptive run of a work–precision set.
struct WorkPoint {
    double tolerance = 0;
    double error = 0;
    std::size_t steps = 0, rejected = 0, rhs_evals = 0;
    double wall_s = 0;
    std::string failure;
};

struct WorkPrecisionSet {
    solve::Stepper stepper = solve::Stepper::dopri5;
    std::vector<WorkPoint> points;
};

struct Reference {
    std::vector<std::string> state;  ///< the mp50 state at t_end, every digit
    double error_estimate = 0;       ///< max-norm difference to the looser run: bounds the looser one's error
    std::size_t steps = 0, rhs_evals = 0;
    double wall_s = 0;
};

struct Study {
    OrderProblem problem;
    StudyOptions options;
    Reference reference;
    std::vector<OrderRow> orders;
    std::vector<WorkPrecisionSet> work_precision;
    double error_floor = 0;  ///< errors below 10× this are round-off or reference noise (fit_order's floor)
    std::vector<std::string> notes;
    double wall_s = 0;
};

/// Runs the whole study. Throws std::invalid_argument on an impossible problem (orthonormal with d < n,
/// equiangular with n < 2, an unknown precision, a ladder precision not below the reference's) and
/// std::runtime_error when the reference itself cannot reach t_end.
Study run_study(const OrderProblem& problem, const StudyOptions& options);

/// Whether the observed order is within `tolerance` of the nominal one, and whether its 95% CI overlaps
/// [nominal − tolerance, nominal + tolerance].
bool observed_within(const OrderRow& row, double tolerance);
bool interval_overlaps(const OrderRow& row, double tolerance);

namespace detail {
/// One run of the problem in the scalar type named `precision`, fixed-step (dt = t_end / steps) or
/// adaptive (steps = 0: rtol = atol = tolerance); the final state as decimal text.
struct RunResult {
    std::vector<std::string> state;
    solve::Solution<double> outcome;  ///< status, reason, stats (final_state and t_reached unused)
    double epsilon = 0;               ///< machine epsilon of the precision
};
RunResult run_problem(const OrderProblem& problem, const std::string& precision, solve::Stepper stepper,
                      std::size_t steps, double tolerance);
/// Max-norm distance between two states given as decimal text, computed in mp50.
double max_norm_distance(const std::vector<std::string>& a, const std::vector<std::string>& b);
/// Binary digits of the precision (throws std::invalid_argument on an unknown name).
int precision_digits(const std::string& precision);
}  // namespace detail

}  // namespace normdyn::measure
