#include "normdyn/measure/observables.hpp"

#include "normdyn/scalar.hpp"

#include <limits>
#include <numeric>

namespace normdyn::measure {

// Everything pairwise comes from two Gram matrices made by matrix products (O(n² d) in BLAS for double,
// then O(n²) loops), never from a loop over pairs of d-vectors:
// - G = Θ Θᵀ gives the cosines <θ_j, θ_k> and the energy;
// - H = U Uᵀ with U = Θ − 1 θ̄ᵀ (directions about their mean) gives 1 − cos_jk = |θ_j − θ_k|²/2 =
//   (H_jj + H_kk − 2 H_jk)/2 (spec §8) with an absolute error of a few (d + 4) ε max(|u_j|², |u_k|²): full
//   relative accuracy inside a cluster of any diameter. The few pairs whose gap matters beyond that bound
//   (the widest pair for the spread, pairs at the cluster tolerance) are recomputed as |θ_j − θ_k|²/2.

namespace {

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

template <class T> struct CenteredGram {
    model::RowMatrix<T> gram;  ///< H = U Uᵀ
    /// |θ_j − θ_k|²/2 from H.
    T gap(Eigen::Index j, Eigen::Index k) const { return (gram(j, j) + gram(k, k) - 2 * gram(j, k)) / 2; }
    /// A bound on the error of gap(j, k) (rounding of U and of the products, with a safety factor 4).
    T error_bound(Eigen::Index j, Eigen::Index k, const T& unit) const {
        using std::sqrt;
        const T reach = sqrt(gram(j, j)) + sqrt(gram(k, k));
        return unit * reach * reach;
    }
};

template <class T> CenteredGram<T> centered_gram(const model::RowMatrix<T>& directions) {
    const model::RowMatrix<T> centered = directions.rowwise() - directions.colwise().mean();
    CenteredGram<T> h;
    model::gram_matrix(centered, h.gram);
    return h;
}

template <class T> T exact_gap(const model::RowMatrix<T>& directions, Eigen::Index j, Eigen::Index k) {
    return (directions.row(j) - directions.row(k)).squaredNorm() / 2;
}

template <class T> T gap_unit(Eigen::Index d) {
    return T(4) * T(double(d + 4)) * std::numeric_limits<T>::epsilon();
}

template <class T>
std::size_t clusters_from(const model::RowMatrix<T>& directions, const CenteredGram<T>& h, const T& tolerance) {
    using std::abs;
    const auto n = directions.rows();
    const T unit = gap_unit<T>(directions.cols());
    std::vector<std::size_t> parent(static_cast<std::size_t>(n));
    std::iota(parent.begin(), parent.end(), std::size_t(0));
    std::size_t clusters = std::size_t(n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = j + 1; k < n; ++k) {
            T gap = h.gap(j, k);
            if (abs(gap - tolerance) <= h.error_bound(j, k, unit)) gap = exact_gap(directions, j, k);
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

}  // namespace

template <class T> std::size_t count_clusters(const model::RowMatrix<T>& directions, const T& tolerance) {
    return clusters_from(directions, centered_gram(directions), tolerance);
}

template <class T>
Observables<T> observe(const model::ParticleSystem<T>& system, std::span<const std::type_identity_t<T>> x, const T& t,
                       const std::vector<T>& initial_radii, const T& cluster_tolerance) {
    using std::abs;
    using std::exp;
    using std::log;
    const auto field = system.evaluate(x, t);
    const auto& theta = field.directions;
    const auto n = theta.rows();
    const T beta = system.attention().beta();
    Observables<T> o;

    model::RowMatrix<T> gram;
    model::gram_matrix(theta, gram);
    const CenteredGram<T> centered = centered_gram(theta);

    // Pairwise cosines from G; the spread max_{j<k} |θ_j − θ_k|²/2 from H, its widest pairs recomputed.
    if (n > 1) {
        o.gamma_min = gram(0, 1);
        o.gamma_max = gram(0, 1);
        T sum = 0, widest = 0;
        for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index k = j + 1; k < n; ++k) {
                o.gamma_min = std::min<T>(o.gamma_min, gram(j, k));
                o.gamma_max = std::max<T>(o.gamma_max, gram(j, k));
                sum += gram(j, k);
                widest = std::max<T>(widest, centered.gap(j, k));
            }
        o.gamma_mean = sum / T(n * (n - 1) / 2);
        const T unit = gap_unit<T>(theta.cols());
        for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index k = j + 1; k < n; ++k)
                if (centered.gap(j, k) >= widest - centered.error_bound(j, k, unit))
                    o.spread = std::max<T>(o.spread, exact_gap(theta, j, k));
    }
    o.clusters = clusters_from(theta, centered, cluster_tolerance);

    // Var = (1/n) Σ |θ_k − θ̄|² (spec §5, Theorem 4.3) = trace(H)/n, summed directly rather than as 1 − |θ̄|².
    for (Eigen::Index k = 0; k < n; ++k) o.var += centered.gram(k, k);
    o.var /= T(n);

    // E = −Σ_{j,k} exp(β <θ_j, θ_k>) and dE/dt = −2β Σ_j (Z_j/s_j) |P A_j|² (spec §3), both through
    // logarithms: Z_j and e^β overflow double near β = 709 while |P A_j|² may underflow.
    T scaled_sum = 0;
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = 0; k < n; ++k) scaled_sum += exp(beta * (gram(j, k) - 1));
    o.log_energy = beta + log(scaled_sum);
    o.energy = -exp(o.log_energy);
    for (Eigen::Index j = 0; j < n; ++j) {
        if (field.singular[std::size_t(j)]) {
            ++o.singular_tokens;
            continue;
        }
        if (!(field.tangent_norm(j) > 0) || !(beta > 0)) continue;
        o.energy_rate -= exp(log(2 * beta) + field.log_partition(j) - log(field.speed_factor(j)) +
                             2 * log(field.tangent_norm(j)));
    }

    o.radius_min = field.radius.minCoeff();
    o.radius_mean = field.radius.mean();
    for (Eigen::Index j = 0; j < n; ++j) o.speed_max = std::max<T>(o.speed_max, field.speed(std::size_t(j)));
    if (model::keeps_radius(system.scheme().kind) && initial_radii.size() == std::size_t(n))
        for (Eigen::Index j = 0; j < n; ++j)
            o.norm_drift = std::max<T>(o.norm_drift, abs(field.radius(j) - initial_radii[std::size_t(j)]));
    return o;
}

#define NORMDYN_INSTANTIATE(T)                                                                       \
    template struct Observables<T>;                                                                  \
    template std::size_t count_clusters<T>(const model::RowMatrix<T>&, const T&);                    \
    template Observables<T> observe<T>(const model::ParticleSystem<T>&, std::span<const T>,          \
                                       const T&, const std::vector<T>&, const T&);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::measure
