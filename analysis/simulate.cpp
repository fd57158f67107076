// `normdyn simulate`: the full n-particle system (spec §2) from a chosen start, sampled with the
// observables of measure/observables.hpp at equally spaced times.
#include "cli_common.hpp"

#include "normdyn/measure/observables.hpp"
#include "normdyn/model/attention.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"

#include <memory>

namespace normdyn::cli {

namespace {

using report::real_to_json;

template <class T> std::vector<T> as_state(const model::RowMatrix<T>& positions) {
    return std::vector<T>(positions.data(), positions.data() + positions.size());  // row-major: x_j contiguous
}

template <class T> std::vector<T> radii(const model::RowMatrix<T>& positions) {
    using std::sqrt;
    std::vector<T> r;
    for (Eigen::Index j = 0; j < positions.rows(); ++j) r.push_back(sqrt(positions.row(j).squaredNorm()));
    return r;
}

const std::vector<std::string> observable_columns = {"t",      "gamma_min",   "gamma_mean", "gamma_max",
                                                     "spread", "var",         "energy",     "radius_mean",
                                                     "radius_min", "speed_max", "clusters", "norm_drift"};

template <class T> report::Json observables_row(const T& t, const measure::Observables<T>& o) {
    report::Json row;
    row["t"] = real_to_json(t);
    row["gamma_min"] = real_to_json(o.gamma_min);
    row["gamma_mean"] = real_to_json(o.gamma_mean);
    row["gamma_max"] = real_to_json(o.gamma_max);
    row["spread"] = real_to_json(o.spread);
    row["var"] = real_to_json(o.var);
    row["energy"] = real_to_json(o.energy);
    row["radius_mean"] = real_to_json(o.radius_mean);
    row["radius_min"] = real_to_json(o.radius_min);
    row["speed_max"] = real_to_json(o.speed_max);
    row["clusters"] = o.clusters;
    row["norm_drift"] = real_to_json(o.norm_drift);
    return row;
}

template <class T> report::Json simulate(const RunConfig& config) {
    const T r0 = from_string<T>(config.r0);
    const auto positions = model::initial_positions<T>(config.init, config.scheme, config.n, config.d, r0, config.seed);
    const auto initial_radii = radii(positions);
    model::ParticleSystem<T> system(config.n, config.d, make_scheme<T>(config),
                                    model::Attention<T>(from_string<T>(config.beta)));
    const Sampler<T> sample = [&](const T& t, std::span<const T> x) {
        return observables_row(t, measure::observe(system, x, t, initial_radii));
    };
    return integrate_and_sample<T>(config, shared_params<T>(config), system, as_state(positions), observable_columns,
                                   sample);
}

}  // namespace

CommandRunner simulate_command(CLI::App& command) {
    auto flags = std::make_shared<SharedFlags>();
    add_shared_flags(command, *flags, Positions::free);
    return [flags, &command](const std::string& command_line) {
        return run_command(command, *flags, Positions::free, command_line,
                           []<class T>(const RunConfig& config) { return simulate<T>(config); });
    };
}

}  // namespace normdyn::cli
