// Uses the installed library as a downstream project would, through the values the README shows (Problem,
// Method, Sampling, solve): Post-LN, n = 2, β = 0 from the orthonormal start has γ(t) = tanh(t) (spec §4),
// and the full system from a random start runs to t_end.
#include <normdyn/solve/trajectory.hpp>

#include <cmath>
#include <cstdio>

int main() {
    using namespace normdyn;
    model::Problem<double> pair;
    pair.system = model::SystemKind::equiangular;
    pair.scheme.kind = model::parse_scheme("post-ln");
    pair.n = 2, pair.beta = 0, pair.t_end = 1;
    const auto equiangular = solve::solve(pair, solve::default_method({"double"}), solve::Sampling{});
    const double gamma = equiangular.column("gamma").back();
    const double error = std::abs(gamma - std::tanh(1.0));

    model::Problem<double> problem;  // scheme, n, d, beta, r0, Q/K/V, start, horizon
    problem.scheme.kind = model::SchemeKind::peri_ln;
    problem.n = 64, problem.d = 32, problem.t_end = 10;
    solve::Sampling sampling;
    sampling.samples = 11;
    const auto trajectory = solve::solve(problem, solve::default_method({"double"}), sampling);
    const auto var = trajectory.column("var");
    std::printf("normdyn consumer: gamma(1) = %.17g, |gamma - tanh(1)| = %.3g; Peri-LN 64 x 32: %s, Var(10) = %.6g\n",
                gamma, error, solve::to_string(trajectory.status).c_str(), var.back());
    return equiangular.status == solve::SolveStatus::done && error < 1e-9 &&
                   trajectory.status == solve::SolveStatus::done && var.size() == 11 && var.back() < var.front()
               ? 0
               : 1;
}
