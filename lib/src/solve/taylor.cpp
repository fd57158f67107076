// The Taylor integrator's step: expand, choose order and step (Jorba & Zou 2005, §3.2), sum by Horner.
#include "normdyn/solve/taylor.hpp"

#include "normdyn/scalar.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

namespace normdyn::solve {

namespace {

template <class T> const model::Scheme<T>& checked_scheme(const model::VectorField<T>& field) {
    const auto* scheme = scheme_of(field);
    if (!scheme) throw std::invalid_argument("stepper taylor: supports the equiangular and the n-particle systems only");
    return *scheme;
}

}  // namespace

template <class T>
TaylorIntegrator<T>::TaylorIntegrator(const model::VectorField<T>& field, T atol, T rtol)
    : field_(field), scheme_(checked_scheme(field)), atol_(std::move(atol)), rtol_(std::move(rtol)) {
    if (!(rtol_ > 0) || !(atol_ >= 0)) throw std::invalid_argument("stepper taylor: needs rtol > 0 and atol >= 0");
}

template <class T> taylor::Tape<T>& TaylorIntegrator<T>::tape_for(bool after_switch) {
    auto& tape = tapes_[after_switch ? 1 : 0];
    if (!tape) tape = record_taylor_tape(field_, after_switch);
    return *tape;
}

// Jorba–Zou's rule with the solver's per-component tolerance tol_i = atol + rtol |x_i| (solver.hpp): the
// relative accuracy ε = min(1, min_i tol_i / |x_i|) fixes the order p = ⌈−½ ln ε + 1⌉, and component i,
// measured on the scale s_i = tol_i / ε (≥ |x_i|), bounds the step by ρ_ij = (s_i / |x_ij|)^{1/j}, j = p − 1, p
// (a vanishing coefficient gives no bound; if all do, every order j ≥ 1 is consulted). Then
// h = min ρ_ij / e² · exp(−0.7 / (p − 1)), so that each truncation error |x_ip| h^p ≲ s_i e^{−2p} ≈ tol_i.
template <class T> T TaylorIntegrator<T>::relative_accuracy(std::span<const T> x) const {
    using std::abs;
    T epsilon = 1;
    for (const T& v : x)
        if (v != 0 && (atol_ + rtol_ * abs(v)) / abs(v) < epsilon) epsilon = (atol_ + rtol_ * abs(v)) / abs(v);
    return epsilon;
}

template <class T> T TaylorIntegrator<T>::step_size(std::span<const T> x, const T& epsilon) const {
    using std::abs;
    using std::exp;
    using std::log;
    const std::size_t p = order_;
    std::optional<T> rho;
    auto take = [&](std::size_t j) {
        for (std::size_t i = 0; i < x.size(); ++i) {
            const T& coefficient = series_[i][j];
            if (coefficient == 0) continue;
            const T scale = (atol_ + rtol_ * abs(x[i])) / epsilon;
            const T r = scale > 0 ? T(exp((log(scale) - log(abs(coefficient))) / T(j))) : T(0);
            if (!rho || r < *rho) rho = r;
        }
    };
    take(p - 1);
    take(p);
    for (std::size_t j = 1; !rho && j <= p; ++j) take(j);
    if (!rho) return std::numeric_limits<T>::infinity();  // a constant solution: the series is exact
    return *rho * exp(T(-2) - T(0.7) / T(p - 1));
}

template <class T> T TaylorIntegrator<T>::step(model::State<T>& x, const T& t, const T& max_step) {
    using std::log;
    const bool after_switch = segment_regime_ ? *segment_regime_ : scheme_.switched(t);
    auto& tape = tape_for(after_switch);
    const T epsilon = relative_accuracy(x);
    const double order = std::ceil(-0.5 * to_double(log(epsilon)) + 1);
    order_ = static_cast<std::size_t>(std::max(2.0, order));
    tape.expand(x, t, order_, series_);
    passes_ += order_;
    if (const auto problem = tape.violated_requirement(); !problem.empty())
        throw model::FieldSingularity(problem + " at t = " + to_decimal(t));
    for (const auto& series : series_)
        for (std::size_t k = 0; k <= order_; ++k)
            if (!is_finite(series[k]))
                throw model::FieldSingularity("Taylor coefficients are not finite at t = " + to_decimal(t));
    T h = step_size(x, epsilon);
    if (!(h < max_step)) h = max_step;
    evaluate(h, x);
    return h;
}

template <class T> void TaylorIntegrator<T>::evaluate(const T& offset, model::State<T>& out) const {
    out.resize(series_.size());
    for (std::size_t i = 0; i < series_.size(); ++i) {  // Horner: x(t + h) = Σ_k x_k h^k
        const auto& c = series_[i];
        out[i] = c[order_];
        for (std::size_t k = order_; k-- > 0;) {
            out[i] *= offset;
            out[i] += c[k];
        }
    }
}

#define NORMDYN_INSTANTIATE(T) template class TaylorIntegrator<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::solve
