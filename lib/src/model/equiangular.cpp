#include "normdyn/model/equiangular.hpp"

#include "normdyn/scalar.hpp"
#include "normdyn/certify/series.hpp"

#include <limits>

namespace normdyn::model {

// Spec §4 divided through by e^{β} (numerators) and e^{2β} (|A|²), written in u = 1 − γ, w = e^{−βu}.
template <class T> EquiangularField<T> equiangular_field(const T& u, std::size_t n, const T& beta) {
    using std::exp;
    using std::sqrt;
    const T m = T(n - 1);
    const T gamma = 1 - u;
    const T w = exp(-beta * u);
    const T denominator = 1 + m * w;
    EquiangularField<T> f;
    f.inner = (1 + m * gamma * w) / denominator;
    const T norm_sq = (1 + 2 * m * gamma * w + m * w * w * (1 + T(n - 2) * gamma)) / (denominator * denominator);
    f.attention_norm = sqrt(norm_sq);
    f.drift = 2 * u * (T(n) - m * u) * w / denominator;
    return f;
}

template <class T>
EquiangularSystem<T>::EquiangularSystem(std::size_t n, T beta, Scheme<T> scheme)
    : n_(n), beta_(std::move(beta)), scheme_(std::move(scheme)) {}

template <class T> std::vector<T> EquiangularSystem<T>::breakpoints() const {
    return scheme_.breakpoints(T(0), std::numeric_limits<T>::max());
}

template <class T> void EquiangularSystem<T>::begin_segment(const T& t_start, const T& t_end) {
    segment_after_switch_ = scheme_.switched((t_start + t_end) / 2);
}

// du/dt = −F(u)/s, dr/dt = ρ, with s and ρ from the scheme's row of the table.
template <class T> void EquiangularSystem<T>::rates(std::span<const T> x, const T& t, T& du, T& dr) const {
    const T& u = x[0];
    const T& r = x[1];
    const auto f = equiangular_field(u, n_, beta_);
    const bool switched = after_switch(t);
    const T s = scheme_.speed_factor(t, switched, r, f.attention_norm);
    if (!(s > 0) || !is_finite(s))
        throw FieldSingularity("singular speed factor s = " + to_decimal(s) + " at t = " + to_decimal(t));
    du = -f.drift / s;
    dr = scheme_.radial_rate(switched, f.inner, f.attention_norm);
}

template <class T> void EquiangularSystem<T>::operator()(std::span<const T> x, std::span<T> dxdt, const T& t) {
    rates(x, t, dxdt[0], dxdt[1]);
}

template <class T> T EquiangularSystem<T>::gamma_rate(std::span<const T> x, const T& t) const {
    T du, dr;
    rates(x, t, du, dr);
    return -du;
}

#define NORMDYN_INSTANTIATE(T)                                                                         \
    template struct EquiangularField<T>;                                                               \
    template EquiangularField<T> equiangular_field<T>(const T&, std::size_t, const T&);                \
    template class EquiangularSystem<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

// The field alone in intervals and in interval Taylor series (certify/: enclosures through the same lines).
template EquiangularField<certify::interval> equiangular_field<certify::interval>(const certify::interval&, std::size_t,
                                                                                const certify::interval&);
template EquiangularField<certify::Series> equiangular_field<certify::Series>(const certify::Series&, std::size_t,
                                                                            const certify::Series&);

}  // namespace normdyn::model
