// Random starts of the full n-particle system (Theorem 3.1), integrated decade by decade with log-spaced
// samples, so that one run spans t = 1e-2 … 1e60 when the scheme's angular clock runs like log t (spec §8),
// and stops after the decade in which the tokens reach one cluster.
#pragma once

#include "normdyn/model/attention.hpp"
#include "normdyn/model/scheme.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace normdyn::cli::reproduce {

struct RandomStartOptions {
    model::SchemeKind kind{};
    std::size_t n = 16, d = 3;
    double beta = 3, tau = 1, alpha = 1;
    std::uint64_t seed = 1;
    double t_end = 1e60;
    int per_decade = 10;
    double collapse_spread = 1e-10;  ///< one cluster: max over pairs of 1 − cos below this
    bool stop_at_collapse = true;
    bool keep_directions = false;
    double cluster_tolerance = 1e-4;  ///< clusters: tokens joined when 1 − cos < this
    double rtol = 1e-9;
    std::size_t max_steps = 2'000'000;  ///< over the whole run
};

struct RandomStartRun {
    std::vector<double> t, spread, clusters, radius_mean;
    std::vector<model::RowMatrix<double>> directions;  ///< per sample, when kept
    std::optional<double> collapse_time;  ///< first sample with spread < collapse_spread
    double t_reached = 0;
    std::string stop_reason;  ///< why it ended before t_end without collapsing (empty otherwise)
    std::size_t rhs_evals = 0;
};

RandomStartRun run_random_start(const RandomStartOptions& options);

}  // namespace normdyn::cli::reproduce
