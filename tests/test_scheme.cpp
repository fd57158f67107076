// Tests of the six schemes as speed regulators (normdyn/model/scheme.hpp, spec §2) and of Theorem 4.1's
// initial velocity measured on the full n-particle system (spec §5).
#include <catch2/catch.hpp>

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/model/scheme.hpp"
#include "proofs-check/predictions.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

using namespace normdyn;
using model::Scheme;
using model::SchemeKind;
using Matrix = model::RowMatrix<double>;

namespace {

Scheme<double> make_scheme(SchemeKind kind, double tau = 1, double alpha = 1) {
    Scheme<double> scheme;
    scheme.kind = kind;
    scheme.tau = tau;
    scheme.alpha = alpha;
    return scheme;
}

// dθ_j/dt from the ambient velocity: (dx_j/dt − <θ_j, dx_j/dt> θ_j) / r_j.
Matrix direction_velocity(const Matrix& x, const Matrix& velocity) {
    Matrix out(x.rows(), x.cols());
    for (Eigen::Index j = 0; j < x.rows(); ++j) {
        const double r = x.row(j).norm();
        const Eigen::RowVectorXd theta = x.row(j) / r;
        out.row(j) = (velocity.row(j) - theta.dot(velocity.row(j)) * theta) / r;
    }
    return out;
}

struct InitialRates {
    double gamma_rate_min, gamma_rate_max;  ///< dγ_jk/dt over the pairs j ≠ k
    double radial_rate_min, radial_rate_max;
};

// dγ_jk/dt = <dθ_j/dt, θ_k> + <θ_j, dθ_k/dt> at t = 0 of the full system from the orthonormal start.
InitialRates full_system_initial_rates(const Scheme<double>& scheme, std::size_t n, double beta, double r0) {
    const std::size_t d = n + 1;
    model::ParticleSystem<double> system(n, d, scheme, model::Attention<double>(beta));
    Matrix x = r0 * Matrix::Identity(Eigen::Index(n), Eigen::Index(d));
    std::vector<double> state(x.data(), x.data() + x.size()), rate(state.size());
    system(state, rate, 0.0);
    const Matrix velocity = Eigen::Map<const Matrix>(rate.data(), x.rows(), x.cols());
    const Matrix theta = x / r0;
    const Matrix dtheta = direction_velocity(x, velocity);
    const Matrix gram_rate = dtheta * theta.transpose() + theta * dtheta.transpose();
    InitialRates out{1e300, -1e300, 1e300, -1e300};
    for (Eigen::Index j = 0; j < x.rows(); ++j) {
        const double radial = theta.row(j).dot(velocity.row(j));
        out.radial_rate_min = std::min(out.radial_rate_min, radial);
        out.radial_rate_max = std::max(out.radial_rate_max, radial);
        for (Eigen::Index k = 0; k < x.rows(); ++k)
            if (j != k) {
                out.gamma_rate_min = std::min(out.gamma_rate_min, gram_rate(j, k));
                out.gamma_rate_max = std::max(out.gamma_rate_max, gram_rate(j, k));
            }
    }
    return out;
}

// Theorem 4.1, column "dγ/dt at t = 0", typed in from the spec.
double spec_initial_velocity(SchemeKind kind, std::size_t n, double beta, double r0, double alpha0) {
    const double z = std::exp(beta) + double(n - 1), zz = std::sqrt(std::exp(2 * beta) + double(n - 1));
    switch (kind) {
        case SchemeKind::post_ln: return 2 / z;
        case SchemeKind::pre_ln: return 2 / (r0 * z);
        case SchemeKind::mix_ln: return 2 / z;  // τ > 0 here: Post-LN while t ≤ τ
        case SchemeKind::peri_ln: return 2 / (r0 * zz);
        case SchemeKind::ngpt: return 2 * alpha0 / zz;
        case SchemeKind::ln_scaling: return 2 / z;
    }
    return 0;
}

}  // namespace

TEST_CASE("Scheme names round-trip, 'cod' and 'sqrt-scaling' alias LN-Scaling, unknown names throw", "[scheme]") {
    for (SchemeKind kind : model::all_schemes) CHECK(model::parse_scheme(model::to_string(kind)) == kind);
    CHECK(model::to_string(SchemeKind::peri_ln) == "peri-ln");
    CHECK(model::parse_scheme("cod") == SchemeKind::ln_scaling);
    CHECK(model::parse_scheme("sqrt-scaling") == SchemeKind::ln_scaling);
    CHECK_THROWS_AS(model::parse_scheme("Post-LN"), std::invalid_argument);
    CHECK_THROWS_WITH(model::parse_scheme("layernorm"), Catch::Matchers::Contains("post-ln"));
}

TEST_CASE("Fixed-radius schemes are Post-LN, nGPT, LN-Scaling, Gaussian starts are Pre-, Mix-, Peri-LN", "[scheme]") {
    for (SchemeKind kind : model::all_schemes) {
        const bool sphere = kind == SchemeKind::post_ln || kind == SchemeKind::ngpt || kind == SchemeKind::ln_scaling;
        CHECK(model::keeps_radius(kind) == sphere);
        CHECK(model::starts_gaussian(kind) == !sphere);
    }
}

TEST_CASE("speed_factor and radial_rate follow the spec's table row by row", "[scheme]") {
    const double t = 3, r = 2.5, inner = 0.4, norm = 0.8;
    auto s = [&](SchemeKind kind, bool after) { return make_scheme(kind, 1, 0.5).speed_factor(t, after, r, norm); };
    auto rho = [&](SchemeKind kind, bool after) { return make_scheme(kind).radial_rate(after, inner, norm); };
    CHECK(s(SchemeKind::post_ln, false) == 1);
    CHECK(rho(SchemeKind::post_ln, false) == 0);
    CHECK(s(SchemeKind::pre_ln, false) == r);
    CHECK(rho(SchemeKind::pre_ln, false) == inner);
    CHECK(s(SchemeKind::mix_ln, false) == 1);
    CHECK(rho(SchemeKind::mix_ln, false) == 0);
    CHECK(s(SchemeKind::mix_ln, true) == r);
    CHECK(rho(SchemeKind::mix_ln, true) == inner);
    CHECK(s(SchemeKind::peri_ln, false) == Approx(r * norm).epsilon(1e-15));
    CHECK(rho(SchemeKind::peri_ln, false) == Approx(inner / norm).epsilon(1e-15));
    CHECK(s(SchemeKind::ngpt, false) == Approx(norm / 0.5).epsilon(1e-15));
    CHECK(rho(SchemeKind::ngpt, false) == 0);
    CHECK(s(SchemeKind::ln_scaling, false) == Approx(2.0).epsilon(1e-15));  // sqrt(t + 1)
    CHECK(rho(SchemeKind::ln_scaling, false) == 0);
    CHECK(make_scheme(SchemeKind::peri_ln).divides_by_attention());
    CHECK(make_scheme(SchemeKind::ngpt).divides_by_attention());
    CHECK_FALSE(make_scheme(SchemeKind::pre_ln).divides_by_attention());
}

TEST_CASE("nGPT's step schedule alpha_t overrides the constant alpha", "[scheme]") {
    Scheme<double> scheme = make_scheme(SchemeKind::ngpt, 1, 0.5);
    CHECK(scheme.alpha_at(7) == 0.5);
    scheme.alpha_schedule = [](const double& t) { return 1 / (1 + t); };
    CHECK(scheme.alpha_at(3) == 0.25);
    CHECK(scheme.speed_factor(3, false, 1, 0.5) == Approx(2.0).epsilon(1e-15));
}

TEST_CASE("Mix-LN is Post-LN for t <= tau and Pre-LN after, its only breakpoint is tau", "[scheme]") {
    const Scheme<double> mix = make_scheme(SchemeKind::mix_ln, 1.5);
    CHECK_FALSE(mix.switched(0));
    CHECK_FALSE(mix.switched(1.5));
    CHECK(mix.switched(std::nextafter(1.5, 2.0)));
    CHECK(mix.breakpoints(0, 10) == std::vector<double>{1.5});
    CHECK(mix.breakpoints(1.5, 10).empty());
    CHECK(mix.breakpoints(0, 1.5).empty());
    CHECK(make_scheme(SchemeKind::pre_ln, 1.5).breakpoints(0, 10).empty());
    CHECK_FALSE(make_scheme(SchemeKind::pre_ln).switched(5));
}

TEST_CASE("Theorem 4.1: dgamma/dt at t = 0 of the full n-particle system equals the spec's column, every scheme",
          "[scheme][theorem41]") {
    struct Case { std::size_t n; double beta, r0, alpha; };
    const Case cases[] = {{2, 0.0, 1.0, 1.0}, {3, 0.5, 1.0, 0.5}, {8, 4.0, 2.5, 1.3}, {5, 10.0, 0.3, 2.0},
                          {16, 1.0, 7.0, 0.25}};
    for (const Case& c : cases)
        for (SchemeKind kind : model::all_schemes) {
            CAPTURE(model::to_string(kind), c.n, c.beta, c.r0, c.alpha);
            const Scheme<double> scheme = make_scheme(kind, 1.0, c.alpha);
            const double expected = spec_initial_velocity(kind, c.n, c.beta, c.r0, c.alpha);
            const InitialRates full = full_system_initial_rates(scheme, c.n, c.beta, c.r0);
            CHECK(full.gamma_rate_min == Approx(expected).epsilon(1e-12));
            CHECK(full.gamma_rate_max == Approx(expected).epsilon(1e-12));
            CHECK(checks::theorem41_initial_velocity(scheme, c.n, c.beta, c.r0) == Approx(expected).epsilon(1e-12));
            model::EquiangularSystem<double> equiangular(c.n, c.beta, scheme);
            const auto start = model::EquiangularSystem<double>::initial_state(c.r0);
            CHECK(equiangular.gamma_rate(start, 0.0) == Approx(expected).epsilon(1e-12));
            // The radial law at t = 0 agrees between the two systems as well.
            std::vector<double> rate(2);
            equiangular(start, rate, 0.0);
            CHECK(full.radial_rate_min == Approx(rate[1]).epsilon(1e-12).margin(1e-300));
            CHECK(full.radial_rate_max == Approx(rate[1]).epsilon(1e-12).margin(1e-300));
        }
}

TEST_CASE("Theorem 4.1 for nGPT uses alpha_0 of a step schedule", "[scheme][theorem41]") {
    Scheme<double> scheme = make_scheme(SchemeKind::ngpt);
    scheme.alpha_schedule = [](const double& t) { return 0.6 / (1 + t); };
    const std::size_t n = 4;
    const double beta = 2, expected = 2 * 0.6 / std::sqrt(std::exp(2 * beta) + double(n - 1));
    CHECK(full_system_initial_rates(scheme, n, beta, 1.0).gamma_rate_max == Approx(expected).epsilon(1e-12));
    CHECK(checks::theorem41_initial_velocity(scheme, n, beta, 1.0) == Approx(expected).epsilon(1e-12));
    model::EquiangularSystem<double> equiangular(n, beta, scheme);
    CHECK(equiangular.gamma_rate(model::EquiangularSystem<double>::initial_state(1.0), 0.0) ==
          Approx(expected).epsilon(1e-12));
}

TEST_CASE("Peri-LN starts faster than Post-LN by (e^beta + n - 1)/sqrt(e^{2 beta} + n - 1) (Theorem 4.1)",
          "[scheme][theorem41]") {
    // The gain is large only when n - 1 dominates e^beta (here about 8x); for beta >> log n both start at
    // about 2 e^{-beta}.
    const std::size_t n = 64;
    const double beta = 1;
    const double post = full_system_initial_rates(make_scheme(SchemeKind::post_ln), n, beta, 1).gamma_rate_max;
    const double peri = full_system_initial_rates(make_scheme(SchemeKind::peri_ln), n, beta, 1).gamma_rate_max;
    const double ratio = (std::exp(beta) + double(n - 1)) / std::sqrt(std::exp(2 * beta) + double(n - 1));
    CHECK(peri / post == Approx(ratio).epsilon(1e-12));
    CHECK(peri > 7 * post);
}

TEST_CASE("Theorem 4.1's initial velocity does not overflow: exact for beta up to 700 in double, every scheme",
          "[scheme][theorem41]") {
    // dγ/dt(0) ≈ 2 e^{-β} is representable in double up to β ≈ 708; e^{2β} overflows from β ≈ 355 on, so the
    // formula must not be evaluated as printed. Compared with the equiangular reduction (written in
    // w = e^{-βu} ≤ 1) and with the full system (shifted softmax).
    const std::size_t n = 4;
    for (double beta : {100.0, 300.0, 400.0, 600.0, 700.0})
        for (SchemeKind kind : model::all_schemes) {
            CAPTURE(model::to_string(kind), beta);
            const Scheme<double> scheme = make_scheme(kind, 1.0, 0.5);
            model::EquiangularSystem<double> equiangular(n, beta, scheme);
            const double reduced = equiangular.gamma_rate(model::EquiangularSystem<double>::initial_state(2.0), 0.0);
            REQUIRE(reduced > 0);
            CHECK(checks::theorem41_initial_velocity(scheme, n, beta, 2.0) == Approx(reduced).epsilon(1e-12));
            CHECK(full_system_initial_rates(scheme, n, beta, 2.0).gamma_rate_max == Approx(reduced).epsilon(1e-12));
        }
}

TEST_CASE("Theorem 4.1 in mp50: the full system's initial velocity equals the spec's column to 1e-45",
          "[scheme][theorem41][mp50]") {
    using R = mp50;
    const std::size_t n = 5;
    const R beta("1.5"), r0("0.75");
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        Scheme<R> scheme;
        scheme.kind = kind;
        scheme.alpha = R("0.5");
        model::ParticleSystem<R> system(n, n, scheme, model::Attention<R>(beta));
        std::vector<R> x(n * n, R(0)), rate(n * n);
        for (std::size_t j = 0; j < n; ++j) x[j * n + j] = r0;
        system(x, rate, R(0));
        // dγ_01/dt = <dθ_0/dt, e_1> + <e_0, dθ_1/dt>, with dθ_j/dt the tangential part of dx_j/dt over r0
        // (at the orthonormal start the tangential part of dx_j/dt is every component but the j-th).
        const R measured = (rate[0 * n + 1] + rate[1 * n + 0]) / r0;
        const R expected = checks::theorem41_initial_velocity(scheme, n, beta, r0);
        CHECK(abs(measured - expected) <= R("1e-45") * expected);
    }
}

TEST_CASE("The scheme table gives every scheme its own name, label and colour, and names parse back") {
    for (SchemeKind a : model::all_schemes) {
        CHECK(model::parse_scheme(model::to_string(a)) == a);
        for (SchemeKind b : model::all_schemes) {
            if (a == b) continue;
            CHECK(model::scheme_row(a).name != model::scheme_row(b).name);
            CHECK(model::scheme_row(a).label != model::scheme_row(b).label);
            CHECK(model::scheme_row(a).color != model::scheme_row(b).color);
        }
    }
    CHECK(model::parse_scheme("cod") == SchemeKind::ln_scaling);
    CHECK_THROWS_WITH(model::parse_scheme("layer-norm"), Catch::Contains("post-ln, pre-ln, mix-ln, peri-ln, ngpt"));
}
