// The runs of a convergence study (normdyn/measure/order_study.hpp), one per call, in the scalar type the
// caller names: the only generic part of the study. Every type of NORMDYN_FOR_EACH_SCALAR is accepted.
#include "normdyn/measure/order_study.hpp"

#include "normdyn/model/problem.hpp"
#include "normdyn/solve/trajectory.hpp"
#include "normdyn/scalar.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace normdyn::measure::detail {
namespace {

// One run to t_end: `steps` fixed steps, or adaptive at rtol = atol = tolerance; only the final state kept.
template <class T>
RunResult run(const OrderProblem& study, solve::Stepper stepper, std::size_t steps, double tolerance) {
    const auto problem = study.at<T>();  // the full system from initial_positions (draws in double), or u = 1, r = r0
    solve::Method method;
    method.stepper = stepper;
    method.stop_at_breakpoints = study.stop_at_breakpoints;
    method.precision = {scalar_name<T>(), has_runtime_precision_v<T> ? runtime_digits() : 0};
    if (steps > 0) method.dt = to_decimal(T(problem.t_end / T(steps)));  // every digit: read back exactly
    else method.rtol = method.atol = to_decimal(tolerance);
    solve::Sampling sampling;
    sampling.samples = 1;
    sampling.observables = {"t"};
    const auto solution = solve::solve(problem, method, sampling);
    RunResult result;
    for (const T& x : solution.final_state) result.state.push_back(to_decimal(x));
    result.outcome.status = solution.status;
    result.outcome.reason = solution.reason;
    result.outcome.stats = solution.stats;
    result.epsilon = to_double(std::numeric_limits<T>::epsilon());
    return result;
}

}  // namespace

RunResult run_problem(const OrderProblem& problem, const std::string& precision, solve::Stepper stepper,
                      std::size_t steps, double tolerance) {
#define NORMDYN_ORDER_RUN_IF_NAMED(T) \
    if (precision == scalar_name<T>()) return run<T>(problem, stepper, steps, tolerance);
    NORMDYN_FOR_EACH_SCALAR(NORMDYN_ORDER_RUN_IF_NAMED)
#undef NORMDYN_ORDER_RUN_IF_NAMED
    throw std::invalid_argument("unknown precision '" + precision + "'");
}

int precision_digits(const std::string& precision) {
#define NORMDYN_ORDER_DIGITS_IF_NAMED(T) \
    if (precision == scalar_name<T>()) return std::numeric_limits<T>::digits;
    NORMDYN_FOR_EACH_SCALAR(NORMDYN_ORDER_DIGITS_IF_NAMED)
#undef NORMDYN_ORDER_DIGITS_IF_NAMED
    throw std::invalid_argument("unknown precision '" + precision + "'");
}

double max_norm_distance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) throw std::invalid_argument("states of different sizes");
    mp50 largest = 0;
    for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, abs(mp50(a[i]) - mp50(b[i])));
    return to_double(largest);
}

}  // namespace normdyn::measure::detail
