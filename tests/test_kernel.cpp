// The tuned double-precision attention kernel (lib/src/model/attention.cpp) against a straightforward reference:
// plain loops over pairs in long double, the softmax shifted by its row maximum, every scheme's right-hand
// side written out from the table of spec §2. And bit-identical results for every thread count.
#include <catch2/catch.hpp>

#include "normdyn/model/attention.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"

#include <cmath>
#include <string>
#include <vector>

using namespace normdyn;
using model::SchemeKind;
using Matrix = model::RowMatrix<double>;
using Index = Eigen::Index;
using Wide = long double;

namespace {

Matrix gaussian_matrix(Index rows, Index cols, std::uint64_t seed, double scale = 1) {
    model::NormalSampler normal(seed);
    Matrix m(rows, cols);
    for (Index i = 0; i < rows; ++i)
        for (Index k = 0; k < cols; ++k) m(i, k) = scale * normal();
    return m;
}

Matrix unit_rows(Matrix m) {
    for (Index j = 0; j < m.rows(); ++j) m.row(j).normalize();
    return m;
}

/// Which of Q, K, V a case sets (an empty matrix is the identity).
struct Weights {
    std::string name;
    Matrix q, k, v;
};

std::vector<Weights> weight_cases(Index d) {
    const double scale = 1 / std::sqrt(double(d));
    const Matrix a = gaussian_matrix(d, d, 101, scale), b = gaussian_matrix(d, d, 102, scale),
                 c = gaussian_matrix(d, d, 103, scale);
    return {{"Q = K = V = I", {}, {}, {}},
            {"Q = K != I (symmetric logits), V = I", a, a, {}},
            {"Q only", a, {}, {}},
            {"K only", {}, b, {}},
            {"V only", {}, {}, c},
            {"Q, K, V all different", a, b, c}};
}

// y = M θ (M empty: identity), in long double.
std::vector<Wide> times(const Matrix& m, const Matrix& theta, Index j) {
    const Index d = theta.cols();
    std::vector<Wide> y(std::size_t(d), 0);
    for (Index r = 0; r < d; ++r) {
        if (m.size() == 0) {
            y[std::size_t(r)] = theta(j, r);
            continue;
        }
        for (Index c = 0; c < d; ++c) y[std::size_t(r)] += Wide(m(r, c)) * Wide(theta(j, c));
    }
    return y;
}

/// A_j = Σ_k exp(β <Qθ_j, Kθ_k> − shift_j) Vθ_k / Σ_l exp(β <Qθ_j, Kθ_l> − shift_j), pair by pair (spec §1).
std::vector<std::vector<Wide>> reference_attention(const Matrix& theta, double beta, const Weights& w) {
    const Index n = theta.rows(), d = theta.cols();
    std::vector<std::vector<Wide>> q, k, v;
    for (Index j = 0; j < n; ++j) {
        q.push_back(times(w.q, theta, j));
        k.push_back(times(w.k, theta, j));
        v.push_back(times(w.v, theta, j));
    }
    std::vector<std::vector<Wide>> a(std::size_t(n), std::vector<Wide>(std::size_t(d), 0));
    for (Index j = 0; j < n; ++j) {
        std::vector<Wide> logit(std::size_t(n), 0);
        Wide shift = -INFINITY;
        for (Index l = 0; l < n; ++l) {
            for (Index c = 0; c < d; ++c) logit[std::size_t(l)] += q[std::size_t(j)][std::size_t(c)] * k[std::size_t(l)][std::size_t(c)];
            logit[std::size_t(l)] *= beta;
            shift = std::max(shift, logit[std::size_t(l)]);
        }
        Wide z = 0;
        for (Index l = 0; l < n; ++l) {
            const Wide weight = std::exp(logit[std::size_t(l)] - shift);
            z += weight;
            for (Index c = 0; c < d; ++c) a[std::size_t(j)][std::size_t(c)] += weight * v[std::size_t(l)][std::size_t(c)];
        }
        for (Index c = 0; c < d; ++c) a[std::size_t(j)][std::size_t(c)] /= z;
    }
    return a;
}

/// dx_j/dt = (r_j/s_j) P_{θ_j} A_j + ρ_j θ_j with s_j and ρ_j from the table of spec §2 (τ = 1, α = 0.7).
std::vector<std::vector<Wide>> reference_velocity(const Matrix& x, double t, double beta, const Weights& w,
                                                  SchemeKind scheme) {
    const Index n = x.rows(), d = x.cols();
    Matrix theta = x;
    std::vector<Wide> r(static_cast<std::size_t>(n));
    for (Index j = 0; j < n; ++j) {
        Wide sq = 0;
        for (Index c = 0; c < d; ++c) sq += Wide(x(j, c)) * Wide(x(j, c));
        r[std::size_t(j)] = std::sqrt(sq);
        for (Index c = 0; c < d; ++c) theta(j, c) = double(Wide(x(j, c)) / r[std::size_t(j)]);
    }
    const auto a = reference_attention(theta, beta, w);
    std::vector<std::vector<Wide>> velocity(static_cast<std::size_t>(n), std::vector<Wide>(static_cast<std::size_t>(d)));
    for (Index j = 0; j < n; ++j) {
        const auto& aj = a[std::size_t(j)];
        Wide inner = 0, norm_sq = 0;
        for (Index c = 0; c < d; ++c) {
            inner += Wide(theta(j, c)) * aj[std::size_t(c)];
            norm_sq += aj[std::size_t(c)] * aj[std::size_t(c)];
        }
        const Wide rj = r[std::size_t(j)], norm = std::sqrt(norm_sq);
        const bool pre_regime = scheme == SchemeKind::pre_ln || (scheme == SchemeKind::mix_ln && t > 1);
        Wide s = 1, rho = 0;
        if (pre_regime) s = rj, rho = inner;
        if (scheme == SchemeKind::peri_ln) s = rj * norm, rho = inner / norm;
        if (scheme == SchemeKind::ngpt) s = norm / Wide(0.7);
        if (scheme == SchemeKind::ln_scaling) s = std::sqrt(Wide(t) + 1);
        for (Index c = 0; c < d; ++c)
            velocity[std::size_t(j)][std::size_t(c)] =
                rj / s * (aj[std::size_t(c)] - inner * Wide(theta(j, c))) + rho * Wide(theta(j, c));
    }
    return velocity;
}

/// max_j |got_j − want_j|_∞ / |want_j|_∞: the worst row's relative error.
double worst_row_error(const Matrix& got, const std::vector<std::vector<Wide>>& want) {
    double worst = 0;
    for (Index j = 0; j < got.rows(); ++j) {
        Wide diff = 0, size = 0;
        for (Index c = 0; c < got.cols(); ++c) {
            diff = std::max(diff, std::abs(Wide(got(j, c)) - want[std::size_t(j)][std::size_t(c)]));
            size = std::max(size, std::abs(want[std::size_t(j)][std::size_t(c)]));
        }
        worst = std::max(worst, double(diff / size));
    }
    return worst;
}

model::Attention<double> make_attention(double beta, const Weights& w) {
    return model::Attention<double>(beta, w.q, w.k, w.v);
}

model::ParticleSystem<double> make_system(SchemeKind kind, Index n, Index d, double beta, const Weights& w) {
    model::Scheme<double> scheme;
    scheme.kind = kind;
    scheme.tau = 1;
    scheme.alpha = 0.7;
    return model::ParticleSystem<double>(std::size_t(n), std::size_t(d), scheme, make_attention(beta, w));
}

Matrix velocity_of(model::ParticleSystem<double>& system, const Matrix& x, double t) {
    std::vector<double> state(x.data(), x.data() + x.size()), dxdt(state.size());
    system(state, dxdt, t);
    return Eigen::Map<const Matrix>(dxdt.data(), x.rows(), x.cols());
}

/// Restores the default thread count when a test leaves.
struct ThreadsGuard {
    ~ThreadsGuard() { normdyn::set_kernel_threads(0); }
};

/// Restores the default lanes when a test leaves.
struct LanesGuard {
    ~LanesGuard() { normdyn::set_kernel_lanes(0); }
};

// One tile, the small products of lib/src/kernels/small_products.cpp: 7 × 5 and 45 × 13 have partial sets of lanes
// in rows, columns and the sums, and an odd row left over; in four lanes 29 × 28 runs its columns as blocks
// of 12, 8 and 8, in eight lanes as 24 and a partial 4; 29 × 40 as 24 and 16; 32 × 64 (the benchmark's size)
// as 24, 24 and 16. 16 × 3 (the random starts of `normdyn reproduce`) and 21 × 7 leave every token's dot
// products a tail of 3 and 7 terms after the lanes.
const std::vector<std::pair<Index, Index>> small_sizes = {{7, 5}, {29, 28}, {45, 13}, {29, 40}, {32, 64}, {16, 3}, {21, 7}};
// The small sizes; several tiles run on one thread (4 n² d below the threading threshold); several tiles
// with a partial last one, threaded.
const std::vector<std::pair<Index, Index>> sizes = [] {
    auto all = small_sizes;
    all.insert(all.end(), {{130, 16}, {300, 24}});
    return all;
}();

}  // namespace

// Both lane settings: with eight lanes (AVX-512) the tiles of 130 × 16 and 300 × 24 take the small products
// too, with four lanes OpenBLAS.
TEST_CASE("The tuned attention kernel matches pair-by-pair loops to 1e-13 (relative), with and without Q, K, V",
          "[kernel]") {
    LanesGuard guard;
    for (int lanes : {0, 4})
    for (const auto& [n, d] : sizes)
        for (const auto& w : weight_cases(d))
            for (double beta : {0.0, 1.0, 7.5, 1000.0}) {
                if (beta > 100 && w.name != "Q = K = V = I") continue;  // β·d·ε-conditioned logits
                normdyn::set_kernel_lanes(lanes);
                CAPTURE(lanes, n, d, w.name, beta);
                const Matrix theta = unit_rows(gaussian_matrix(n, d, std::uint64_t(n * 31 + d)));
                Matrix got;
                make_attention(beta, w).apply(theta, got);
                CHECK(worst_row_error(got, reference_attention(theta, beta, w)) <= 1e-13);
            }
}

TEST_CASE("Every scheme's right-hand side with the tuned kernel matches the reference to 1e-13 (relative)",
          "[kernel]") {
    LanesGuard guard;
    for (int lanes : {0, 4})
    for (const auto& [n, d] : sizes)
        for (const auto& w : weight_cases(d))
            for (SchemeKind kind : model::all_schemes)
                for (double t : {0.5, 2.0}) {
                    normdyn::set_kernel_lanes(lanes);
                    CAPTURE(lanes, n, d, w.name, model::to_string(kind), t);
                    const Matrix x = gaussian_matrix(n, d, std::uint64_t(7 * n + d));
                    auto system = make_system(kind, n, d, 1.0, w);
                    CHECK(worst_row_error(velocity_of(system, x, t), reference_velocity(x, t, 1.0, w, kind)) <= 1e-13);
                }
}

TEST_CASE("The tuned kernel is bit-identical for 1, 2, 3 and 5 threads", "[kernel][threads]") {
    ThreadsGuard guard;
    LanesGuard lanes_guard;
    // 600 × 64: the particle system's token loops run in chunks on the threads too (n d ≥ 2^15). Eight lanes:
    // the tiles' small products; four: OpenBLAS.
    for (int lanes : {0, 4})
    for (const auto& [n, d] : {std::pair<Index, Index>{300, 24}, {600, 40}, {600, 64}})
        for (const auto& w : weight_cases(d)) {
            normdyn::set_kernel_lanes(lanes);
            CAPTURE(lanes, n, d, w.name);
            const Matrix x = gaussian_matrix(n, d, 55);
            const Matrix theta = unit_rows(x);
            auto system = make_system(SchemeKind::peri_ln, n, d, 2.0, w);
            const auto attention = make_attention(2.0, w);
            normdyn::set_kernel_threads(1);
            Matrix a1, g1;
            attention.apply(theta, a1);
            const Eigen::VectorXd z1 = attention.log_partition();
            const Matrix v1 = velocity_of(system, x, 0.3);
            model::gram_matrix(theta, g1);
            for (int threads : {2, 3, 5}) {
                CAPTURE(threads);
                normdyn::set_kernel_threads(threads);
                Matrix a, g;
                attention.apply(theta, a);
                CHECK(a == a1);
                CHECK(attention.log_partition() == z1);
                CHECK(velocity_of(system, x, 0.3) == v1);
                model::gram_matrix(theta, g);
                CHECK(g == g1);
            }
        }
}

TEST_CASE("The small products give the same bits in eight lanes (AVX-512) as in four", "[kernel][lanes]") {
    LanesGuard guard;
    normdyn::set_kernel_lanes(4);
    CHECK(normdyn::kernel_lanes() == 4);
    normdyn::set_kernel_lanes(0);
    if (normdyn::kernel_lanes() != 8) WARN("this CPU or build has no AVX-512 variant: both runs take four lanes");
    for (const auto& [n, d] : small_sizes)
        for (const auto& w : weight_cases(d)) {
            CAPTURE(n, d, w.name);
            const Matrix x = gaussian_matrix(n, d, 91);
            const Matrix theta = unit_rows(x);
            const auto attention = make_attention(1.5, w);
            auto run = [&](int lanes, Matrix& a, Eigen::VectorXd& z, Matrix& g, std::vector<Matrix>& v) {
                normdyn::set_kernel_lanes(lanes);
                attention.apply(theta, a);
                z = attention.log_partition();
                model::gram_matrix(theta, g);
                for (SchemeKind kind : model::all_schemes) {
                    auto system = make_system(kind, n, d, 1.5, w);
                    v.push_back(velocity_of(system, x, 0.7));
                }
            };
            Matrix a4, g4, a8, g8;
            Eigen::VectorXd z4, z8;
            std::vector<Matrix> v4, v8;
            run(4, a4, z4, g4, v4);
            run(0, a8, z8, g8, v8);
            CHECK(a8 == a4);
            CHECK(z8 == z4);
            CHECK(g8 == g4);
            CHECK(v8 == v4);
        }
}

TEST_CASE("gram_matrix is M M^T, exactly symmetric, for double and long double", "[kernel]") {
    for (Index n : {Index(1), Index(5), Index(97), Index(300)}) {
        CAPTURE(n);
        const Matrix m = gaussian_matrix(n, 11, std::uint64_t(n));
        Matrix g;
        model::gram_matrix(m, g);
        const Matrix plain = m * m.transpose();
        CHECK(g == g.transpose());
        CHECK((g - plain).cwiseAbs().maxCoeff() <= 1e-13 * plain.cwiseAbs().maxCoeff());
        model::RowMatrix<long double> gl;
        model::gram_matrix<long double>(m.cast<long double>(), gl);
        CHECK(gl == gl.transpose());
        CHECK(double((gl - plain.cast<long double>()).cwiseAbs().maxCoeff()) <= 1e-13 * plain.cwiseAbs().maxCoeff());
    }
}

TEST_CASE("log Z_j from the tuned kernel matches the reference at beta = 1000 (no overflow)", "[kernel]") {
    const Index n = 300, d = 24;
    const Matrix theta = unit_rows(gaussian_matrix(n, d, 9));
    const auto attention = model::Attention<double>(1000.0);
    Matrix a;
    attention.apply(theta, a);
    for (Index j = 0; j < n; ++j) {
        Wide shift = -INFINITY;
        std::vector<Wide> logit(std::size_t(n), 0);
        for (Index l = 0; l < n; ++l) {
            for (Index c = 0; c < d; ++c) logit[std::size_t(l)] += Wide(theta(j, c)) * Wide(theta(l, c));
            logit[std::size_t(l)] *= 1000;
            shift = std::max(shift, logit[std::size_t(l)]);
        }
        Wide z = 0;
        for (Index l = 0; l < n; ++l) z += std::exp(logit[std::size_t(l)] - shift);
        const Wide log_z = shift + std::log(z);
        CHECK(std::abs(double(attention.log_partition()(j) - log_z)) <= 1e-13 * double(log_z));
    }
}

// With Q = K = I on unit rows the kernel shares the shift β among all rows (the weights are then symmetric and
// computed once per pair); rows that are not unit must fall back to each row's own maximum. At β = 300 and
// |θ_j| = 2 a shared shift β would leave logits near β(4 − 1) = 900: exp overflows and the result is not finite.
TEST_CASE("The identity kernel on rows that are not unit matches the reference (row-maximum fallback)", "[kernel]") {
    const Weights identity{"Q = K = V = I", {}, {}, {}};
    for (const auto& [n, d] : sizes)
        for (double scale : {2.0, 0.5, 1.0 + 1e-3})
            for (double beta : {1.0, 300.0}) {
                CAPTURE(n, d, scale, beta);
                const Matrix theta = scale * unit_rows(gaussian_matrix(n, d, std::uint64_t(n + 3 * d)));
                Matrix got;
                make_attention(beta, identity).apply(theta, got);
                REQUIRE(got.allFinite());
                CHECK(worst_row_error(got, reference_attention(theta, beta, identity)) <= 1e-13);
            }
}
