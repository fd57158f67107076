// Random starts integrated decade by decade (see reproduce_random.hpp).
#include "reproduce_random.hpp"

#include "reproduce.hpp"
#include "reproduce_equiangular.hpp"

#include "normdyn/measure/observables.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/solve/solver.hpp"

#include <algorithm>
#include <cmath>

namespace normdyn::cli::reproduce {

RandomStartRun run_random_start(const RandomStartOptions& options) {
    model::ParticleSystem<double> system(options.n, options.d, model::make_scheme<double>(options.kind, options.tau, options.alpha),
                                         model::Attention<double>(options.beta));
    const auto x0 = model::initial_positions<double>(init_spec(model::InitKind::scheme_default), options.kind, options.n,
                                                     options.d, 1.0, options.seed);
    std::vector<double> state(x0.data(), x0.data() + x0.size());
    std::vector<double> radii(options.n);
    for (std::size_t j = 0; j < options.n; ++j) radii[j] = x0.row(static_cast<Eigen::Index>(j)).norm();

    RandomStartRun run;
    const auto observer = [&](const double& t, std::span<const double> x) {
        if (!run.t.empty() && t <= run.t.back()) return;
        const auto seen = measure::observe<double>(system, x, t, radii, options.cluster_tolerance);
        run.t.push_back(t);
        run.spread.push_back(seen.spread);
        run.clusters.push_back(static_cast<double>(seen.clusters));
        run.radius_mean.push_back(seen.radius_mean);
        if (!run.collapse_time && seen.spread < options.collapse_spread) run.collapse_time = t;
        if (options.keep_directions) {
            model::RowMatrix<double> theta = Eigen::Map<const model::RowMatrix<double>>(
                x.data(), static_cast<Eigen::Index>(options.n), static_cast<Eigen::Index>(options.d));
            theta.rowwise().normalize();
            run.directions.push_back(std::move(theta));
        }
    };
    std::size_t steps = 0;
    double t0 = 0, t1 = 1e-2;
    while (t0 < options.t_end) {
        if (steps >= options.max_steps) {
            if (!run.collapse_time) run.stop_reason = "step budget of " + std::to_string(options.max_steps) + " steps spent";
            break;
        }
        t1 = std::min(t1, options.t_end);
        solve::SolveOptions<double> solve_options;
        solve_options.stepper = solve::Stepper::dopri5;
        solve_options.rtol = options.rtol;
        solve_options.atol = 0;
        solve_options.max_steps = options.max_steps - steps;
        for (double t : log_times(t0 > 0 ? t0 : 1e-3, t1, options.per_decade))
            if (t > t0 && t < t1) solve_options.output_times.push_back(t);
        solve_options.output_times.push_back(t1);
        const auto solution = solve::solve<double>(system, state, t0, t1, solve_options, observer);
        run.rhs_evals += solution.stats.rhs_evals;
        steps += solution.stats.steps;
        run.t_reached = solution.t_reached;
        state = solution.final_state;
        if (solution.status != solve::SolveStatus::done) {
            if (!run.collapse_time) run.stop_reason = solution.reason;
            break;
        }
        if (run.collapse_time && options.stop_at_collapse) break;
        t0 = t1;
        t1 = t1 * 10;
    }
    return run;
}

}  // namespace normdyn::cli::reproduce
