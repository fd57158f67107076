// The runs of a convergence study (normdyn/measure/order_study.hpp), one per call, in the scalar type the
// caller names: the only generic part of the study. Every type of NORMDYN_FOR_EACH_SCALAR is accepted.
#include "normdyn/measure/order_study.hpp"

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/scalar.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace normdyn::measure::detail {
namespace {

template <class T> model::Scheme<T> scheme_of(const OrderProblem& problem) {
    return model::make_scheme<T>(problem.scheme, from_string<T>(problem.tau), from_string<T>(problem.alpha));
}

template <class T> struct Instance {
    std::unique_ptr<model::VectorField<T>> field;
    std::vector<T> x0;
};

// The vector field and its start: the full system from initial_positions (random draws in double, so every
// precision starts from the same point), or the equiangular reduction from u = 1, r = r0.
template <class T> Instance<T> instantiate(const OrderProblem& problem) {
    const T beta = from_string<T>(problem.beta), r0 = from_string<T>(problem.r0);
    Instance<T> instance;
    if (problem.system == SystemKind::equiangular) {
        if (problem.n < 2) throw std::invalid_argument("--n: the equiangular reduction needs n >= 2");
        instance.field = std::make_unique<model::EquiangularSystem<T>>(problem.n, beta, scheme_of<T>(problem));
        const auto start = model::EquiangularSystem<T>::initial_state(r0);
        instance.x0.assign(start.begin(), start.end());
        return instance;
    }
    const auto positions =
        model::initial_positions<T>(problem.init, problem.scheme, problem.n, problem.d, r0, problem.seed);
    instance.field = std::make_unique<model::ParticleSystem<T>>(std::size_t(positions.rows()),
                                                                std::size_t(positions.cols()),
                                                                scheme_of<T>(problem), model::Attention<T>(beta));
    instance.x0.assign(positions.data(), positions.data() + positions.size());
    return instance;
}

template <class T>
RunResult run(const OrderProblem& problem, solve::Stepper stepper, std::size_t steps, double tolerance) {
    auto instance = instantiate<T>(problem);
    const T t_end = from_string<T>(problem.t_end);
    solve::SolveOptions<T> options;
    options.stepper = stepper;
    options.stop_at_breakpoints = problem.stop_at_breakpoints;
    if (steps > 0) options.dt = t_end / T(steps);
    else options.rtol = options.atol = T(tolerance);
    const auto solution = solve::solve<T>(*instance.field, instance.x0, T(0), t_end, options);
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
