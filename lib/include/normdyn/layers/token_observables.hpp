// Observables of a layer's tokens X (n × d), the discrete counterparts of measure/observables.hpp: they
// depend on X alone (no vector field), so they apply to any weights and normalisation. Directions are
// θ_j = x_j / |x_j|.
#pragma once

#include "normdyn/layers/normalization.hpp"

#include <cstddef>

namespace normdyn::layers {

struct TokenObservables {
    double gamma_min = 1, gamma_mean = 1, gamma_max = 1;  ///< pairwise cosines <θ_j, θ_k>, j < k (1 when n = 1)
    double spread = 0;       ///< max over pairs of 1 − cos = |θ_j − θ_k|²/2 (no cancellation near 1)
    double var = 0;          ///< Var = (1/n) Σ |θ_k − θ̄|²
    double radius_mean = 0;  ///< (1/n) Σ |x_j|: the mean token norm
    double radius_min = 0;
    std::size_t clusters = 1;  ///< tokens joined transitively when 1 − cos < cluster_tolerance
};

/// Throws std::domain_error on a zero or non-finite token.
TokenObservables observe_tokens(const Matrix& x, double cluster_tolerance = 1e-6);

/// The discrete angular speed of a step: max_j |θ_j(after) − θ_j(before)| / h.
double angular_speed_max(const Matrix& before, const Matrix& after, double step);

}  // namespace normdyn::layers
