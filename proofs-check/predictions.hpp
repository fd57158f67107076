// The predictions table: what the paper predicts for each scheme (spec §5), one row per scheme. Every check
// and every figure takes its prediction from here; a seventh scheme is one more row, and the exhaustive
// switch in predictions.cpp (compiled with -Werror=switch) refuses to build until it has one.
#pragma once

#include "normdyn/measure/fit.hpp"
#include "normdyn/model/scheme.hpp"

#include <cmath>
#include <cstddef>
#include <string>

namespace normdyn::checks {

/// A decay law with its rate: u ~ C e^(−rate t), C t^(−rate) or C e^(−rate sqrt(t + 1)).
struct DecayPrediction {
    measure::DecayLaw law = measure::DecayLaw::exponential;
    double rate = 0;
    std::string form;  ///< the law in the paper's words, e.g. "1 − γ ~ C t^(−2)"
};

/// Theorem 3.1 from random starts: one cluster (Post-LN, nGPT, LN-Scaling, uniform directions), or
/// synchronisation unless some radius stops growing (Pre-, Mix-, Peri-LN, Gaussian cloud).
enum class Clustering { one_cluster, synchronises };

struct Prediction {
    model::SchemeKind kind{};
    std::string initial_velocity_form;  ///< Theorem 4.1, dγ/dt at t = 0 (value: initial_velocity below)
    DecayPrediction terminal;           ///< Theorem 4.1, 1 − γ as t → ∞ from the orthonormal start
    DecayPrediction cone;               ///< Theorem 4.3, Var inside a cone (rate: Var ~ exp(−2 ∫ ds/s))
    Clustering clustering = Clustering::one_cluster;  ///< Theorem 3.1
    /// Theorem 3.1's corollary: dr_j/dt ≥ (e^β − (n−1))/(n e^β) > 0 when n ≤ e^β (Pre- and Peri-LN).
    bool radial_lower_bound = false;
};

/// The row of `kind`; nGPT's rates are 2α for its constant step α.
Prediction prediction(model::SchemeKind kind, double alpha);

/// Theorem 4.1's dγ/dt at t = 0 from the orthonormal start with equal radii r0 (spec §5, the table's first
/// column), for any arithmetic T: e^β + n − 1 and sqrt(e^{2β} + n − 1) are each written as e^β times a
/// factor, so that 2/z stays representable wherever the true value is (no overflow of e^{2β}). Independent
/// of the equiangular field F, which the checks measure against it.
template <class T>
T theorem41_initial_velocity(const model::Scheme<T>& scheme, std::size_t n, const T& beta, const T& r0) {
    using std::exp;
    using std::sqrt;
    const T q = exp(-beta);
    const T z = (1 + T(n - 1) * q) / q;
    const T zz = sqrt(1 + T(n - 1) * q * q) / q;
    switch (scheme.kind) {
        case model::SchemeKind::post_ln: return 2 / z;
        case model::SchemeKind::pre_ln: return 2 / (r0 * z);
        case model::SchemeKind::mix_ln: return scheme.tau > 0 ? 2 / z : 2 / (r0 * z);  // Post-LN until τ
        case model::SchemeKind::peri_ln: return 2 / (r0 * zz);
        case model::SchemeKind::ngpt: return 2 * scheme.alpha_at(T(0)) / zz;
        case model::SchemeKind::ln_scaling: return 2 / z;
    }
    __builtin_unreachable();
}

/// theorem41_initial_velocity in double for the scheme of the given kind, τ and α.
double initial_velocity(model::SchemeKind kind, std::size_t n, double beta, double r0, double tau, double alpha);

}  // namespace normdyn::checks
