#include "normdyn/model/particle_system.hpp"

#include "normdyn/scalar.hpp"
#include "kernels/simd.hpp"
#include "kernels/task_pool.hpp"

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <type_traits>

namespace normdyn::model {

namespace {

// Below this |A_j| the speed factor of Peri-LN (r|A_j|) or nGPT (|A_j|/α) is treated as singular: the
// velocity would exceed the range of T. sqrt(min normal) ≈ 1.5e-154 in double.
template <class T> T singular_attention_norm() {
    using std::sqrt;
    return sqrt(std::numeric_limits<T>::min());
}

// Whether a token of radius r has a direction: r positive and finite.
template <class T> bool has_direction(const T& r) { return r > 0 && is_finite(r); }

template <class T> std::string at_time(std::size_t j, const T& t) {
    std::ostringstream os;
    os << "token " << j << " at t = " << to_decimal(t);
    return os.str();
}

// Large double systems run their token loops on the kernel's threads (lib/src/kernels/task_pool.hpp), in chunks of
// tokens whose bounds depend on n alone: a token's numbers never depend on the thread count.
constexpr std::size_t token_chunk = 64;
constexpr std::size_t parallel_entries = std::size_t(1) << 15;  // n d below which one thread runs

template <class T, class Body> void for_token_chunks(std::size_t n, std::size_t d, bool serial, const Body& body) {
    const bool parallel = std::is_same_v<T, double> && !serial && n * d >= parallel_entries;
    detail::for_each_chunk(n, token_chunk, parallel ? kernel_threads() : 1,
                           [&](std::size_t, std::size_t begin, std::size_t end) { body(begin, end); });
}

// first = min(first, j): the least token a chunk reported, whichever thread reports first.
void report_token(std::atomic<std::size_t>& first, std::size_t j) {
    std::size_t seen = first.load();
    while (j < seen && !first.compare_exchange_weak(seen, j)) {
    }
}

// Row operations for double in four lanes (partial sums in a fixed order), cloned for x86-64-v3 (AVX2
// registers, FMA) where the CPU has it and baseline SSE2 elsewhere, and written in eight lanes (AVX-512) for
// the CPUs that have them (detail::wide_lanes()) with the same bits: an eight-lane partial sum is the two
// four-lane ones side by side. Eigen would pick its packets at compile time, i.e. SSE2 only. The generic
// types use Eigen's expressions.
using detail::Lanes;
using detail::Lanes8;
using detail::lane_sum;
using detail::load;

// sum + Σ_{c = from … d−1} a_c b_c, one fused multiply-add per term in order. Written out: a plain
// `sum += a[c] * b[c]` left the rounding to the vectoriser, which multiplied some terms apart and fused
// others, differently in four- and eight-lane code (d = 3: 273 of 500 inner products differed in the last
// bit).
__attribute__((always_inline)) inline double tail_dot(const double* a, const double* b, std::size_t from,
                                                      std::size_t d, double sum) {
    for (std::size_t c = from; c < d; ++c) sum = std::fma(a[c], b[c], sum);
    return sum;
}

// Σ_c a_c b_c for four pairs of rows (a + k d, b + k d): in lanes c mod 8 (two sets of four lanes, or one of
// eight), the two halves added, summed as lane_sum does, then the last d mod 8 terms. Eight independent
// chains of multiply-adds (four-lane) or four (eight-lane), so that one token's sum does not wait on its own
// latency.
template <class V>
__attribute__((always_inline)) inline void lane_dots4(const double* a, const double* b, std::size_t d, double out[4]) {
    Lanes halves[4];
    std::size_t c = 0;
    if constexpr (detail::lane_count<V> == 8) {
        Lanes8 acc[4] = {};
        for (; c + 8 <= d; c += 8)
            for (std::size_t k = 0; k < 4; ++k) acc[k] += load<Lanes8>(a + k * d + c) * load<Lanes8>(b + k * d + c);
        for (std::size_t k = 0; k < 4; ++k)
            halves[k] = detail::low_half(acc[k]) + detail::high_half(acc[k]);
    } else {
        Lanes acc0[4] = {}, acc1[4] = {};
        for (; c + 8 <= d; c += 8)
            for (std::size_t k = 0; k < 4; ++k) {
                acc0[k] += load(a + k * d + c) * load(b + k * d + c);
                acc1[k] += load(a + k * d + c + 4) * load(b + k * d + c + 4);
            }
        for (std::size_t k = 0; k < 4; ++k) halves[k] = acc0[k] + acc1[k];
    }
    const Lanes sums = detail::lane_sums(halves[0], halves[1], halves[2], halves[3]);
    for (std::size_t k = 0; k < 4; ++k) out[k] = tail_dot(a + k * d, b + k * d, c, d, sums[k]);
}

// lane_dots4's sum for one pair of rows: the same numbers.
__attribute__((always_inline)) inline double lane_dot(const double* a, const double* b, std::size_t d) {
    Lanes acc0{}, acc1{};
    std::size_t c = 0;
    for (; c + 8 <= d; c += 8) {
        acc0 += load(a + c) * load(b + c);
        acc1 += load(a + c + 4) * load(b + c + 4);
    }
    return tail_dot(a, b, c, d, lane_sum(acc0 + acc1));
}

// θ = x / r for r = |x| positive and finite (one division per token, not d).
template <class V>
__attribute__((always_inline)) inline void scale_row(const double* x, double* theta, std::size_t d, double r) {
    if (!has_direction(r)) return;
    constexpr std::size_t W = detail::lane_count<V>;
    const double inverse = 1.0 / r;
    std::size_t c = 0;
    for (; c + W <= d; c += W) detail::store(theta + c, load<V>(x + c) * inverse, W);
    for (; c < d; ++c) theta[c] = x[c] * inverse;
}

// r = |x|, and θ = x / r where r is positive and finite; returns r.
NORMDYN_CLONED double normalise_row(const double* x, double* theta, std::size_t d) {
    const double r = std::sqrt(lane_dot(x, x, d));
    scale_row<Lanes>(x, theta, d, r);
    return r;
}

// normalise_row for four consecutive tokens (rows x + k d), the same numbers.
template <class V>
__attribute__((always_inline)) inline void normalise_rows4(const double* x, double* theta, std::size_t d,
                                                           double* radius) {
    double squares[4];
    lane_dots4<V>(x, x, d, squares);
    for (std::size_t k = 0; k < 4; ++k) radius[k] = std::sqrt(squares[k]);
    for (std::size_t k = 0; k < 4; ++k) scale_row<V>(x + k * d, theta + k * d, d, radius[k]);
}

// <θ, A> and, when asked, |A|² (else 0).
NORMDYN_CLONED void project_row(const double* a, const double* theta, std::size_t d, bool with_norm, double& inner,
                                double& norm2) {
    inner = lane_dot(theta, a, d);
    norm2 = with_norm ? lane_dot(a, a, d) : 0.0;
}

// project_row for four consecutive tokens, the same numbers.
template <class V>
__attribute__((always_inline)) inline void project_rows4(const double* a, const double* theta, std::size_t d,
                                                         bool with_norm, double* inner, double* norm2) {
    lane_dots4<V>(theta, a, d, inner);
    if (with_norm) lane_dots4<V>(a, a, d, norm2);
    else norm2[0] = norm2[1] = norm2[2] = norm2[3] = 0.0;
}

// v = s (A − <θ, A> θ) + ρ θ, every entry by the same multiply-adds whatever the lanes.
template <class V>
__attribute__((always_inline)) inline void velocity_row(double* v, const double* a, const double* theta, std::size_t d,
                                                        double tangent_scale, double inner, double rho) {
    constexpr std::size_t W = detail::lane_count<V>;
    std::size_t c = 0;
    for (; c + W <= d; c += W) {
        const V t = load<V>(theta + c);
        detail::store(v + c, tangent_scale * (load<V>(a + c) - inner * t) + rho * t, W);
    }
    for (; c < d; ++c) v[c] = tangent_scale * (a[c] - inner * theta[c]) + rho * theta[c];
}

// The four-token loops above as functions: four lanes (cloned) and eight (x86-64-v4, run where wide_lanes()).
struct TokenRows {
    void (*normalise4)(const double* x, double* theta, std::size_t d, double* radius);
    void (*project4)(const double* a, const double* theta, std::size_t d, bool with_norm, double* inner,
                     double* norm2);
    void (*velocity)(double* v, const double* a, const double* theta, std::size_t d, double tangent_scale,
                     double inner, double rho);
};

// The three as functions compiled with `attributes`, in lanes V, named ..._<suffix>.
#define NORMDYN_TOKEN_ROWS(attributes, V, suffix)                                                               \
    attributes void normalise_rows4_##suffix(const double* x, double* theta, std::size_t d, double* radius) {   \
        normalise_rows4<V>(x, theta, d, radius);                                                                \
    }                                                                                                           \
    attributes void project_rows4_##suffix(const double* a, const double* theta, std::size_t d, bool with_norm, \
                                           double* inner, double* norm2) {                                      \
        project_rows4<V>(a, theta, d, with_norm, inner, norm2);                                                 \
    }                                                                                                           \
    attributes void velocity_row_##suffix(double* v, const double* a, const double* theta, std::size_t d,       \
                                          double tangent_scale, double inner, double rho) {                     \
        velocity_row<V>(v, a, theta, d, tangent_scale, inner, rho);                                             \
    }
NORMDYN_TOKEN_ROWS(NORMDYN_CLONED, Lanes, lanes4)
#ifdef NORMDYN_HAVE_WIDE
NORMDYN_TOKEN_ROWS(NORMDYN_WIDE, Lanes8, lanes8)
#endif
#undef NORMDYN_TOKEN_ROWS

TokenRows token_rows() {
#ifdef NORMDYN_HAVE_WIDE
    if (detail::wide_lanes()) return {normalise_rows4_lanes8, project_rows4_lanes8, velocity_row_lanes8};
#endif
    return {normalise_rows4_lanes4, project_rows4_lanes4, velocity_row_lanes4};
}

}  // namespace

template <class T>
ParticleSystem<T>::ParticleSystem(std::size_t n, std::size_t d, Scheme<T> scheme, Attention<T> attention)
    : n_(n), d_(d), scheme_(std::move(scheme)), attention_(std::move(attention)) {
    theta_.resize(n * d);
    attention_out_.resize(n * d);
    radius_.resize(static_cast<Eigen::Index>(n));
}

template <class T> std::vector<T> ParticleSystem<T>::breakpoints() const {
    return scheme_.breakpoints(T(0), std::numeric_limits<T>::max());
}

template <class T> void ParticleSystem<T>::begin_segment(const T& t_start, const T& t_end) {
    // The regime of the open interval (t_start, t_end), which contains no breakpoint.
    segment_after_switch_ = scheme_.switched((t_start + t_end) / 2);
}

// θ_j = x_j / |x_j|; a zero or non-finite radius has no direction.
template <class T> bool ParticleSystem<T>::direction_of(std::span<const T> x, std::size_t j) const {
    using std::sqrt;
    const auto row = Eigen::Index(j);
    if constexpr (std::is_same_v<T, double>) {
        radius_(row) = normalise_row(x.data() + j * d_, theta().row(row).data(), d_);
    } else {
        Eigen::Map<const Eigen::Matrix<T, 1, Eigen::Dynamic>> position(x.data() + j * d_, Eigen::Index(d_));
        radius_(row) = sqrt(position.squaredNorm());
        if (has_direction(radius_(row))) theta().row(row) = position * (T(1) / radius_(row));
    }
    return has_direction(radius_(row));
}

template <class T> void ParticleSystem<T>::normalise(std::span<const T> x, const T& t) const {
    std::atomic<std::size_t> bad{n_};
    const TokenRows rows = token_rows();
    for_token_chunks<T>(n_, d_, false, [&](std::size_t begin, std::size_t end) {
        std::size_t j = begin;
        if constexpr (std::is_same_v<T, double>)
            for (; j + 4 <= end; j += 4) {
                rows.normalise4(x.data() + j * d_, theta().row(Eigen::Index(j)).data(), d_, radius_.data() + j);
                for (std::size_t k = j; k < j + 4; ++k)
                    if (!has_direction(radius_(Eigen::Index(k)))) {
                        report_token(bad, k);
                        return;
                    }
            }
        for (; j < end; ++j)
            if (!direction_of(x, j)) {
                report_token(bad, j);
                return;
            }
    });
    if (bad.load() < n_) throw FieldSingularity("token radius is zero or not finite (" + at_time(bad.load(), t) + ")");
}

template <class T> void ParticleSystem<T>::directions_from(std::span<const T> x, const T& t, Matrix* gram) const {
    normalise(x, t);
    const typename Attention<T>::ConstRows directions(theta_.data(), Eigen::Index(n_), Eigen::Index(d_));
    if (gram) gram_matrix(directions, *gram);
    attention_.apply(directions, attention_out(), RowNorms::unit, gram);
}

// <θ_j, A_j> and |A_j| (0 unless the scheme divides by it).
template <class T> std::pair<T, T> ParticleSystem<T>::projection_of(std::size_t j) const {
    using std::sqrt;
    const auto row = Eigen::Index(j);
    const bool with_norm = scheme_.divides_by_attention();
    if constexpr (std::is_same_v<T, double>) {
        double inner = 0, norm2 = 0;
        project_row(attention_out().row(row).data(), theta().row(row).data(), d_, with_norm, inner, norm2);
        return {inner, sqrt(norm2)};
    } else {
        const auto a = attention_out().row(row);
        return {theta().row(row).dot(a), with_norm ? T(sqrt(a.squaredNorm())) : T(0)};
    }
}

// dx_j/dt = (r_j / s_j) P_{θ_j} A_j + ρ_j θ_j (spec §2).
template <class T> void ParticleSystem<T>::operator()(std::span<const T> x, std::span<T> dxdt, const T& t) {
    directions_from(x, t);
    const bool switched = after_switch(t);
    std::atomic<std::size_t> singular{n_};
    const TokenRows rows = token_rows();
    // A test's speed-factor hook may keep state: it runs on this thread only.
    // Token j's velocity from <θ_j, A_j> and |A_j|; false where the speed factor is singular.
    auto velocity_of = [&](std::size_t j, const T& inner, const T& attention_norm) {
        const auto row = Eigen::Index(j);
        if (scheme_.divides_by_attention() && !(attention_norm > singular_attention_norm<T>())) return false;
        const T s = scheme_.speed_factor(t, switched, radius_(row), attention_norm);
        const T rho = scheme_.radial_rate(switched, inner, attention_norm);
        const T tangent_scale = radius_(row) / s;
        if constexpr (std::is_same_v<T, double>) {
            rows.velocity(dxdt.data() + j * d_, attention_out().row(row).data(), theta().row(row).data(), d_,
                         tangent_scale, inner, rho);
        } else {
            Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> velocity(dxdt.data() + j * d_, Eigen::Index(d_));
            velocity = ambient_velocity(tangent_scale, attention_out().row(row), inner, theta().row(row), rho);
        }
        return true;
    };
    for_token_chunks<T>(n_, d_, bool(scheme_.speed_factor_override), [&](std::size_t begin, std::size_t end) {
        std::size_t j = begin;
        if constexpr (std::is_same_v<T, double>)
            for (; j + 4 <= end; j += 4) {
                double inner[4], norm2[4];
                rows.project4(attention_out().row(Eigen::Index(j)).data(), theta().row(Eigen::Index(j)).data(), d_,
                              scheme_.divides_by_attention(), inner, norm2);
                for (std::size_t k = 0; k < 4; ++k)
                    if (!velocity_of(j + k, inner[k], std::sqrt(norm2[k]))) {
                        report_token(singular, j + k);
                        return;
                    }
            }
        for (; j < end; ++j) {
            const auto [inner, attention_norm] = projection_of(j);
            if (!velocity_of(j, inner, attention_norm)) {
                report_token(singular, j);
                return;
            }
        }
    });
    if (const std::size_t j = singular.load(); j < n_)
        throw FieldSingularity("singular speed factor: |A_j| = " + to_decimal(projection_of(j).second) + " for " +
                               at_time(j, t));
}

template <class T> TokenField<T> ParticleSystem<T>::evaluate(std::span<const T> x, const T& t, bool with_gram) const {
    using std::sqrt;
    TokenField<T> f;
    directions_from(x, t, with_gram ? &f.gram : nullptr);
    const bool switched = after_switch(t);
    const auto n = static_cast<Eigen::Index>(n_);
    f.radius = radius_;
    f.directions = theta();
    f.attention = attention_out();
    f.log_partition = attention_.log_partition();
    f.inner.resize(n);
    f.attention_norm.resize(n);
    f.tangent_norm.resize(n);
    f.speed_factor.resize(n);
    f.radial_rate.resize(n);
    f.singular.assign(std::size_t(n), false);
    for (Eigen::Index j = 0; j < n; ++j) {
        const auto a = attention_out().row(j);
        const auto direction = theta().row(j);
        f.inner(j) = direction.dot(a);
        f.attention_norm(j) = sqrt(a.squaredNorm());
        f.tangent_norm(j) = sqrt((a - f.inner(j) * direction).squaredNorm());
        f.singular[std::size_t(j)] =
            scheme_.divides_by_attention() && !(f.attention_norm(j) > singular_attention_norm<T>());
        f.speed_factor(j) = scheme_.speed_factor(t, switched, f.radius(j), f.attention_norm(j));
        f.radial_rate(j) = scheme_.radial_rate(switched, f.inner(j), f.attention_norm(j));
    }
    return f;
}

template <class T> TokenField<T> ParticleSystem<T>::directions(std::span<const T> x, const T& t, bool with_gram) const {
    normalise(x, t);
    TokenField<T> f;
    f.radius = radius_;
    f.directions = theta();
    if (with_gram) gram_matrix(f.directions, f.gram);
    return f;
}

#define NORMDYN_INSTANTIATE(T) template class ParticleSystem<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
