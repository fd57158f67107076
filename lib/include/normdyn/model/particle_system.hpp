// The full n-particle system in ambient coordinates (spec §2): state x_j = r_j θ_j in R^d, and
//   dx_j/dt = (r_j / s_j) P_{θ_j} A_j + ρ_j θ_j,
// which is dx_j/dt = A_j for Pre-LN, A_j/|A_j| for Peri-LN, and keeps |x_j| fixed for Post-LN, nGPT and
// LN-Scaling. Directions are recomputed as x_j/|x_j| at every evaluation.
#pragma once

#include "normdyn/model/attention.hpp"
#include "normdyn/model/scheme.hpp"
#include "normdyn/model/vector_field.hpp"

#include <cstddef>
#include <optional>
#include <utility>

namespace normdyn::model {

/// Per-token quantities at one state, for observables and checks.
template <class T> struct TokenField {
    ColumnVector<T> radius;          ///< r_j = |x_j|
    ColumnVector<T> inner;           ///< <θ_j, A_j>
    ColumnVector<T> attention_norm;  ///< |A_j|
    ColumnVector<T> tangent_norm;    ///< |P_{θ_j} A_j|
    ColumnVector<T> speed_factor;    ///< s_j
    ColumnVector<T> radial_rate;     ///< ρ_j
    ColumnVector<T> log_partition;   ///< log Z_j
    RowMatrix<T> directions;         ///< Θ
    RowMatrix<T> attention;          ///< A
    RowMatrix<T> gram;               ///< G = ΘΘᵀ when asked for (evaluate's with_gram), else empty
    std::vector<bool> singular;      ///< s_j = 0 (Peri-LN, nGPT with A_j = 0): dθ_j/dt undefined
    /// |dθ_j/dt| = |P A_j| / s_j; 0 where the speed factor is singular (see `singular`).
    T speed(std::size_t j) const { return singular[j] ? T(0) : tangent_norm(j) / speed_factor(j); }
};

template <class T> class ParticleSystem final : public VectorField<T> {
public:
    using State = typename VectorField<T>::State;
    using Matrix = RowMatrix<T>;

    ParticleSystem(std::size_t n, std::size_t d, Scheme<T> scheme, Attention<T> attention);

    std::size_t tokens() const { return n_; }
    std::size_t dimension() const { return d_; }
    const Scheme<T>& scheme() const { return scheme_; }
    const Attention<T>& attention() const { return attention_; }

    void operator()(std::span<const T> x, std::span<T> dxdt, const T& t) override;
    std::vector<T> breakpoints() const override;
    void begin_segment(const T& t_start, const T& t_end) override;
    void end_segments() override { segment_after_switch_.reset(); }

    /// Everything the right-hand side computes at (x, t), token by token. Unlike operator(), a singular
    /// speed factor is recorded in TokenField::singular rather than thrown; a zero radius still throws.
    /// with_gram: also G = ΘΘᵀ, which with Q = K = I the attention then takes as its logits (one Gram
    /// matrix for both).
    TokenField<T> evaluate(std::span<const T> x, const T& t, bool with_gram = false) const;
    /// The part of evaluate() that needs no attention, rounded the same way: Θ, the radii and (with_gram) G.
    TokenField<T> directions(std::span<const T> x, const T& t, bool with_gram = false) const;

private:
    bool after_switch(const T& t) const { return segment_after_switch_ ? *segment_after_switch_ : scheme_.switched(t); }
    void normalise(std::span<const T> x, const T& t) const;  // Θ and the radii into theta_, radius_
    void directions_from(std::span<const T> x, const T& t, Matrix* gram = nullptr) const;
    bool direction_of(std::span<const T> x, std::size_t j) const;    // false: no direction (zero or non-finite radius)
    std::pair<T, T> projection_of(std::size_t j) const;         // <θ_j, A_j>, |A_j|
    Eigen::Map<Matrix> theta() const { return {theta_.data(), Eigen::Index(n_), Eigen::Index(d_)}; }
    Eigen::Map<Matrix> attention_out() const { return {attention_out_.data(), Eigen::Index(n_), Eigen::Index(d_)}; }

    std::size_t n_, d_;
    Scheme<T> scheme_;
    Attention<T> attention_;
    std::optional<bool> segment_after_switch_;
    // Θ and A, row-major n × d: State blocks (the library's pool for builtin T), so that a small problem's
    // workspace shares the pages of the solver's states instead of faulting in its own in the first solve.
    mutable State theta_, attention_out_;
    mutable ColumnVector<T> radius_;
};

}  // namespace normdyn::model
