// The cases `normdyn bench` runs, each in its own child process (`normdyn bench --case ...`), printing one
// JSON line: the kernel alone, one right-hand-side evaluation, Eigen's GEMM, and a full integration.
#include "bench_cases.hpp"

#include "normdyn/model/attention.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/model/problem.hpp"
#include "normdyn/solve/trajectory.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <stdexcept>

namespace normdyn::cli::bench {

namespace {

using Matrix = model::RowMatrix<double>;
using Clock = std::chrono::steady_clock;

Matrix random_directions(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
    model::NormalSampler normal(seed);
    Matrix m(n, d);
    for (Eigen::Index j = 0; j < n; ++j) {
        for (Eigen::Index c = 0; c < d; ++c) m(j, c) = normal();
        m.row(j).normalize();
    }
    return m;
}

double seconds(const std::function<void()>& work) {
    const auto start = Clock::now();
    work();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// One warm-up call, then as many timed calls as fit in `budget_s` (3 to 1000): the median and minimum.
report::Json time_calls(const std::function<void()>& work, double budget_s) {
    const double first = seconds(work);
    const int reps = std::clamp(int(budget_s / std::max(first, 1e-9)), 3, 1000);
    std::vector<double> times;
    for (int i = 0; i < reps; ++i) times.push_back(seconds(work));
    std::sort(times.begin(), times.end());
    report::Json out;
    out["median_s"] = times[times.size() / 2];
    out["min_s"] = times.front();
    out["reps"] = reps;
    out["threads"] = normdyn::kernel_threads();
    out["blas_core"] = normdyn::kernel_blas_core();
    return out;
}

report::Json kernel_case(Eigen::Index n, Eigen::Index d, double budget_s) {
    const Matrix theta = random_directions(n, d, 1);
    const model::Attention<double> attention(1.0);
    Matrix out;
    return time_calls([&] { attention.apply(theta, out); }, budget_s);
}

report::Json rhs_case(Eigen::Index n, Eigen::Index d, double budget_s) {
    model::NormalSampler normal(2);
    std::vector<double> x(std::size_t(n * d)), dxdt(x.size());
    for (double& v : x) v = normal();
    model::Scheme<double> scheme;
    scheme.kind = model::SchemeKind::pre_ln;
    model::ParticleSystem<double> system(std::size_t(n), std::size_t(d), scheme, model::Attention<double>(1.0));
    return time_calls([&] { system(x, dxdt, 0.0); }, budget_s);
}

report::Json eigen_gemm_case(Eigen::Index n, double budget_s) {
    const Matrix a = random_directions(n, n, 3), b = random_directions(n, n, 4);
    Matrix c(n, n);
    return time_calls([&] { c.noalias() = a * b; }, budget_s);
}

// Spec §2 from the peer's initial state: the given stepper and error norm at the library's default
// tolerances (rtol 1e-10, atol 1e-12), β = 1, t in [0, t_end].
report::Json integration_case(const std::string& scheme_name, const std::string& csv, double t_end,
                              solve::Stepper stepper, solve::ErrorNorm norm) {
    model::Problem<double> problem;
    problem.scheme.kind = model::parse_scheme(scheme_name);
    problem.positions = model::read_tokens_csv(csv);
    problem.n = std::size_t(problem.positions->rows());
    problem.d = std::size_t(problem.positions->cols());
    problem.t_end = t_end;
    solve::Method method;
    method.stepper = stepper;
    method.error_norm = norm;
    solve::Sampling sampling;
    sampling.samples = 1;
    sampling.observables = {"gamma_min", "gamma_mean", "radius_mean"};
    const auto trajectory = solve::solve(problem, method, sampling);
    report::Json out;
    out["status"] = solve::to_string(trajectory.status);
    out["reason"] = trajectory.reason;
    out["wall_s"] = trajectory.stats.wall_s;
    out["rhs_evals"] = trajectory.stats.rhs_evals;
    out["steps"] = trajectory.stats.steps;
    out["rejected"] = trajectory.stats.rejected;
    for (const char* name : {"gamma_min", "gamma_mean", "radius_mean"}) {
        const auto values = trajectory.column(name);
        if (!values.empty()) out[name] = values.back();
    }
    out["threads"] = normdyn::kernel_threads();
    return out;
}

}  // namespace

report::Json run_case(const std::string& spec) {
    std::istringstream words(spec);
    std::string kind;
    words >> kind;
    if (kind == "kernel" || kind == "rhs") {
        Eigen::Index n = 0, d = 0;
        double budget = 0;
        if (!(words >> n >> d >> budget) || n < 1 || d < 1) throw std::invalid_argument("--case " + kind + " N D BUDGET_S");
        return kind == "kernel" ? kernel_case(n, d, budget) : rhs_case(n, d, budget);
    }
    if (kind == "eigen-gemm") {
        Eigen::Index n = 0;
        double budget = 0;
        if (!(words >> n >> budget) || n < 1) throw std::invalid_argument("--case eigen-gemm N BUDGET_S");
        return eigen_gemm_case(n, budget);
    }
    if (kind == "integrate") {
        std::string scheme, csv, stepper = "dopri5", norm = "max";
        double t_end = 0;
        if (!(words >> scheme >> csv >> t_end))
            throw std::invalid_argument("--case integrate SCHEME CSV T_END [STEPPER [NORM]]");
        words >> stepper >> norm;
        return integration_case(scheme, csv, t_end, solve::parse_stepper(stepper), solve::parse_error_norm(norm));
    }
    throw std::invalid_argument("--case: unknown case '" + kind + "' (kernel, rhs, eigen-gemm, integrate)");
}

}  // namespace normdyn::cli::bench
