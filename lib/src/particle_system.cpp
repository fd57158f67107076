#include "normdyn/model/particle_system.hpp"

#include "normdyn/scalar.hpp"

#include <limits>
#include <sstream>

namespace normdyn::model {

namespace {

// Below this |A_j| the speed factor of Peri-LN (r|A_j|) or nGPT (|A_j|/α) is treated as singular: the
// velocity would exceed the range of T. sqrt(min normal) ≈ 1.5e-154 in double.
template <class T> T singular_attention_norm() {
    using std::sqrt;
    return sqrt(std::numeric_limits<T>::min());
}

template <class T> std::string at_time(std::size_t j, const T& t) {
    std::ostringstream os;
    os << "token " << j << " at t = " << to_decimal(t);
    return os.str();
}

}  // namespace

template <class T>
ParticleSystem<T>::ParticleSystem(std::size_t n, std::size_t d, Scheme<T> scheme, Attention<T> attention)
    : n_(n), d_(d), scheme_(std::move(scheme)), attention_(std::move(attention)) {
    theta_.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
    attention_out_.resize(theta_.rows(), theta_.cols());
    radius_.resize(theta_.rows());
}

template <class T> std::vector<T> ParticleSystem<T>::breakpoints() const {
    return scheme_.breakpoints(T(0), std::numeric_limits<T>::max());
}

template <class T> void ParticleSystem<T>::begin_segment(const T& t_start, const T& t_end) {
    // The regime of the open interval (t_start, t_end), which contains no breakpoint.
    segment_after_switch_ = scheme_.switched((t_start + t_end) / 2);
}

// θ_j = x_j / |x_j|; a zero or non-finite radius has no direction.
template <class T> void ParticleSystem<T>::directions_from(const State& x, const T& t) const {
    using std::sqrt;
    const auto n = static_cast<Eigen::Index>(n_), d = static_cast<Eigen::Index>(d_);
    Eigen::Map<const Matrix> positions(x.data(), n, d);
    for (Eigen::Index j = 0; j < n; ++j) {
        radius_(j) = sqrt(positions.row(j).squaredNorm());
        if (!(radius_(j) > 0) || !is_finite(radius_(j)))
            throw FieldSingularity("token radius is zero or not finite (" + at_time(std::size_t(j), t) + ")");
        const T inverse = T(1) / radius_(j);  // one division per token, not d
        theta_.row(j) = positions.row(j) * inverse;
    }
    attention_.apply(theta_, attention_out_);
}

// dx_j/dt = (r_j / s_j) P_{θ_j} A_j + ρ_j θ_j (spec §2).
template <class T> void ParticleSystem<T>::operator()(const State& x, State& dxdt, const T& t) {
    using std::sqrt;
    directions_from(x, t);
    const bool switched = after_switch(t);
    const auto n = static_cast<Eigen::Index>(n_), d = static_cast<Eigen::Index>(d_);
    Eigen::Map<Matrix> velocity(dxdt.data(), n, d);
    for (Eigen::Index j = 0; j < n; ++j) {
        const auto a = attention_out_.row(j);
        const auto theta = theta_.row(j);
        const T inner = theta.dot(a);
        T attention_norm = 0;
        if (scheme_.divides_by_attention()) {
            attention_norm = sqrt(a.squaredNorm());
            if (!(attention_norm > singular_attention_norm<T>()))
                throw FieldSingularity("singular speed factor: |A_j| = " + to_decimal(attention_norm) +
                                       " for " + at_time(std::size_t(j), t));
        }
        const T s = scheme_.speed_factor(t, switched, radius_(j), attention_norm);
        const T rho = scheme_.radial_rate(switched, inner, attention_norm);
        const T tangent_scale = radius_(j) / s;
        velocity.row(j) = tangent_scale * (a - inner * theta) + rho * theta;
    }
}

template <class T> TokenField<T> ParticleSystem<T>::evaluate(const State& x, const T& t) const {
    using std::sqrt;
    directions_from(x, t);
    const bool switched = after_switch(t);
    const auto n = static_cast<Eigen::Index>(n_);
    TokenField<T> f;
    f.radius = radius_;
    f.directions = theta_;
    f.attention = attention_out_;
    f.log_partition = attention_.log_partition();
    f.inner.resize(n);
    f.attention_norm.resize(n);
    f.tangent_norm.resize(n);
    f.speed_factor.resize(n);
    f.radial_rate.resize(n);
    f.singular.assign(std::size_t(n), false);
    for (Eigen::Index j = 0; j < n; ++j) {
        const auto a = attention_out_.row(j);
        const auto theta = theta_.row(j);
        f.inner(j) = theta.dot(a);
        f.attention_norm(j) = sqrt(a.squaredNorm());
        f.tangent_norm(j) = sqrt((a - f.inner(j) * theta).squaredNorm());
        f.singular[std::size_t(j)] =
            scheme_.divides_by_attention() && !(f.attention_norm(j) > singular_attention_norm<T>());
        f.speed_factor(j) = scheme_.speed_factor(t, switched, f.radius(j), f.attention_norm(j));
        f.radial_rate(j) = scheme_.radial_rate(switched, f.inner(j), f.attention_norm(j));
    }
    return f;
}

#define NORMDYN_INSTANTIATE(T) template class ParticleSystem<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
