// Token geometry against depth in a stack of layers, for several schemes at once and several seeds: the
// paper's random-weight experiment (spec §7: d = 512, one head, β = sqrt d, Kaiming weights independent per
// layer; mean cosine similarity and mean token norm against depth), and the fit of the norm growth
// exponent p in |x| ~ t^p (the paper: p ≈ 1/2 for Pre-LN under random weights, 1 under tied identity ones).
// Every scheme of a seed sees the same start and, layer by layer, the same weights (common random numbers).
#pragma once

#include "normdyn/layers/layer.hpp"
#include "normdyn/model/init.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace normdyn::layers {

struct DepthStudyOptions {
    std::vector<model::SchemeKind> schemes;  ///< each gets LayerMap `map` with its own kind
    LayerMap map;                            ///< step, τ, α and normalisation (scheme field ignored)
    double beta = 1;
    bool causal = false;
    std::size_t n = 32, d = 512, heads = 1, layers = 256;
    WeightKind weights = WeightKind::kaiming;
    model::InitSpec init;  ///< scheme_default gives each scheme its own start (spec §2)
    double r0 = 1;
    std::uint64_t first_seed = 0;
    std::size_t seeds = 4;  ///< seeds first_seed, first_seed + 1, …
    std::size_t threads = 0;  ///< seeds run in parallel on this many threads (0: the hardware's count); the
                              ///< result does not depend on it
};

/// Per scheme, per layer ℓ = 0…L (t = ℓh): means over the seeds, and the mean token norm of every seed.
struct DepthCurves {
    model::SchemeKind scheme = model::SchemeKind::pre_ln;
    std::vector<double> cosine_mean;               ///< mean pairwise cosine, averaged over seeds
    std::vector<double> norm_mean;                 ///< mean token norm (1/n) Σ |x_j|, averaged over seeds
    std::vector<std::vector<double>> seed_norm_mean;  ///< [seed][ℓ]
};

/// Runs the stack; throws std::runtime_error naming scheme, seed and layer when a layer cannot normalise.
std::vector<DepthCurves> run_depth_study(const DepthStudyOptions& options);

/// The growth exponent p of |x| ~ t^p on a window of depth-times: the least-squares slope of log(norm)
/// against log t.
struct GrowthExponent {
    double exponent = 0;      ///< slope on the seed-averaged norms
    double ci95[2] = {0, 0};  ///< its regression interval (the residuals of neighbouring layers are
                              ///< correlated, so this interval is optimistic; see seed_ci95)
    double r2 = 0;
    std::vector<double> seed_exponents;  ///< the slope of each seed alone
    double seed_mean = 0;                ///< their mean
    double seed_ci95[2] = {0, 0};        ///< Student-t interval of that mean (seeds are independent)
    double t_lo = 0, t_hi = 0;           ///< the window (inclusive)
    double origin = 0;                   ///< t of |x| ~ (t − origin)^p
    std::size_t points = 0;
};

/// Fits log(norm) against log(t − origin) on the layers with t_lo ≤ t = ℓh ≤ t_hi and t > origin. The
/// origin is where the growth starts: 0, or Mix-LN's switch time (its norm is fixed before it). Throws
/// std::invalid_argument with fewer than 3 points in the window.
GrowthExponent fit_growth_exponent(const DepthCurves& curves, double step, double t_lo, double t_hi,
                                   double origin = 0);

}  // namespace normdyn::layers
