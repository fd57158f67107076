// Observables of a state of the n-particle system (pure functions of the state).
#pragma once

#include "normdyn/model/particle_system.hpp"

#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

namespace normdyn::measure {

template <class T> struct Observables {
    T gamma_min = 1, gamma_mean = 1, gamma_max = 1;  ///< pairwise cosines <θ_j, θ_k>, j < k (1 when n = 1)
    T spread = 0;           ///< max over pairs of 1 − cos = |θ_j − θ_k|²/2, without cancellation
    T var = 0;              ///< Var = (1/n) Σ |θ_k − θ̄|² = 1 − |θ̄|²
    T energy = 0;           ///< E = −Σ_{j,k} exp(β <θ_j, θ_k>) (identity weights; spec §3); −inf in double
                            ///< once β ≳ 709 − 2 log n: use log_energy there
    T log_energy = 0;       ///< log(−E) = β + log Σ_{j,k} exp(β(<θ_j, θ_k> − 1)), finite for every β
    T energy_rate = 0;      ///< the identity dE/dt = −2β Σ_j (Z_j/s_j) |P A_j|², summed in logarithms
    std::size_t singular_tokens = 0;  ///< tokens whose speed factor vanishes (left out of speed and dE/dt)
    T radius_mean = 0, radius_min = 0;
    T speed_max = 0;        ///< max_j |dθ_j/dt|
    std::size_t clusters = 1;  ///< tokens joined transitively when cos > 1 − cluster_tolerance
    T norm_drift = 0;       ///< max_j | |x_j| − |x_j(0)| | for the fixed-radius schemes; 0 otherwise
};

/// Which observables observe() computes; the others keep their defaults. Each costs only what it needs: the
/// speed group one evaluation of the field (which with Q = K = I also gives the energy, from log Z_j), the
/// pairwise groups the Gram matrix G = ΘΘᵀ (shared with that evaluation), the rest O(n d).
struct Selection {
    bool cosines = true;   ///< gamma_min, gamma_mean, gamma_max
    bool spread = true;
    bool var = true;
    bool energy = true;    ///< energy, log_energy
    bool speed = true;     ///< speed_max, energy_rate, singular_tokens
    bool radius = true;    ///< radius_mean, radius_min, norm_drift
    bool clusters = true;
    /// Nothing selected: add what is wanted.
    static Selection none() { return {false, false, false, false, false, false, false}; }
};

/// Number of clusters: tokens j, k are joined when 1 − <θ_j, θ_k> < tolerance, transitively.
template <class T> std::size_t count_clusters(const model::RowMatrix<T>& directions, const T& tolerance);

/// The selected observables at (x, t), for about the cost of one evaluation of the field: one Gram matrix
/// and one weighted sum when everything is asked for, plus O(n²) scalar passes. initial_radii are |x_j(0)|,
/// for the norm drift.
template <class T>
Observables<T> observe(const model::ParticleSystem<T>& system, std::span<const std::type_identity_t<T>> x, const T& t,
                       const std::vector<T>& initial_radii, const T& cluster_tolerance = T(1e-6),
                       const Selection& selection = {});

}  // namespace normdyn::measure
