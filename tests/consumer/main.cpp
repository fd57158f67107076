// Uses the installed library as a downstream project would: Post-LN, n = 2, β = 0 from the orthonormal
// start has γ(t) = tanh(t) (spec §4).
#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/scheme.hpp"
#include "normdyn/solve/solver.hpp"

#include <cmath>
#include <cstdio>

int main() {
    using namespace normdyn;
    model::Scheme<double> scheme;
    scheme.kind = model::parse_scheme("post-ln");
    model::EquiangularSystem<double> system(2, 0.0, scheme);
    const auto solution = solve::solve<double>(system, system.initial_state(1.0), 0.0, 1.0, {});
    const double gamma = 1 - solution.final_state[0];
    const double error = std::abs(gamma - std::tanh(1.0));
    std::printf("normdyn consumer: gamma(1) = %.17g, |gamma - tanh(1)| = %.3g\n", gamma, error);
    return solution.status == solve::SolveStatus::done && error < 1e-9 ? 0 : 1;
}
