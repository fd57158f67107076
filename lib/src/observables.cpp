#include "normdyn/measure/observables.hpp"

#include "normdyn/scalar.hpp"

#include <numeric>

namespace normdyn::measure {

namespace {

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

}  // namespace

template <class T> std::size_t count_clusters(const model::RowMatrix<T>& directions, const T& tolerance) {
    const auto n = directions.rows();
    std::vector<std::size_t> parent(static_cast<std::size_t>(n));
    std::iota(parent.begin(), parent.end(), std::size_t(0));
    std::size_t clusters = std::size_t(n);
    // 1 − cos = |θ_j − θ_k|²/2 for unit vectors (spec §8): no cancellation near 1.
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = j + 1; k < n; ++k) {
            const T gap = (directions.row(j) - directions.row(k)).squaredNorm() / 2;
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

template <class T>
Observables<T> observe(const model::ParticleSystem<T>& system, const std::vector<T>& x, const T& t,
                       const std::vector<T>& initial_radii, const T& cluster_tolerance) {
    using std::abs;
    using std::exp;
    using std::log;
    const auto field = system.evaluate(x, t);
    const auto& theta = field.directions;
    const auto n = theta.rows();
    const T beta = system.attention().beta();
    Observables<T> o;

    // Pairwise cosines, and 1 − cos computed as |θ_j − θ_k|²/2.
    const model::RowMatrix<T> gram = theta * theta.transpose();
    if (n > 1) {
        o.gamma_min = gram(0, 1);
        o.gamma_max = gram(0, 1);
        T sum = 0;
        for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index k = j + 1; k < n; ++k) {
                o.gamma_min = std::min<T>(o.gamma_min, gram(j, k));
                o.gamma_max = std::max<T>(o.gamma_max, gram(j, k));
                sum += gram(j, k);
                o.spread = std::max<T>(o.spread, (theta.row(j) - theta.row(k)).squaredNorm() / 2);
            }
        o.gamma_mean = sum / T(n * (n - 1) / 2);
    }
    o.clusters = count_clusters(theta, cluster_tolerance);

    // Var = (1/n) Σ |θ_k − θ̄|² (spec §5, Theorem 4.3), summed directly rather than as 1 − |θ̄|².
    const model::ColumnVector<T> mean = theta.colwise().mean().transpose();
    for (Eigen::Index k = 0; k < n; ++k) o.var += (theta.row(k).transpose() - mean).squaredNorm();
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
    template Observables<T> observe<T>(const model::ParticleSystem<T>&, const std::vector<T>&,       \
                                       const T&, const std::vector<T>&, const T&);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::measure
