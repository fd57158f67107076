// A problem as a value (architecture: "Data flows one way, as values"): the system, the scheme with its
// parameters, n, d, β, Q/K/V, the start and the horizon. The command line, the report's claims, the
// benchmarks and the tests build one and hand it to solve::solve(problem, method, sampling).
#pragma once

#include "normdyn/model/attention.hpp"
#include "normdyn/model/attention_weights.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/scheme.hpp"
#include "normdyn/model/vector_field.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace normdyn::model {

/// The full n-particle system of spec §2, or the 2-variable equiangular reduction of spec §4 (state u = 1 − γ, r).
enum class SystemKind { particles, equiangular };
std::string to_string(SystemKind system);

template <class T> struct Problem {
    SystemKind system = SystemKind::particles;
    Scheme<T> scheme;              ///< kind, Mix-LN's τ, nGPT's α
    std::size_t n = 32;            ///< tokens
    std::size_t d = 16;            ///< dimension (particles)
    T beta = 1;                    ///< inverse temperature β ≥ 0
    T r0 = 1;                      ///< radius of the orthonormal, uniform, cone and antipodal starts
    std::optional<RowMatrix<T>> query, key, value;  ///< d × d attention weights; empty: the identity
    std::size_t heads = 1;         ///< attention heads H (H divides d; model/attention.hpp)
    bool causal = false;           ///< causal mask: token j attends to k ≤ j
    InitSpec init;                 ///< the start (particles); scheme_default: the scheme's own (spec §2)
    std::uint64_t seed = 0;        ///< of a random start
    std::optional<RowMatrix<T>> positions;  ///< an explicit start x (n × d), instead of init
    T t0 = 0, t_end = 10;

    /// Throws std::invalid_argument naming the parameter (as the command line's flag) when the problem
    /// cannot be set up: n < 1 (n < 2 for the equiangular reduction), orthonormal with d < n, negative β, …
    void validate() const;
    /// The attention of spec §1 with β and Q, K, V.
    Attention<T> attention() const;
    /// The start x(t0) as the solver's flat state: particles row-major (x_j contiguous), equiangular {u = 1, r0}.
    State<T> initial_state() const;
    /// The vector field: a ParticleSystem or an EquiangularSystem.
    std::unique_ptr<VectorField<T>> field() const;
    /// Whether the theorems' hypotheses on the attention hold: Q = K = V = I, one head, no mask.
    bool identity_attention() const { return !query && !key && !value && heads == 1 && !causal; }
};

/// A problem as text, before the scalar type is known: reals are decimal strings, read by each type at its
/// own precision (so "0.1" is not a double in mp50). The command line's RunConfig and the order study's
/// OrderProblem are this plus their own fields; at<T>() makes the Problem (weights drawn from the seed as
/// model/attention_weights.hpp says, start from init).
struct ProblemText {
    SystemKind system = SystemKind::particles;
    SchemeKind scheme = SchemeKind::post_ln;
    std::size_t n = 32, d = 16;
    std::string beta = "1", r0 = "1", tau = "1", alpha = "1", t_end = "10";
    InitSpec init;  ///< particles only; scheme_default is the scheme's own start (spec §2)
    std::uint64_t seed = 0;
    std::array<WeightSpec, 3> weights;  ///< Q, K, V
    std::string weight_std = "1";       ///< std of the kind random
    std::size_t heads = 1;
    bool causal = false;

    template <class T> Problem<T> at() const;
};

}  // namespace normdyn::model
