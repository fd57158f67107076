// The equiangular integrations shared by the reproduce sections.
#include "reproduce_equiangular.hpp"

#include "reproduce.hpp"

#include "normdyn/model/equiangular.hpp"
#include "normdyn/solve/solver.hpp"

#include <algorithm>
#include <stdexcept>

namespace normdyn::cli::reproduce {


double EquiangularRun::r_at(double time) const {
    const auto upper = std::lower_bound(t.begin(), t.end(), time);
    if (upper == t.begin()) return r.front();
    if (upper == t.end()) return r.back();
    const std::size_t i = static_cast<std::size_t>(upper - t.begin());
    const double w = (time - t[i - 1]) / (t[i] - t[i - 1]);
    return (1 - w) * r[i - 1] + w * r[i];
}

EquiangularRun integrate_equiangular(model::SchemeKind kind, std::size_t n, double beta, double r0, double tau,
                                     double alpha, const std::vector<double>& times, double rtol) {
    model::EquiangularSystem<double> system(n, beta, model::make_scheme<double>(kind, tau, alpha));
    solve::SolveOptions<double> options;
    options.stepper = solve::Stepper::dopri5;
    options.rtol = rtol;
    options.atol = 0;  // u is controlled relatively all the way down (spec §8)
    options.output_times = times;
    EquiangularRun run;
    run.kind = kind;
    const auto observer = [&](const double& t, std::span<const double> x) {
        if (!std::binary_search(times.begin(), times.end(), t)) return;
        run.t.push_back(t);
        run.u.push_back(x[0]);
        run.r.push_back(x[1]);
    };
    const auto solution = solve::solve<double>(system, system.initial_state(r0), 0.0, times.back(), options, observer);
    if (solution.status != solve::SolveStatus::done)
        throw std::runtime_error("equiangular " + scheme_label(kind) + " stopped at t = " +
                                 format_number(solution.t_reached) + ": " + solution.reason);
    run.rhs_evals = solution.stats.rhs_evals;
    return run;
}

}  // namespace normdyn::cli::reproduce
