#include "normdyn/measure/observables.hpp"

#include "normdyn/scalar.hpp"

#include <limits>
#include <numeric>
#include <optional>

namespace normdyn::measure {

// Everything pairwise comes from Gram matrices made by matrix products (O(n² d) in BLAS for double, then
// O(n²) loops), never from a loop over pairs of d-vectors:
// - G = Θ Θᵀ gives the cosines <θ_j, θ_k>, and 1 − cos_jk = (G_jj + G_kk − 2 G_jk)/2 with an absolute error of
//   a few (d + 4) ε. It is the Gram matrix the field evaluation forms for its logits (ParticleSystem::evaluate
//   with_gram), so a sample with every observable costs one field evaluation plus O(n²) passes.
// - H = U Uᵀ with U = Θ − 1 θ̄ᵀ (directions about their mean) gives 1 − cos_jk = |θ_j − θ_k|²/2 =
//   (H_jj + H_kk − 2 H_jk)/2 (spec §8) with an absolute error of a few (d + 4) ε max(|u_j|², |u_k|²): full
//   relative accuracy inside a cluster of any diameter. It costs a second product, so it is formed only when
//   G cannot decide: when more than n pairs tie for the widest gap within G's error, or when the cluster
//   tolerance is below G's resolution.
// The few pairs whose gap matters beyond either bound (the widest pairs for the spread, pairs at the cluster
// tolerance) are recomputed as |θ_j − θ_k|²/2, so spread and clusters equal the pair-by-pair values.

namespace {

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

/// Gaps |θ_j − θ_k|²/2 from the Gram matrix of the rows about some centre (0 for G, θ̄ for H).
template <class T> struct Gaps {
    const model::RowMatrix<T>& gram;
    std::vector<T> reach;  ///< |row_j| = sqrt(gram_jj), for the error bounds

    explicit Gaps(const model::RowMatrix<T>& g) : gram(g) {
        using std::sqrt;
        for (Eigen::Index j = 0; j < g.rows(); ++j) reach.push_back(sqrt(g(j, j)));
    }
    T gap(Eigen::Index j, Eigen::Index k) const { return (gram(j, j) + gram(k, k) - 2 * gram(j, k)) / 2; }
    /// A bound on the error of gap(j, k) (rounding of the centred rows and of the products, safety factor 4).
    T error_bound(Eigen::Index j, Eigen::Index k, const T& unit) const {
        const T both = reach[std::size_t(j)] + reach[std::size_t(k)];
        return unit * both * both;
    }
};

template <class T> model::RowMatrix<T> centered_gram(const model::RowMatrix<T>& directions) {
    const model::RowMatrix<T> centered = directions.rowwise() - directions.colwise().mean();
    model::RowMatrix<T> h;
    model::gram_matrix(centered, h);
    return h;
}

template <class T> T exact_gap(const model::RowMatrix<T>& directions, Eigen::Index j, Eigen::Index k) {
    return (directions.row(j) - directions.row(k)).squaredNorm() / 2;
}

template <class T> T gap_unit(Eigen::Index d) {
    return T(4) * T(double(d + 4)) * std::numeric_limits<T>::epsilon();
}

template <class T>
std::size_t clusters_from(const model::RowMatrix<T>& directions, const Gaps<T>& gaps, const T& tolerance) {
    using std::abs;
    const auto n = directions.rows();
    const T unit = gap_unit<T>(directions.cols());
    std::vector<std::size_t> parent(static_cast<std::size_t>(n));
    std::iota(parent.begin(), parent.end(), std::size_t(0));
    std::size_t clusters = std::size_t(n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = j + 1; k < n; ++k) {
            T gap = gaps.gap(j, k);
            if (abs(gap - tolerance) <= gaps.error_bound(j, k, unit)) gap = exact_gap(directions, j, k);
            if (gap < tolerance) {
                auto a = find_root(parent, std::size_t(j)), b = find_root(parent, std::size_t(k));
                if (a != b) {
                    parent[a] = b;
                    --clusters;
                }
            }
        }
    return clusters;
}

/// max_{j<k} |θ_j − θ_k|²/2: the pairs that may be the widest within the gaps' error bounds, recomputed pair
/// by pair; nothing when more than `limit` pairs qualify (the gaps cannot tell them apart).
template <class T>
std::optional<T> spread_from(const model::RowMatrix<T>& directions, const Gaps<T>& gaps, std::size_t limit) {
    const auto n = directions.rows();
    const T unit = gap_unit<T>(directions.cols());
    T widest = gaps.gap(0, 1), widest_bound = gaps.error_bound(0, 1, unit);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = j + 1; k < n; ++k)
            if (const T gap = gaps.gap(j, k); gap > widest) {
                widest = gap;
                widest_bound = gaps.error_bound(j, k, unit);
            }
    std::size_t candidates = 0;
    T spread = 0;
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = j + 1; k < n; ++k)
            if (gaps.gap(j, k) + gaps.error_bound(j, k, unit) >= widest - widest_bound) {
                if (++candidates > limit) return std::nullopt;
                spread = std::max<T>(spread, exact_gap(directions, j, k));
            }
    return spread;
}

}  // namespace

template <class T> std::size_t count_clusters(const model::RowMatrix<T>& directions, const T& tolerance) {
    const auto h = centered_gram(directions);
    return clusters_from(directions, Gaps<T>(h), tolerance);
}

template <class T>
Observables<T> observe(const model::ParticleSystem<T>& system, std::span<const std::type_identity_t<T>> x, const T& t,
                       const std::vector<T>& initial_radii, const T& cluster_tolerance, const Selection& want) {
    using std::abs;
    using std::exp;
    using std::log;
    const T beta = system.attention().beta();
    // With Q = K = I the field's log Z_j = log Σ_k exp(β <θ_j, θ_k>) sum to log(−E) (spec §3): no second pass
    // of n² exponentials.
    const bool energy_from_field = want.speed && system.attention().is_identity();
    const bool pairwise = want.cosines || want.spread || want.clusters || (want.energy && !energy_from_field);
    model::TokenField<T> field;
    if (want.speed) {
        field = system.evaluate(x, t, pairwise);
    } else {
        field = system.directions(x, t, pairwise);
    }
    const auto& theta = field.directions;
    const auto& gram = field.gram;
    const auto n = theta.rows();
    const Gaps<T> cosine_gaps(gram);
    Observables<T> o;

    if (want.cosines && n > 1) {
        o.gamma_min = gram(0, 1);
        o.gamma_max = gram(0, 1);
        T sum = 0;
        for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index k = j + 1; k < n; ++k) {
                o.gamma_min = std::min<T>(o.gamma_min, gram(j, k));
                o.gamma_max = std::max<T>(o.gamma_max, gram(j, k));
                sum += gram(j, k);
            }
        o.gamma_mean = sum / T(n * (n - 1) / 2);
    }
    // H only when G cannot decide (see the top of this file); formed at most once.
    model::RowMatrix<T> centered;
    std::optional<Gaps<T>> centered_cache;
    const auto centered_gaps = [&]() -> const Gaps<T>& {
        if (!centered_cache) {
            centered = centered_gram(theta);
            centered_cache.emplace(centered);
        }
        return *centered_cache;
    };
    if (want.spread && n > 1) {
        auto spread = spread_from(theta, cosine_gaps, std::size_t(n));
        if (!spread) spread = spread_from(theta, centered_gaps(), std::numeric_limits<std::size_t>::max());
        o.spread = *spread;
    }
    if (want.clusters) {
        // Unit rows: G's gap bound is at most 4 gap_unit; below twice that G cannot separate the tolerance.
        const bool resolved = cluster_tolerance > 8 * gap_unit<T>(theta.cols());
        o.clusters = clusters_from(theta, resolved ? cosine_gaps : centered_gaps(), cluster_tolerance);
    }

    // Var = (1/n) Σ |θ_k − θ̄|² (spec §5, Theorem 4.3), summed directly rather than as 1 − |θ̄|².
    if (want.var) {
        const Eigen::Matrix<T, 1, Eigen::Dynamic> mean = theta.colwise().mean();
        for (Eigen::Index k = 0; k < n; ++k) o.var += (theta.row(k) - mean).squaredNorm();
        o.var /= T(n);
    }

    // E = −Σ_{j,k} exp(β <θ_j, θ_k>) and dE/dt = −2β Σ_j (Z_j/s_j) |P A_j|² (spec §3), both through
    // logarithms: Z_j and e^β overflow double near β = 709 while |P A_j|² may underflow.
    if (want.energy) {
        if (energy_from_field) {
            const auto& log_z = field.log_partition;
            const T top = log_z.maxCoeff();
            T scaled_sum = 0;
            for (Eigen::Index j = 0; j < n; ++j) scaled_sum += exp(log_z(j) - top);
            o.log_energy = top + log(scaled_sum);
        } else {
            T scaled_sum = 0;
            for (Eigen::Index j = 0; j < n; ++j)
                for (Eigen::Index k = 0; k < n; ++k) scaled_sum += exp(beta * (gram(j, k) - 1));
            o.log_energy = beta + log(scaled_sum);
        }
        o.energy = -exp(o.log_energy);
    }
    if (want.speed) {
        for (Eigen::Index j = 0; j < n; ++j) {
            o.speed_max = std::max<T>(o.speed_max, field.speed(std::size_t(j)));
            if (field.singular[std::size_t(j)]) {
                ++o.singular_tokens;
                continue;
            }
            if (!(field.tangent_norm(j) > 0) || !(beta > 0)) continue;
            o.energy_rate -= exp(log(2 * beta) + field.log_partition(j) - log(field.speed_factor(j)) +
                                 2 * log(field.tangent_norm(j)));
        }
    }

    if (want.radius) {
        o.radius_min = field.radius.minCoeff();
        o.radius_mean = field.radius.mean();
        if (model::keeps_radius(system.scheme().kind) && initial_radii.size() == std::size_t(n))
            for (Eigen::Index j = 0; j < n; ++j)
                o.norm_drift = std::max<T>(o.norm_drift, abs(field.radius(j) - initial_radii[std::size_t(j)]));
    }
    return o;
}

#define NORMDYN_INSTANTIATE(T)                                                                       \
    template struct Observables<T>;                                                                  \
    template std::size_t count_clusters<T>(const model::RowMatrix<T>&, const T&);                    \
    template Observables<T> observe<T>(const model::ParticleSystem<T>&, std::span<const T>,          \
                                       const T&, const std::vector<T>&, const T&, const Selection&);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::measure
