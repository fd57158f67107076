// The equiangular (symmetric-start) reduction of spec §4: from the orthonormal start with equal radii all
// pairwise cosines stay equal to γ(t). The state is (u, r) with u = 1 − γ, which keeps full relative
// accuracy as γ → 1 (spec §8). With w = e^{−βu} (≤ 1, so no overflow for any β):
//   <θ_j, A_j> = (1 + (n−1)(1−u) w) / (1 + (n−1) w)
//   |A_j|²     = (1 + 2(n−1)(1−u) w + (n−1) w² (1 + (n−2)(1−u))) / (1 + (n−1) w)²
//   F          = dγ/dt · s = 2 u (n − (n−1) u) w / (1 + (n−1) w)
#pragma once

#include "normdyn/model/scheme.hpp"
#include "normdyn/model/vector_field.hpp"

#include <optional>

namespace normdyn::model {

template <class T> struct EquiangularField {
    T inner;           ///< <θ_j, A_j>
    T attention_norm;  ///< |A_j|
    T drift;           ///< F(γ) = s · dγ/dt
};

/// The closed forms above at u = 1 − γ.
template <class T> EquiangularField<T> equiangular_field(const T& u, std::size_t n, const T& beta);

template <class T> class EquiangularSystem final : public VectorField<T> {
public:
    using State = typename VectorField<T>::State;  ///< {u, r}

    EquiangularSystem(std::size_t n, T beta, Scheme<T> scheme);

    std::size_t tokens() const { return n_; }
    const T& beta() const { return beta_; }
    const Scheme<T>& scheme() const { return scheme_; }

    /// {u, r} at t = 0: u = 1 (orthonormal start), r = r0.
    static State initial_state(const T& r0) { return {T(1), r0}; }

    void operator()(std::span<const T> x, std::span<T> dxdt, const T& t) override;
    std::vector<T> breakpoints() const override;
    void begin_segment(const T& t_start, const T& t_end) override;
    void end_segments() override { segment_after_switch_.reset(); }

    /// dγ/dt at (x, t) (= −du/dt).
    T gamma_rate(std::span<const T> x, const T& t) const;

private:
    bool after_switch(const T& t) const { return segment_after_switch_ ? *segment_after_switch_ : scheme_.switched(t); }
    void rates(std::span<const T> x, const T& t, T& du, T& dr) const;

    std::size_t n_;
    T beta_;
    Scheme<T> scheme_;
    std::optional<bool> segment_after_switch_;
};

}  // namespace normdyn::model
