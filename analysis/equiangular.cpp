// `normdyn equiangular`: the symmetric-start reduction of spec §4 in the state (u = 1 − γ, r), the cheap
// high-precision oracle for the full system from the orthonormal start.
#include "cli_common.hpp"

#include "normdyn/model/equiangular.hpp"

#include <memory>

namespace normdyn::cli {

namespace {

using report::real_to_json;

template <class T> report::Json equiangular(const RunConfig& config) {
    if (config.n < 2) throw BadInput("--n: the equiangular reduction needs n >= 2, got " + std::to_string(config.n));
    model::EquiangularSystem<T> system(config.n, from_string<T>(config.beta), make_scheme<T>(config));
    // one_minus_gamma is the state u itself: it keeps full relative accuracy as γ → 1 (spec §8).
    const Sampler<T> sample = [&](const T& t, std::span<const T> x) {
        report::Json row;
        row["t"] = real_to_json(t);
        row["gamma"] = real_to_json(T(1) - x[0]);
        row["one_minus_gamma"] = real_to_json(x[0]);
        row["gamma_dot"] = real_to_json(system.gamma_rate(x, t));
        row["r"] = real_to_json(x[1]);
        return row;
    };
    const auto x0 = model::EquiangularSystem<T>::initial_state(from_string<T>(config.r0));
    return integrate_and_sample<T>(config, shared_params<T>(config), system, x0,
                                   {"t", "gamma", "one_minus_gamma", "gamma_dot", "r"}, sample);
}

}  // namespace

CommandRunner equiangular_command(CLI::App& command) {
    auto flags = std::make_shared<SharedFlags>();
    flags->n = 8;
    add_shared_flags(command, *flags, Positions::orthonormal_only);
    return [flags, &command](const std::string& command_line) {
        return run_command(command, *flags, Positions::orthonormal_only, command_line,
                           []<class T>(const RunConfig& config) { return equiangular<T>(config); });
    };
}

}  // namespace normdyn::cli
