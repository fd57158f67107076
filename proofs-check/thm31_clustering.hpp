// Theorem 3.1's study (thm31_clustering.cpp): random starts in d = 3 integrated until one cluster, against β
// and over seeds, which its claims measure and the report's figures 6 and 9 draw.
#pragma once

#include "check.hpp"

#include "normdyn/model/attention.hpp"
#include "normdyn/model/scheme.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace normdyn::checks::theorem31 {

inline constexpr const char* trajectories_figure = "fig6_random_start_trajectories";
inline constexpr const char* clusters_figure = "fig6_clusters_over_time";
inline constexpr const char* collapse_figure = "fig9_layers_to_collapse";

inline constexpr std::size_t tokens = 16, dimension = 3;
inline constexpr double claim_beta = 3;        ///< the β of the claims (spec §8)
inline constexpr double tau = 1, alpha = 1;    ///< Mix-LN's switch, nGPT's step (spec §8: α = 1)
inline constexpr double horizon = 1e80;        ///< far beyond spec §8's 1e24 … 1e48
inline constexpr double one_cluster = 1e-10;   ///< one cluster: max_jk (1 − cos) below this
inline constexpr double cluster_join = 1e-4;   ///< figure 6's cluster count joins tokens with 1 − cos below this
inline constexpr int per_decade = 20;          ///< log-spaced samples: a time is resolved to a factor 10^(1/20)

/// One random start (the scheme's default: uniform directions, or a Gaussian cloud for Pre-, Mix-, Peri-LN),
/// integrated decade by decade (dopri5, relative tolerance rtol, atol 0) and stopped after the decade in
/// which the tokens reach one cluster, or at the horizon.
struct RandomStartRun {
    std::vector<double> t, spread, clusters;
    std::vector<model::RowMatrix<double>> directions;  ///< per sample, when kept
    std::optional<double> collapse_time;  ///< first sample with spread < one_cluster
    double t_reached = 0;
    std::string stop_reason;  ///< why it ended before the horizon without collapsing (empty otherwise)
    double min_radial_rate = 0;  ///< min over tokens and samples of dr_j/dt
    std::size_t steps = 0, rhs_evals = 0;
};
RandomStartRun run_random_start(const Context& ctx, model::SchemeKind kind, double beta, std::uint64_t seed,
                                double rtol, bool keep_directions = false);

/// Every scheme from every seed at every β of the tier (rtol 1e-10); directions kept for the first seed at
/// claim_beta (figure 6).
struct CollapseStudy {
    std::vector<double> betas;
    std::vector<std::uint64_t> seeds;
    struct Entry {
        model::SchemeKind kind;
        double beta;
        std::uint64_t seed;
        RandomStartRun run;
    };
    std::vector<Entry> runs;
    const RandomStartRun& run(model::SchemeKind kind, double beta, std::uint64_t seed) const;
};
const CollapseStudy& collapse_study(const Context& ctx);

}  // namespace normdyn::checks::theorem31
