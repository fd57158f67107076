// The continuous limit of the discrete layers (`normdyn layers --study limit`): with identity weights, one
// head, no mask and the plain normalisation x/|x|, the stack of T/h layers of step h approaches the solution
// at time T of the spec's ODE (model::ParticleSystem, solved tightly with solve::solve) with error O(h):
// observed order 1, measured with measure::fit_order.
#pragma once

#include "normdyn/layers/normalization.hpp"
#include "normdyn/measure/fit.hpp"
#include "normdyn/model/scheme.hpp"
#include "normdyn/solve/solver.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace normdyn::layers {

struct ContinuumLimitOptions {
    model::Scheme<double> scheme;  ///< kind, τ, α
    double beta = 1;
    double t_end = 1;              ///< T
    std::vector<double> steps;     ///< the h of the study; T/h must be an integer for each
    solve::SolveOptions<double> reference = tight_reference();

    /// RKF78 with |err_i| ≤ 1e-15 + 1e-13 |x_i| (max norm over components).
    static solve::SolveOptions<double> tight_reference();
};

struct LimitPoint {
    double step = 0;          ///< h
    std::size_t layers = 0;   ///< T/h
    double error = 0;         ///< max_j |x_j(layers) − x_j(T)| (Euclidean per token, max over tokens)
};

struct ContinuumLimit {
    std::vector<LimitPoint> points;
    measure::OrderFit order;          ///< of error against h, nominal order 1
    double reference_error = 0;       ///< max_j |x_ref − x_ref'| with x_ref' solved at 100× the tolerances:
                                      ///< an upper estimate of the reference's own error (the fit's floor)
    solve::SolveStats reference_stats;
    std::vector<std::string> notes;   ///< e.g. a Mix-LN switch off the layer grid
};

/// The study from the start x0 (n × d). Throws std::invalid_argument when T/h is not an integer, when a
/// scheme whose layers normalise onto the unit sphere (Post-LN, nGPT, LN-Scaling, Mix-LN with τ > 0)
/// starts off it (the ODE would keep |x_j(0)| ≠ 1), or when hα ≥ 1 for nGPT; std::runtime_error when the
/// reference solve stops early (with its reason) or a layer cannot normalise.
ContinuumLimit continuum_limit(const Matrix& x0, const ContinuumLimitOptions& options);

}  // namespace normdyn::layers
