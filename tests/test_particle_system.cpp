// Tests of the full n-particle system (normdyn/model/particle_system.hpp, spec §2, §4, §6): ambient forms,
// time change, stationary antipodal pairs, symmetries, and singular fields.
#include <catch2/catch.hpp>

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/solve/solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace normdyn;
using model::ParticleSystem;
using model::Scheme;
using model::SchemeKind;
using Matrix = model::RowMatrix<double>;
using Catch::Matchers::Contains;

namespace {

Scheme<double> make_scheme(SchemeKind kind, double tau = 1, double alpha = 0.7) {
    Scheme<double> scheme;
    scheme.kind = kind;
    scheme.tau = tau;
    scheme.alpha = alpha;
    return scheme;
}

ParticleSystem<double> make_system(SchemeKind kind, std::size_t n, std::size_t d, double beta) {
    return ParticleSystem<double>(n, d, make_scheme(kind), model::Attention<double>(beta));
}

Matrix start(model::InitKind kind, SchemeKind scheme, std::size_t n, std::size_t d, std::uint64_t seed) {
    model::InitSpec spec;
    spec.kind = kind;
    return model::initial_positions<double>(spec, scheme, n, d, 1.0, seed);
}

std::vector<double> flatten(const Matrix& x) { return std::vector<double>(x.data(), x.data() + x.size()); }
Matrix unflatten(const std::vector<double>& v, Eigen::Index n) {
    return Eigen::Map<const Matrix>(v.data(), n, Eigen::Index(v.size()) / n);
}

Matrix velocity(ParticleSystem<double>& system, const Matrix& x, double t) {
    std::vector<double> rate(std::size_t(x.size()));
    system(flatten(x), rate, t);
    return unflatten(rate, x.rows());
}

Matrix solve_to(ParticleSystem<double>& system, const Matrix& x0, double t_end, double dt = 0) {
    solve::SolveOptions<double> options;
    if (dt > 0) {
        options.stepper = solve::Stepper::rk4;
        options.dt = dt;
    } else {
        options.stepper = solve::Stepper::rkf78;
        options.rtol = 1e-13;
        options.atol = 1e-15;
    }
    const auto solution = solve::solve<double>(system, flatten(x0), 0.0, t_end, options);
    REQUIRE(solution.status == solve::SolveStatus::done);
    return unflatten(solution.final_state, x0.rows());
}

double max_abs(const Matrix& m) { return m.cwiseAbs().maxCoeff(); }

// A seeded random orthogonal matrix: Q of the QR factorisation of a Gaussian matrix.
Matrix random_rotation(std::size_t d, std::uint64_t seed) {
    model::NormalSampler normal(seed);
    const auto size = static_cast<Eigen::Index>(d);
    Eigen::MatrixXd g(size, size);
    for (Eigen::Index i = 0; i < g.size(); ++i) g(i) = normal();
    return Eigen::MatrixXd(Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ());
}

}  // namespace

TEST_CASE("Ambient forms: Pre-LN dx/dt = A_j, Peri-LN dx/dt = A_j/|A_j|", "[particle_system]") {
    const std::size_t n = 7, d = 4;
    const double beta = 1.3;
    const Matrix x = start(model::InitKind::gaussian, SchemeKind::pre_ln, n, d, 3);
    Matrix theta = x;
    for (Eigen::Index j = 0; j < theta.rows(); ++j) theta.row(j).normalize();
    Matrix a;
    model::Attention<double>(beta).apply(theta, a);
    auto pre = make_system(SchemeKind::pre_ln, n, d, beta);
    CHECK(max_abs(velocity(pre, x, 0.5) - a) <= 1e-15);
    auto peri = make_system(SchemeKind::peri_ln, n, d, beta);
    const Matrix peri_rate = velocity(peri, x, 0.5);
    for (Eigen::Index j = 0; j < a.rows(); ++j)
        CHECK((peri_rate.row(j) - a.row(j) / a.row(j).norm()).cwiseAbs().maxCoeff() <= 1e-15);
}

TEST_CASE("Post-LN, nGPT, LN-Scaling: dx_j/dt = (r_j/s_j) P A_j is tangent, so |x_j| is a first integral",
          "[particle_system]") {
    const std::size_t n = 6, d = 3;
    const double beta = 2, t = 3;  // sqrt(t + 1) = 2 for LN-Scaling
    const Matrix x = 1.7 * start(model::InitKind::uniform, SchemeKind::post_ln, n, d, 4);
    Matrix theta = x / 1.7, a;
    model::Attention<double>(beta).apply(theta, a);
    for (SchemeKind kind : {SchemeKind::post_ln, SchemeKind::ngpt, SchemeKind::ln_scaling}) {
        CAPTURE(model::to_string(kind));
        auto system = make_system(kind, n, d, beta);
        const Matrix rate = velocity(system, x, t);
        for (Eigen::Index j = 0; j < x.rows(); ++j) {
            const Eigen::RowVectorXd tangent = a.row(j) - a.row(j).dot(theta.row(j)) * theta.row(j);
            const double scale = kind == SchemeKind::post_ln ? 1.7
                                 : kind == SchemeKind::ngpt  ? 1.7 * 0.7 / a.row(j).norm()
                                                             : 1.7 / 2;
            CHECK(std::abs(rate.row(j).dot(x.row(j))) <= 1e-15);
            CHECK((rate.row(j) - scale * tangent).cwiseAbs().maxCoeff() <= 1e-15);
        }
    }
}

TEST_CASE("evaluate() reports the same field that operator() integrates", "[particle_system]") {
    const std::size_t n = 5, d = 3;
    const Matrix x = start(model::InitKind::gaussian, SchemeKind::peri_ln, n, d, 5);
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        auto system = make_system(kind, n, d, 0.9);
        const double t = 2.5;  // after Mix-LN's τ = 1
        const Matrix rate = velocity(system, x, t);
        const auto field = system.evaluate(flatten(x), t);
        for (Eigen::Index j = 0; j < x.rows(); ++j) {
            const Eigen::RowVectorXd theta = field.directions.row(j);
            CHECK(field.radius(j) == Approx(x.row(j).norm()).epsilon(1e-15));
            CHECK(theta.dot(rate.row(j)) == Approx(field.radial_rate(j)).epsilon(1e-13).margin(1e-15));
            const Eigen::RowVectorXd tangent = rate.row(j) - theta.dot(rate.row(j)) * theta;
            CHECK(tangent.norm() / field.radius(j) == Approx(field.speed(std::size_t(j))).epsilon(1e-12));
        }
    }
}

TEST_CASE("Pre-LN and Peri-LN radii grow at rate >= (e^beta - (n-1))/(n e^beta) when n <= e^beta (Theorem 3.1)",
          "[particle_system]") {
    const std::size_t n = 6, d = 3;
    const double beta = 2;  // e^2 ≈ 7.4 ≥ 6
    const double bound = (std::exp(beta) - double(n - 1)) / (double(n) * std::exp(beta));
    for (std::uint64_t seed = 0; seed < 20; ++seed)
        for (SchemeKind kind : {SchemeKind::pre_ln, SchemeKind::peri_ln}) {
            auto system = make_system(kind, n, d, beta);
            const auto field = system.evaluate(flatten(start(model::InitKind::gaussian, kind, n, d, seed)), 0);
            CHECK(field.radial_rate.minCoeff() >= bound);
        }
}

TEST_CASE("LN-Scaling at time t equals Post-LN at time 2(sqrt(t+1) - 1) from the same random start", "[particle_system]") {
    const std::size_t n = 6, d = 4;
    const double beta = 2;
    const Matrix x0 = start(model::InitKind::uniform, SchemeKind::post_ln, n, d, 6);
    for (double t : {3.0, 8.0}) {
        CAPTURE(t);
        auto scaling = make_system(SchemeKind::ln_scaling, n, d, beta);
        auto post = make_system(SchemeKind::post_ln, n, d, beta);
        const Matrix a = solve_to(scaling, x0, t), b = solve_to(post, x0, 2 * (std::sqrt(t + 1) - 1));
        CHECK(max_abs(a - b) <= 1e-9);
        CHECK(max_abs(a - x0) > 0.1);  // the tokens did move
    }
}

TEST_CASE("An antipodal pair at beta = 1 stays antipodal under every scheme (spec §6.2)", "[particle_system]") {
    const Matrix x0 = start(model::InitKind::antipodal, SchemeKind::post_ln, 2, 3, 7);
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        auto system = make_system(kind, 2, 3, 1.0);
        const Matrix x = solve_to(system, x0, 5.0);
        const double cosine = x.row(0).dot(x.row(1)) / (x.row(0).norm() * x.row(1).norm());
        CHECK(std::abs(cosine + 1) <= 1e-12);
        CHECK(std::abs(x.row(0).normalized().dot(x0.row(0))) == Approx(1).epsilon(1e-12));
    }
}

TEST_CASE("Antipodal pair at beta = 0: A_j = 0, and Peri-LN and nGPT stop partial with 'singular speed factor', no NaN",
          "[particle_system]") {
    const Matrix x0 = start(model::InitKind::antipodal, SchemeKind::post_ln, 2, 3, 8);
    Matrix theta = x0, a;
    model::Attention<double>(0.0).apply(theta, a);
    CHECK(max_abs(a) == 0);
    solve::SolveOptions<double> options;
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        auto system = make_system(kind, 2, 3, 0.0);
        const auto solution = solve::solve<double>(system, flatten(x0), 0.0, 5.0, options);
        REQUIRE(solution.final_state.size() == 6);
        CHECK(std::all_of(solution.final_state.begin(), solution.final_state.end(),
                          [](double v) { return std::isfinite(v); }));
        if (kind == SchemeKind::peri_ln || kind == SchemeKind::ngpt) {
            CHECK(solution.status == solve::SolveStatus::partial);
            CHECK_THAT(solution.reason, Contains("singular speed factor"));
            CHECK(solution.t_reached == 0);
            CHECK(max_abs(unflatten(solution.final_state, 2) - x0) == 0);
        } else {
            CHECK(solution.status == solve::SolveStatus::done);
            CHECK(max_abs(unflatten(solution.final_state, 2) - x0) == 0);  // an exact equilibrium
        }
    }
    // The same singularity in the equiangular reduction (n = 2, γ = −1 is the antipodal pair).
    for (SchemeKind kind : {SchemeKind::peri_ln, SchemeKind::ngpt}) {
        model::EquiangularSystem<double> reduced(2, 0.0, make_scheme(kind));
        const auto solution = solve::solve<double>(reduced, {2.0, 1.0}, 0.0, 5.0, options);
        CHECK(solution.status == solve::SolveStatus::partial);
        CHECK_THAT(solution.reason, Contains("singular speed factor"));
        CHECK(solution.final_state == std::vector<double>{2.0, 1.0});
    }
}

TEST_CASE("A zero token has no direction: the field throws FieldSingularity", "[particle_system]") {
    auto system = make_system(SchemeKind::post_ln, 2, 2, 1.0);
    const std::vector<double> state = {1, 0, 0, 0};
    std::vector<double> rate(4);
    CHECK_THROWS_AS(system(state, rate, 0.0), model::FieldSingularity);
    CHECK_THROWS_AS(system.evaluate(state, 0.0), model::FieldSingularity);
}

TEST_CASE("Tokens without a direction in several chunks: the error names the first one, for 1, 2 and 3 threads",
          "[particle_system][threads]") {
    // n d = 38 400: the token loops run in chunks of 64 tokens on the kernel's threads.
    const std::size_t n = 600, d = 64;
    auto system = make_system(SchemeKind::pre_ln, n, d, 1.0);
    Matrix x = start(model::InitKind::gaussian, SchemeKind::pre_ln, n, d, 9);
    x.row(500).setZero();
    x.row(130).setConstant(std::numeric_limits<double>::infinity());
    x.row(70).setZero();
    const std::vector<double> state(x.data(), x.data() + x.size());
    std::vector<double> rate(state.size());
    for (int threads : {1, 2, 3}) {
        CAPTURE(threads);
        normdyn::set_kernel_threads(threads);
        CHECK_THROWS_WITH(system(state, rate, 0.0), Contains("token 70 at t"));
    }
    normdyn::set_kernel_threads(0);
}

TEST_CASE("Permuting the tokens permutes the trajectory (every scheme)", "[particle_system][symmetry]") {
    const std::size_t n = 5, d = 4;
    const std::vector<Eigen::Index> order = {3, 0, 4, 1, 2};
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        const Matrix x0 = start(model::InitKind::scheme_default, kind, n, d, 9);
        Matrix permuted0(x0.rows(), x0.cols());
        for (Eigen::Index j = 0; j < x0.rows(); ++j) permuted0.row(j) = x0.row(order[std::size_t(j)]);
        auto system = make_system(kind, n, d, 1.5);
        const Matrix x = solve_to(system, x0, 2.0, 1.0 / 32), y = solve_to(system, permuted0, 2.0, 1.0 / 32);
        for (Eigen::Index j = 0; j < x0.rows(); ++j)
            CHECK((y.row(j) - x.row(order[std::size_t(j)])).cwiseAbs().maxCoeff() <= 1e-10 * max_abs(x));
        CHECK(max_abs(x - x0) > 1e-2);
    }
}

TEST_CASE("Rotating all tokens by an orthogonal matrix rotates the trajectory (every scheme)",
          "[particle_system][symmetry]") {
    const std::size_t n = 5, d = 4;
    const Matrix rotation = random_rotation(d, 10);
    REQUIRE(max_abs(rotation * rotation.transpose() - Matrix::Identity(Eigen::Index(d), Eigen::Index(d))) < 1e-14);
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        const Matrix x0 = start(model::InitKind::scheme_default, kind, n, d, 11);
        auto system = make_system(kind, n, d, 1.5);
        const Matrix x = solve_to(system, x0, 2.0, 1.0 / 32);
        const Matrix y = solve_to(system, x0 * rotation.transpose(), 2.0, 1.0 / 32);
        CHECK(max_abs(y - x * rotation.transpose()) <= 1e-10 * max_abs(x));
        CHECK(max_abs(x - x0) > 1e-2);
    }
}

TEST_CASE("Mix-LN's field follows the segment the solver fixed, and the pointwise rule after end_segments",
          "[particle_system][mix-ln]") {
    const std::size_t n = 4, d = 3;
    const double tau = 1;
    const Matrix x = start(model::InitKind::gaussian, SchemeKind::mix_ln, n, d, 12);
    auto mix = ParticleSystem<double>(n, d, make_scheme(SchemeKind::mix_ln, tau), model::Attention<double>(1.0));
    auto post = make_system(SchemeKind::post_ln, n, d, 1.0), pre = make_system(SchemeKind::pre_ln, n, d, 1.0);
    REQUIRE(mix.breakpoints() == std::vector<double>{tau});
    CHECK(max_abs(velocity(mix, x, tau) - velocity(post, x, tau)) == 0);  // pointwise: Post-LN for t ≤ τ
    mix.begin_segment(tau, 3.0);
    CHECK(max_abs(velocity(mix, x, tau) - velocity(pre, x, tau)) == 0);   // segment after the switch
    mix.begin_segment(0.0, tau);
    CHECK(max_abs(velocity(mix, x, tau) - velocity(post, x, tau)) == 0);
    mix.end_segments();
    CHECK(max_abs(velocity(mix, x, 2.0) - velocity(pre, x, 2.0)) == 0);
}
