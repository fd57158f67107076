// Tests of the equiangular reduction (normdyn/model/equiangular.hpp, spec §4): its closed forms, its agreement
// with the full n-particle system, its fixed points and closed-form solutions, Mix-LN's switch, and mp50.
#include <catch2/catch.hpp>

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/solve/solver.hpp"

#include <cmath>
#include <limits>
#include <vector>

using namespace normdyn;
using model::EquiangularSystem;
using model::Scheme;
using model::SchemeKind;
using Matrix = model::RowMatrix<double>;

namespace {

Scheme<double> make_scheme(SchemeKind kind, double tau = 1, double alpha = 0.7) {
    Scheme<double> scheme;
    scheme.kind = kind;
    scheme.tau = tau;
    scheme.alpha = alpha;
    return scheme;
}

template <class T> solve::SolveOptions<T> tight(solve::Stepper stepper, T rtol, T atol) {
    solve::SolveOptions<T> options;
    options.stepper = stepper;
    options.rtol = rtol;
    options.atol = atol;
    return options;
}

// Unit rows with every pairwise cosine γ: the Cholesky factor of (1 − γ) I + γ 11ᵀ (needs γ > −1/(n−1)).
Matrix equiangular_directions(std::size_t n, double gamma) {
    const auto m = Eigen::Index(n);
    const Eigen::MatrixXd gram = (1 - gamma) * Eigen::MatrixXd::Identity(m, m) + gamma * Eigen::MatrixXd::Ones(m, m);
    return Eigen::MatrixXd(gram.llt().matrixL());
}

std::vector<double> flatten(const Matrix& x) { return std::vector<double>(x.data(), x.data() + x.size()); }

// Catch2's floating matchers are double-only: relative and ulp comparisons for any scalar type.
template <class T> bool within_relative(const T& value, const T& reference, const T& tolerance) {
    using std::abs;
    return abs(value - reference) <= tolerance * abs(reference);
}
template <class T> bool within_ulp(const T& value, const T& reference, int ulps) {
    return within_relative(value, reference, T(ulps) * std::numeric_limits<T>::epsilon());
}

}  // namespace

TEST_CASE("equiangular_field in u = 1 - gamma equals the spec's formulas in gamma", "[equiangular]") {
    for (std::size_t n : {2u, 3u, 8u, 256u})
        for (double beta : {0.0, 0.5, 1.0, 5.0})
            for (double gamma : {-0.3, 0.0, 0.4, 0.9, 0.999}) {
                if (gamma <= -1.0 / double(n - 1)) continue;
                CAPTURE(n, beta, gamma);
                const double m = double(n - 1), e = std::exp(beta), eg = std::exp(beta * gamma);
                const double z = e + m * eg;
                const auto f = model::equiangular_field(1 - gamma, n, beta);
                CHECK(f.inner == Approx((e + m * gamma * eg) / z).epsilon(1e-13));
                const double norm_sq = (e * e + 2 * m * gamma * e * eg + m * eg * eg * (1 + (m - 1) * gamma)) / (z * z);
                CHECK(f.attention_norm == Approx(std::sqrt(norm_sq)).epsilon(1e-13));
                CHECK(f.drift == Approx(2 * eg * (1 - gamma) * (1 + m * gamma) / z).epsilon(1e-12).margin(1e-300));
            }
}

TEST_CASE("At any equiangular configuration the full system's <theta_j, A_j>, |A_j| and dgamma/dt match the reduction",
          "[equiangular]") {
    for (std::size_t n : {3u, 6u})
        for (double gamma : {-0.15, 0.2, 0.8})
            for (SchemeKind kind : model::all_schemes) {
                CAPTURE(n, gamma, model::to_string(kind));
                const double beta = 1.7, r = 1.9, t = 0.4;
                const Matrix theta = equiangular_directions(n, gamma);
                model::ParticleSystem<double> full(n, n, make_scheme(kind), model::Attention<double>(beta));
                const auto field = full.evaluate(flatten(r * theta), t);
                const auto reduced = model::equiangular_field(1 - gamma, n, beta);
                // dγ/dt = 2 <θ_k, dθ_j/dt> for j ≠ k by symmetry.
                const Eigen::RowVectorXd dtheta0 =
                    (field.attention.row(0) - field.inner(0) * theta.row(0)) / field.speed_factor(0);
                EquiangularSystem<double> equiangular(n, beta, make_scheme(kind));
                const std::vector<double> reduced_state = {1 - gamma, r};
                const double gamma_rate = equiangular.gamma_rate(reduced_state, t);
                for (Eigen::Index j = 0; j < Eigen::Index(n); ++j) {
                    CHECK(field.inner(j) == Approx(reduced.inner).epsilon(1e-13));
                    CHECK(field.attention_norm(j) == Approx(reduced.attention_norm).epsilon(1e-13));
                }
                CHECK(2 * dtheta0.dot(theta.row(1)) == Approx(gamma_rate).epsilon(1e-12));
            }
}

TEST_CASE("Full system from the orthonormal start agrees with the equiangular system to 1e-9 at T = 5, every scheme",
          "[equiangular]") {
    const double t_end = 5, r0 = 1.3;
    for (std::size_t n : {3u, 8u})
        for (double beta : {0.5, 4.0})
            for (SchemeKind kind : model::all_schemes) {
                CAPTURE(n, beta, model::to_string(kind));
                const Scheme<double> scheme = make_scheme(kind, 1.0, 0.7);
                const auto options = tight<double>(solve::Stepper::rkf78, 1e-13, 1e-15);
                EquiangularSystem<double> reduced(n, beta, scheme);
                const auto small = solve::solve<double>(reduced, EquiangularSystem<double>::initial_state(r0), 0.0,
                                                        t_end, options);
                model::ParticleSystem<double> full(n, n, scheme, model::Attention<double>(beta));
                const Matrix x0 = r0 * Matrix::Identity(Eigen::Index(n), Eigen::Index(n));
                const auto big = solve::solve<double>(full, flatten(x0), 0.0, t_end, options);
                REQUIRE(small.status == solve::SolveStatus::done);
                REQUIRE(big.status == solve::SolveStatus::done);
                const double gamma = 1 - small.final_state[0], r = small.final_state[1];
                Matrix x = Eigen::Map<const Matrix>(big.final_state.data(), x0.rows(), x0.cols());
                for (Eigen::Index j = 0; j < x.rows(); ++j) {
                    CHECK(std::abs(x.row(j).norm() - r) <= 1e-9 * r);
                    x.row(j).normalize();
                }
                const Matrix gram = x * x.transpose();
                for (Eigen::Index j = 0; j < x.rows(); ++j)
                    for (Eigen::Index k = j + 1; k < x.rows(); ++k) CHECK(std::abs(gram(j, k) - gamma) <= 1e-9);
                // A check that something happened: the tokens moved well away from γ = 0.
                CHECK(gamma > 1e-3);
            }
}

TEST_CASE("The regular simplex gamma = -1/(n-1) and the cluster gamma = 1 are fixed points of every scheme",
          "[equiangular]") {
    for (std::size_t n : {2u, 3u, 5u, 8u})
        for (SchemeKind kind : model::all_schemes) {
            CAPTURE(n, model::to_string(kind));
            const double beta = 1.0;
            EquiangularSystem<double> system(n, beta, make_scheme(kind));
            const double u_simplex = 1 + 1 / double(n - 1);
            const auto options = tight<double>(solve::Stepper::dopri5, 1e-12, 1e-14);
            const auto simplex = solve::solve<double>(system, {u_simplex, 1.0}, 0.0, 5.0, options);
            REQUIRE(simplex.status == solve::SolveStatus::done);
            CHECK(std::abs(simplex.final_state[0] - u_simplex) <= 1e-12);
            const auto cluster = solve::solve<double>(system, {0.0, 1.0}, 0.0, 5.0, options);
            REQUIRE(cluster.status == solve::SolveStatus::done);
            CHECK(cluster.final_state[0] == 0);
        }
}

TEST_CASE("n = 2, beta = 0, Post-LN: gamma(t) = tanh(t) in the equiangular and the full system (d = 2)",
          "[equiangular]") {
    const std::vector<double> times = {0.25, 0.5, 1.0, 2.0, 3.0};
    auto options = tight<double>(solve::Stepper::rkf78, 1e-14, 1e-16);
    options.output_times = times;
    std::vector<double> equiangular_gamma, full_gamma;
    EquiangularSystem<double> reduced(2, 0.0, make_scheme(SchemeKind::post_ln));
    solve::solve<double>(reduced, EquiangularSystem<double>::initial_state(1.0), 0.0, 3.0, options,
                         [&](const double& t, std::span<const double> x) {
                             if (t > 0) equiangular_gamma.push_back(1 - x[0]);
                         });
    model::ParticleSystem<double> full(2, 2, make_scheme(SchemeKind::post_ln), model::Attention<double>(0.0));
    solve::solve<double>(full, {1, 0, 0, 1}, 0.0, 3.0, options, [&](const double& t, std::span<const double> x) {
        if (t > 0) full_gamma.push_back((x[0] * x[2] + x[1] * x[3]) / std::hypot(x[0], x[1]) / std::hypot(x[2], x[3]));
    });
    REQUIRE(equiangular_gamma.size() == times.size());
    REQUIRE(full_gamma.size() == times.size());
    for (std::size_t i = 0; i < times.size(); ++i) {
        CAPTURE(times[i]);
        CHECK(std::abs(equiangular_gamma[i] - std::tanh(times[i])) <= 1e-10);
        CHECK(std::abs(full_gamma[i] - std::tanh(times[i])) <= 1e-10);
    }
}

TEST_CASE("Mix-LN stops exactly at tau: equals Post-LN on [0, tau] followed by Pre-LN on [tau, T] to 1e-12",
          "[equiangular][mix-ln]") {
    const std::size_t n = 8;
    const double beta = 1, tau = 1.3, t_end = 4, r0 = 1;
    const auto options = tight<double>(solve::Stepper::rkf78, 1e-14, 1e-16);
    EquiangularSystem<double> mix(n, beta, make_scheme(SchemeKind::mix_ln, tau));
    REQUIRE(mix.breakpoints() == std::vector<double>{tau});
    const auto whole = solve::solve<double>(mix, EquiangularSystem<double>::initial_state(r0), 0.0, t_end, options);
    EquiangularSystem<double> post(n, beta, make_scheme(SchemeKind::post_ln));
    EquiangularSystem<double> pre(n, beta, make_scheme(SchemeKind::pre_ln));
    const auto first = solve::solve<double>(post, EquiangularSystem<double>::initial_state(r0), 0.0, tau, options);
    const auto second = solve::solve<double>(pre, first.final_state, tau, t_end, options);
    REQUIRE(whole.status == solve::SolveStatus::done);
    CHECK(whole.t_reached == t_end);
    CHECK(std::abs(whole.final_state[0] - second.final_state[0]) <= 1e-12);
    CHECK(std::abs(whole.final_state[1] - second.final_state[1]) <= 1e-12);
    CHECK(first.final_state[1] == r0);                  // no radial motion while Post-LN
    CHECK(whole.final_state[1] > r0 + 0.1);             // Pre-LN radii grow after τ
}

TEST_CASE("Mix-LN with fixed-step rk4: stopping at tau keeps order 4, stepping across it degrades to order 1",
          "[equiangular][mix-ln]") {
    const std::size_t n = 8;
    const double beta = 1, tau = 1.0 / 3.0, t_end = 2;
    EquiangularSystem<double> mix(n, beta, make_scheme(SchemeKind::mix_ln, tau));
    const auto start = EquiangularSystem<double>::initial_state(1.0);
    const double reference =
        solve::solve<double>(mix, start, 0.0, t_end, tight<double>(solve::Stepper::rkf78, 1e-15, 1e-17)).final_state[0];
    auto error = [&](double dt, bool stop) {
        solve::SolveOptions<double> options;
        options.stepper = solve::Stepper::rk4;
        options.dt = dt;
        options.stop_at_breakpoints = stop;
        return std::abs(solve::solve<double>(mix, start, 0.0, t_end, options).final_state[0] - reference);
    };
    const double stopped = error(1.0 / 16, true), stopped_half = error(1.0 / 32, true);
    CHECK(stopped / stopped_half == Approx(16).epsilon(0.15));
    const double crossed = error(1.0 / 16, false), crossed_half = error(1.0 / 32, false);
    CHECK(crossed / crossed_half == Approx(2).epsilon(0.15));
    CHECK(crossed > 100 * stopped);
}

TEST_CASE("mp50: Post-LN gamma(2) at n = 8, beta = 1 matches the 50-digit reference and the double and long-double runs",
          "[equiangular][mp50]") {
    const std::size_t n = 8;
    // scripts/reference_equiangular.py --scheme post-ln --n 8 --beta 1 --t-end 2 --digits 60 (70 digits agree).
    const mp50 reference("0.816342358568763102735940152615366830803513513796740967843569");
    Scheme<mp50> scheme_mp;
    scheme_mp.kind = SchemeKind::post_ln;
    EquiangularSystem<mp50> system_mp(n, mp50(1), scheme_mp);
    const auto mp = solve::solve<mp50>(system_mp, EquiangularSystem<mp50>::initial_state(mp50(1)), mp50(0), mp50(2),
                                       tight<mp50>(solve::Stepper::bulirsch_stoer, mp50("1e-45"), mp50("1e-50")));
    REQUIRE(mp.status == solve::SolveStatus::done);
    const mp50 gamma_mp = 1 - mp.final_state[0];
    INFO("mp50 gamma(2) = " << to_decimal(gamma_mp));
    CHECK(within_relative(gamma_mp, reference, mp50("1e-44")));

    // Long double and double at tolerances near their epsilon: the reference rounded to each type, to
    // 100 ulp (measured: about 25 ulp each; the integration error accumulates over the steps).
    Scheme<long double> scheme_ld;
    scheme_ld.kind = SchemeKind::post_ln;
    EquiangularSystem<long double> system_ld(n, 1.0L, scheme_ld);
    const auto ld = solve::solve<long double>(system_ld, EquiangularSystem<long double>::initial_state(1.0L), 0.0L,
                                              2.0L, tight<long double>(solve::Stepper::bulirsch_stoer, 1e-18L, 1e-20L));
    REQUIRE(ld.status == solve::SolveStatus::done);
    CHECK(within_ulp(1 - ld.final_state[0], static_cast<long double>(reference), 100));
    CHECK(within_relative(mp50(1 - ld.final_state[0]), gamma_mp, mp50("1e-17")));

    EquiangularSystem<double> system_d(n, 1.0, make_scheme(SchemeKind::post_ln));
    const auto d = solve::solve<double>(system_d, EquiangularSystem<double>::initial_state(1.0), 0.0, 2.0,
                                        tight<double>(solve::Stepper::bulirsch_stoer, 1e-15, 1e-17));
    REQUIRE(d.status == solve::SolveStatus::done);
    CHECK(within_ulp(1 - d.final_state[0], static_cast<double>(reference), 100));
}
