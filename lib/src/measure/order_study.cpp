// Convergence-order studies: see normdyn/measure/order_study.hpp.
#include "normdyn/measure/order_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace normdyn::measure {

std::string system_name(SystemKind system) { return system == SystemKind::particles ? "full" : "equiangular"; }

SystemKind parse_system(std::string_view name) {
    if (name == "full") return SystemKind::particles;
    if (name == "equiangular") return SystemKind::equiangular;
    throw std::invalid_argument("unknown system '" + std::string(name) + "' (allowed: full, equiangular)");
}

std::vector<std::size_t> step_counts(const Ladder& ladder) {
    if (!(ladder.ratio > 1) || !std::isfinite(ladder.ratio))
        throw std::invalid_argument("--ratio: the refinement ratio must be a finite number > 1");
    if (ladder.coarsest_steps < 1) throw std::invalid_argument("ladder: needs at least one step");
    std::vector<std::size_t> counts;
    for (std::size_t k = 0; k < ladder.rungs; ++k) {
        const double steps = std::round(double(ladder.coarsest_steps) * std::pow(ladder.ratio, double(k)));
        if (!(steps < 1e9)) throw std::invalid_argument("ladder: more than 1e9 steps on its finest rung");
        if (counts.empty() || std::size_t(steps) > counts.back()) counts.push_back(std::size_t(steps));
    }
    return counts;
}

// Coarsest step count and the span N_max / N_0 per method, calibrated on the six schemes (n = 6, d = 4,
// β = 1, t_end = 2): the coarsest rung is just inside the asymptotic range, the finest keeps the error
// well above the mp50 reference (≥ 1e-30).
Ladder default_ladder(solve::Stepper stepper, double ratio, bool quick) {
    using solve::Stepper;
    std::size_t coarsest = 8;
    double span = 64;
    switch (stepper) {
        case Stepper::euler: coarsest = 64, span = quick ? 16 : 64; break;
        case Stepper::rk4: coarsest = 8, span = quick ? 16 : 64; break;
        case Stepper::cash_karp54:
        case Stepper::dopri5: coarsest = 16, span = quick ? 8 : 32; break;
        case Stepper::rkf78: coarsest = 32, span = quick ? 8 : 32; break;
        default: break;  // no fixed step (Bulirsch–Stoer, Taylor): no ladder
    }
    if (!(ratio > 1) || !std::isfinite(ratio))
        throw std::invalid_argument("--ratio: the refinement ratio must be a finite number > 1");
    const auto rungs = std::size_t(std::lround(std::log(span) / std::log(ratio))) + 1;
    return {coarsest, ratio, std::max<std::size_t>(rungs, 3)};
}

bool observed_within(const OrderRow& row, double tolerance) {
    return std::isfinite(row.fit.observed) && std::abs(row.fit.observed - row.nominal) <= tolerance;
}

bool interval_overlaps(const OrderRow& row, double tolerance) {
    const double lo = row.fit.ci95[0], hi = row.fit.ci95[1];
    return std::isfinite(lo) && std::isfinite(hi) && lo <= row.nominal + tolerance && hi >= row.nominal - tolerance;
}

namespace {

double max_abs(const std::vector<std::string>& state) {
    double largest = 0;
    for (const auto& x : state) largest = std::max(largest, std::abs(std::stod(x)));
    return largest;
}

// The reference: Bulirsch–Stoer in mp50, always stopping at the breakpoints (it is the true solution),
// at the requested tolerance and at one 1e4 times looser; their distance bounds the looser run's error.
Reference compute_reference(OrderProblem problem, solve::Stepper stepper, double tolerance) {
    problem.stop_at_breakpoints = true;
    const auto fine = detail::run_problem(problem, "mp50", stepper, 0, tolerance);
    if (fine.outcome.status != solve::SolveStatus::done)
        throw std::runtime_error("the mp50 reference did not reach t_end: " + fine.outcome.reason);
    const auto loose = detail::run_problem(problem, "mp50", stepper, 0, tolerance * 1e4);
    if (loose.outcome.status != solve::SolveStatus::done)
        throw std::runtime_error("the mp50 check of the reference did not reach t_end: " + loose.outcome.reason);
    Reference reference;
    reference.state = fine.state;
    reference.error_estimate = detail::max_norm_distance(fine.state, loose.state);
    reference.steps = fine.outcome.stats.steps;
    reference.rhs_evals = fine.outcome.stats.rhs_evals;
    reference.wall_s = fine.outcome.stats.wall_s;
    return reference;
}

double error_against(const detail::RunResult& run, const Reference& reference, std::string& failure) {
    if (run.outcome.status != solve::SolveStatus::done) {
        failure = run.outcome.reason;
        return std::numeric_limits<double>::quiet_NaN();  // fit_order flags it "invalid-error"
    }
    return detail::max_norm_distance(run.state, reference.state);
}

// Pairwise slopes closer than kAgreement count as one asymptotic range (fit_order's tolerance); a ladder
// is extended until its two finest slopes agree within kSettled. Both tighter than fit_order's default
// 0.2, because the verdict asks for ±0.15.
constexpr double kAgreement = 0.1, kSettled = 0.05;

LadderPoint ladder_point(const Study& study, solve::Stepper stepper, std::size_t count) {
    const auto run = detail::run_problem(study.problem, study.options.precision, stepper, count, 0);
    LadderPoint point;
    point.steps = count;
    point.step = std::stod(study.problem.t_end) / double(count);
    point.error = error_against(run, study.reference, point.failure);
    point.rhs_evals = run.outcome.stats.rhs_evals;
    point.wall_s = run.outcome.stats.wall_s;
    return point;
}

// Whether refining further is pointless: the last two pairwise slopes agree within `agreement` and lie
// within 2 × agreement of the nominal order (a slope passing through a cancellation can settle briefly
// elsewhere: nGPT's dopri5 from the orthonormal start reads 4.8 twice before rising to 5), or the finest
// error is so close to the floor that refining would only measure the floor. Only the extension uses the
// nominal order; the fit does not.
bool settled(const std::vector<LadderPoint>& points, double nominal, double floor, double agreement) {
    const std::size_t m = points.size();
    if (m < 3) return false;
    const auto slope = [&](std::size_t i) {
        return std::log(points[i].error / points[i + 1].error) / std::log(points[i].step / points[i + 1].step);
    };
    const double last = slope(m - 2), before = slope(m - 3);
    if (!std::isfinite(last) || !std::isfinite(before)) return true;  // a failed run: nothing to gain
    return (std::abs(last - before) <= agreement && std::abs(last - nominal) <= 2 * agreement) ||
           points.back().error < 1e3 * floor;
}

// The ladder, extended by whole rungs while its finest slopes still drift (a small leading error
// coefficient leaves a long pre-asymptotic range: dopri5 from the orthonormal start), then fitted.
OrderRow order_row(const Study& study, solve::Stepper stepper) {
    OrderRow row;
    row.stepper = stepper;
    row.nominal = solve::nominal_order(stepper);
    const auto& options = study.options;
    Ladder ladder = default_ladder(stepper, options.ratio, options.quick);
    if (options.rungs > 0) ladder.rungs = options.rungs;
    for (std::size_t count : step_counts(ladder)) row.points.push_back(ladder_point(study, stepper, count));
    const std::size_t max_extra = options.quick ? 2 : 4;
    for (std::size_t extra = 0; extra < max_extra && !settled(row.points, row.nominal, study.error_floor, kSettled); ++extra) {
        const double next = std::round(double(row.points.back().steps) * ladder.ratio);
        if (!(next < 1e7)) break;
        row.points.push_back(ladder_point(study, stepper, std::max(std::size_t(next), row.points.back().steps + 1)));
    }
    if (row.points.size() > step_counts(ladder).size())
        row.extended_by = row.points.size() - step_counts(ladder).size();
    std::vector<double> steps, errors;
    for (const auto& point : row.points) steps.push_back(point.step), errors.push_back(point.error);
    row.fit = fit_order(steps, errors, row.nominal, study.error_floor, kAgreement);
    for (std::size_t i = 0; i < row.points.size(); ++i) row.points[i].used = row.fit.used[i];
    return row;
}

WorkPrecisionSet work_precision_set(const Study& study, solve::Stepper stepper) {
    WorkPrecisionSet set;
    set.stepper = stepper;
    for (double tolerance : study.options.tolerances) {
        WorkPoint point;
        point.tolerance = tolerance;
        point.wall_s = std::numeric_limits<double>::infinity();
        // Wall time: the minimum over at least timing_repeats runs, repeated until 20 ms were spent (at
        // most 100 runs), so that runs of 0.1 ms are not timer noise.
        double spent = 0;
        for (std::size_t repeat = 0; repeat < 100; ++repeat) {
            const auto run = detail::run_problem(study.problem, study.options.work_precision_precision, stepper, 0,
                                                 tolerance);
            point.error = error_against(run, study.reference, point.failure);
            point.steps = run.outcome.stats.steps;
            point.rejected = run.outcome.stats.rejected;
            point.rhs_evals = run.outcome.stats.rhs_evals;
            point.wall_s = std::min(point.wall_s, run.outcome.stats.wall_s);
            spent += run.outcome.stats.wall_s;
            if (repeat + 1 >= std::max<std::size_t>(study.options.timing_repeats, 1) && spent >= 0.02) break;
        }
        set.points.push_back(point);
    }
    return set;
}

void check(const OrderProblem& problem, StudyOptions& options) {
    if (options.steppers.empty()) throw std::invalid_argument("--stepper: name at least one stepper");
    if (!(options.ratio > 1) || !std::isfinite(options.ratio))
        throw std::invalid_argument("--ratio: the refinement ratio must be a finite number > 1");
    if (options.rungs == 1 || options.rungs == 2) throw std::invalid_argument("--rungs: needs at least 3 rungs");
    const int reference_digits = detail::precision_digits("mp50");
    if (detail::precision_digits(options.precision) > reference_digits)
        throw std::invalid_argument("--precision: the fixed-step runs cannot be more precise than the mp50 "
                                    "reference, got '" + options.precision + "'");
    if (detail::precision_digits(options.work_precision_precision) > reference_digits)
        throw std::invalid_argument("--work-precision: cannot be more precise than the mp50 reference, got '" +
                                    options.work_precision_precision + "'");
    if (!(std::stod(problem.t_end) > 0)) throw std::invalid_argument("--t-end: a study needs t_end > 0");
    if (options.tolerances.empty()) {
        for (int e = 3; e <= (options.quick ? 11 : 12); e += options.quick ? 2 : 1)
            options.tolerances.push_back(std::pow(10.0, -e));
    }
    for (double tolerance : options.tolerances)
        if (!(tolerance > 0) || !std::isfinite(tolerance))
            throw std::invalid_argument("--tolerances: each must be a finite number > 0");
    if (solve::has_fixed_step(options.reference_stepper) || !solve::has_error_estimate(options.reference_stepper))
        throw std::invalid_argument("--reference: must be an adaptive high-order method (bulirsch-stoer, taylor)");
    if (!(options.reference_tolerance > 0) || !(options.reference_tolerance < 1e-20))
        throw std::invalid_argument("reference tolerance must be in (0, 1e-20)");
}

}  // namespace

Study run_study(const OrderProblem& problem, const StudyOptions& options_in) {
    const auto start = std::chrono::steady_clock::now();
    Study study;
    study.problem = problem;
    study.options = options_in;
    check(problem, study.options);
    study.reference = compute_reference(problem, study.options.reference_stepper, study.options.reference_tolerance);
    // Errors within 10x of this are not trusted (fit_order): the reference's error bound, or the
    // ladder precision's rounding of the state, whichever is larger.
    const double epsilon = std::ldexp(1.0, 1 - detail::precision_digits(study.options.precision));
    study.error_floor = std::max(study.reference.error_estimate, epsilon * std::max(1.0, max_abs(study.reference.state)));
    for (solve::Stepper stepper : study.options.steppers) {
        if (solve::has_fixed_step(stepper)) study.orders.push_back(order_row(study, stepper));
        else study.notes.push_back(solve::to_string(stepper) + " has no fixed step and no single order: "
                                   "work-precision set only");
        if (solve::has_error_estimate(stepper)) study.work_precision.push_back(work_precision_set(study, stepper));
    }
    if (!problem.stop_at_breakpoints && model::scheme_row(problem.scheme).switches)
        study.notes.push_back("breakpoints ignored: the steps run across the switch at tau (Mix-LN), where the "
                              "right-hand side jumps; one step per run commits an O(h) local error there, so "
                              "every method is at most first order");
    study.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return study;
}

}  // namespace normdyn::measure
