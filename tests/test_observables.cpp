// Tests of the observables (normdyn/measure/observables.hpp): clusters, variance, spread, cosines, and the
// energy of spec §3 (monotone, and its rate identity) along trajectories of every scheme.
#include <catch2/catch.hpp>

#include "normdyn/measure/observables.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/solve/solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

using namespace normdyn;
using measure::count_clusters;
using model::SchemeKind;
using Matrix = model::RowMatrix<double>;

namespace {

model::Scheme<double> make_scheme(SchemeKind kind) {
    model::Scheme<double> scheme;
    scheme.kind = kind;
    scheme.tau = 1;
    scheme.alpha = 0.7;
    return scheme;
}

model::ParticleSystem<double> make_system(SchemeKind kind, std::size_t n, std::size_t d, double beta) {
    return model::ParticleSystem<double>(n, d, make_scheme(kind), model::Attention<double>(beta));
}

Matrix draw(model::InitKind kind, SchemeKind scheme, std::size_t n, std::size_t d, std::uint64_t seed) {
    model::InitSpec spec;
    spec.kind = kind;
    return model::initial_positions<double>(spec, scheme, n, d, 1.0, seed);
}

Matrix unit_rows(Matrix m) {
    for (Eigen::Index j = 0; j < m.rows(); ++j) m.row(j).normalize();
    return m;
}

std::vector<double> flatten(const Matrix& x) { return std::vector<double>(x.data(), x.data() + x.size()); }

std::vector<double> radii(const Matrix& x) {
    std::vector<double> r;
    for (Eigen::Index j = 0; j < x.rows(); ++j) r.push_back(x.row(j).norm());
    return r;
}

// A unit vector at angle `angle` from e_1 in the (e_1, e_2) plane, in R^d.
Eigen::RowVectorXd at_angle(double angle, std::size_t d) {
    Eigen::RowVectorXd v = Eigen::RowVectorXd::Zero(Eigen::Index(d));
    v(0) = std::cos(angle);
    v(1) = std::sin(angle);
    return v;
}

/// Energy and its reported rate at the requested output times of one trajectory.
struct EnergySeries {
    std::vector<double> t, energy, energy_rate;
};

EnergySeries energy_along(SchemeKind kind, const std::vector<double>& times, double t_end) {
    const std::size_t n = 6, d = 3;
    const double beta = 1.5;
    const Matrix x0 = draw(model::InitKind::scheme_default, kind, n, d, 2024);
    auto system = make_system(kind, n, d, beta);
    solve::SolveOptions<double> options;
    options.stepper = solve::Stepper::rkf78;
    options.rtol = 1e-13;
    options.atol = 1e-15;
    options.output_times = times;
    EnergySeries series;
    const auto r0 = radii(x0);
    const auto solution = solve::solve<double>(system, flatten(x0), 0.0, t_end, options,
                                               [&](const double& t, std::span<const double> x) {
                                                   const auto o = measure::observe(system, x, t, r0);
                                                   series.t.push_back(t);
                                                   series.energy.push_back(o.energy);
                                                   series.energy_rate.push_back(o.energy_rate);
                                               });
    REQUIRE(solution.status == solve::SolveStatus::done);
    return series;
}

}  // namespace

TEST_CASE("count_clusters: two tight groups give 2, and the tolerance is respected", "[observables]") {
    const std::size_t d = 3;
    Matrix theta(5, Eigen::Index(d));
    // Group A near angle 0 (gaps ≤ 2e-3 rad, 1 − cos ≤ 2e-6), group B near angle 1.
    theta.row(0) = at_angle(0.0, d);
    theta.row(1) = at_angle(1e-3, d);
    theta.row(2) = at_angle(-1e-3, d);
    theta.row(3) = at_angle(1.0, d);
    theta.row(4) = at_angle(1.0005, d);
    CHECK(count_clusters<double>(theta, 1e-4) == 2);
    // 1 − cos(1e-3) ≈ 5e-7, 1 − cos(2e-3) ≈ 2e-6, 1 − cos(5e-4) ≈ 1.25e-7.
    CHECK(count_clusters<double>(theta, 6e-7) == 2);   // 0–1, 0–2, 3–4 join; 1–2 not needed (transitive)
    CHECK(count_clusters<double>(theta, 4e-7) == 4);   // only 3–4 join
    CHECK(count_clusters<double>(theta, 1e-7) == 5);   // nobody joins
    CHECK(count_clusters<double>(theta, 1.0) == 1);    // 1 − cos(1) ≈ 0.46 < 1
}

TEST_CASE("count_clusters joins transitively along a chain and counts single tokens", "[observables]") {
    const std::size_t d = 2;
    Matrix chain(4, Eigen::Index(d));
    for (Eigen::Index j = 0; j < 4; ++j) chain.row(j) = at_angle(0.01 * double(j), d);
    // Neighbours are 0.01 apart (1 − cos ≈ 5e-5), the ends 0.03 (≈ 4.5e-4).
    CHECK(count_clusters<double>(chain, 1e-4) == 1);
    CHECK(count_clusters<double>(chain, 1e-5) == 4);
    CHECK(count_clusters<double>(chain.topRows(1), 1e-5) == 1);
}

TEST_CASE("count_clusters separates tokens whose 1 - cos is below double's resolution of the cosine",
          "[observables]") {
    // Angle 1e-9: cos rounds to 1 exactly, but |θ_j − θ_k|²/2 = 5e-19 keeps the gap (spec §8).
    Matrix theta(2, 2);
    theta.row(0) = at_angle(0, 2);
    theta.row(1) = at_angle(1e-9, 2);
    CHECK(theta.row(0).dot(theta.row(1)) == 1.0);
    CHECK(count_clusters<double>(theta, 1e-19) == 2);
    CHECK(count_clusters<double>(theta, 1e-18) == 1);
}

TEST_CASE("Var = 1 - |mean theta|^2 on random unit vectors (1e-13)", "[observables]") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        const Matrix x = draw(model::InitKind::uniform, SchemeKind::post_ln, 20, 4, seed);
        auto system = make_system(SchemeKind::post_ln, 20, 4, 1.0);
        const auto o = measure::observe(system, flatten(x), 0.0, radii(x));
        const Eigen::RowVectorXd mean = x.colwise().mean();
        CHECK(std::abs(o.var - (1 - mean.squaredNorm())) <= 1e-13);
    }
}

TEST_CASE("spread = max over pairs of 1 - cos, pairwise cosines min/mean/max, and tiny spreads keep their digits",
          "[observables]") {
    model::InitSpec spec;
    spec.kind = model::InitKind::cone;
    spec.delta = 0.5;
    const Matrix y = model::initial_positions<double>(spec, SchemeKind::post_ln, 8, 3, 2.0, 4);
    auto system = make_system(SchemeKind::post_ln, 8, 3, 1.0);
    const auto o = measure::observe(system, flatten(y), 0.0, radii(y));
    const Matrix theta = unit_rows(y), gram = theta * theta.transpose();
    double lo = 2, hi = -2, sum = 0;
    for (Eigen::Index j = 0; j < 8; ++j)
        for (Eigen::Index k = j + 1; k < 8; ++k) {
            lo = std::min(lo, gram(j, k));
            hi = std::max(hi, gram(j, k));
            sum += gram(j, k);
        }
    CHECK(o.spread == Approx(1 - lo).epsilon(1e-12));
    CHECK(o.gamma_min == Approx(lo).epsilon(1e-14));
    CHECK(o.gamma_max == Approx(hi).epsilon(1e-14));
    CHECK(o.gamma_mean == Approx(sum / 28).epsilon(1e-14));
    // Two tokens 1e-9 apart: 1 − cos would give 0; the spread is θ²/2 = 5e-19.
    Matrix close(2, 2);
    close.row(0) = at_angle(0, 2);
    close.row(1) = at_angle(1e-9, 2);
    auto pair = make_system(SchemeKind::post_ln, 2, 2, 1.0);
    CHECK(measure::observe(pair, flatten(close), 0.0, radii(close)).spread == Approx(5e-19).epsilon(1e-6));
}

TEST_CASE("Orthonormal start: cosines 0, energy -n(e^beta + n - 1), Var = 1 - 1/n, n clusters", "[observables]") {
    const std::size_t n = 5;
    const double beta = 2;
    const Matrix x = 1.5 * Matrix::Identity(Eigen::Index(n), Eigen::Index(n));
    auto system = make_system(SchemeKind::pre_ln, n, n, beta);
    const auto o = measure::observe(system, flatten(x), 0.0, radii(x));
    CHECK(o.gamma_min == 0);
    CHECK(o.gamma_max == 0);
    CHECK(o.energy == Approx(-double(n) * (std::exp(beta) + double(n - 1))).epsilon(1e-14));
    CHECK(o.var == Approx(1 - 1.0 / double(n)).epsilon(1e-14));
    CHECK(o.clusters == n);
    CHECK(o.radius_min == 1.5);
    CHECK(o.radius_mean == Approx(1.5).epsilon(1e-15));
    CHECK(o.norm_drift == 0);  // Pre-LN does not keep radii: no drift reported
}

TEST_CASE("Energy is non-increasing and its reported rate is <= 0 along a random trajectory of every scheme",
          "[observables][energy]") {
    std::vector<double> times;
    for (int i = 1; i <= 80; ++i) times.push_back(0.05 * i);
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        const auto series = energy_along(kind, times, 4.0);
        REQUIRE(series.t.size() == times.size() + 1);
        for (std::size_t i = 0; i < series.t.size(); ++i) CHECK(series.energy_rate[i] <= 0);
        for (std::size_t i = 1; i < series.t.size(); ++i) {
            CAPTURE(series.t[i]);
            CHECK(series.energy[i] <= series.energy[i - 1]);
        }
        CHECK(series.energy.back() < series.energy.front() - 1);  // it really decreased
    }
}

TEST_CASE("dE/dt = -2 beta sum_j (Z_j/s_j)|P A_j|^2 matches a 5-point central difference of E (every scheme)",
          "[observables][energy]") {
    // Stencil (E(t−2h) − 8E(t−h) + 8E(t+h) − E(t+2h))/(12h): truncation h^4 |E^(5)|/30 ≈ 3e-10 |E'| for h = 1e-2;
    // the solver's rtol 1e-13 on E (|E| ≈ 100 |E'|) adds ≈ 1e-11/h ≈ 1e-9. A tolerance of 1e-6 relative
    // is ample, and a wrong factor in the identity (2, β, Z_j or s_j) is off by O(1).
    const double h = 1e-2;
    const std::vector<double> centres = {0.5, 2.0, 3.0};  // away from Mix-LN's switch τ = 1
    std::vector<double> times;
    for (double c : centres)
        for (int k : {-2, -1, 0, 1, 2}) times.push_back(c + k * h);
    for (SchemeKind kind : model::all_schemes) {
        CAPTURE(model::to_string(kind));
        const auto s = energy_along(kind, times, 3.5);
        REQUIRE(s.t.size() == times.size() + 2);  // t0 and t_end as well
        for (std::size_t c = 0; c < centres.size(); ++c) {
            const std::size_t i = 1 + 5 * c;  // s.t[i] = centre − 2h
            REQUIRE(s.t[i + 2] == centres[c]);
            const double difference = (s.energy[i] - 8 * s.energy[i + 1] + 8 * s.energy[i + 3] - s.energy[i + 4]) / (12 * h);
            CAPTURE(centres[c], difference, s.energy_rate[i + 2]);
            CHECK(s.energy_rate[i + 2] == Approx(difference).epsilon(1e-6));
        }
    }
}

TEST_CASE("Fixed-radius schemes report a norm drift at the solver's tolerance, and speed_max is max_j |P A_j|/s_j",
          "[observables]") {
    const std::size_t n = 6, d = 3;
    for (SchemeKind kind : {SchemeKind::post_ln, SchemeKind::ngpt, SchemeKind::ln_scaling}) {
        CAPTURE(model::to_string(kind));
        const Matrix x0 = draw(model::InitKind::uniform, kind, n, d, 31);
        auto system = make_system(kind, n, d, 1.0);
        solve::SolveOptions<double> options;
        options.stepper = solve::Stepper::dopri5;
        options.rtol = 1e-12;
        options.atol = 1e-14;
        const auto solution = solve::solve<double>(system, flatten(x0), 0.0, 3.0, options);
        const auto o = measure::observe(system, solution.final_state, 3.0, radii(x0));
        CHECK(o.norm_drift <= 1e-10);
        const auto field = system.evaluate(solution.final_state, 3.0);
        double fastest = 0;
        for (Eigen::Index j = 0; j < field.radius.size(); ++j) fastest = std::max(fastest, field.speed(std::size_t(j)));
        CHECK(o.speed_max == fastest);
        CHECK(o.speed_max > 0);
    }
}

TEST_CASE("observe never returns a NaN energy rate, even at beta = 1000 where |P A_j| underflows", "[observables][energy]") {
    // At the orthonormal start |P A_j|² ≈ (n−1) e^{-2β} underflows to 0 in double while 2β Z_j ≈ 2β e^{β}
    // overflows: the true rate ≈ −2β n (n−1) e^{-β}/s rounds to (almost) 0; it must not become inf · 0 = NaN.
    const std::size_t n = 4;
    const Matrix x = Matrix::Identity(Eigen::Index(n), Eigen::Index(n));
    for (double beta : {400.0, 705.0, 1000.0})
        for (SchemeKind kind : model::all_schemes) {
            CAPTURE(beta, model::to_string(kind));
            auto system = make_system(kind, n, n, beta);
            const auto o = measure::observe(system, flatten(x), 0.0, radii(x));
            CHECK_FALSE(std::isnan(o.energy_rate));
            CHECK(o.energy_rate <= 0);
        }
}

namespace {

/// The observables the straightforward way: loops over pairs of d-vectors and the attention written out
/// token by token (spec §1–§3, §5, §8), with nothing shared between them.
struct PairByPair {
    double gamma_min = 1, gamma_mean = 1, gamma_max = 1, spread = 0, var = 0, log_energy = 0, speed_max = 0;
    double speed_scale = 0;  ///< max_j |A_j|/s_j: |P A_j| cancels against it, so speeds are good to ε of it
    double radius_mean = 0, radius_min = 0, norm_drift = 0;
    std::size_t clusters = 0;
};

PairByPair pair_by_pair(const model::ParticleSystem<double>& system, const Matrix& x, double t,
                        const std::vector<double>& r0, double tolerance) {
    const auto n = x.rows(), d = x.cols();
    const double beta = system.attention().beta();
    const auto& att = system.attention();
    const auto weight = [&](const std::optional<Matrix>& m, const Eigen::RowVectorXd& v) -> Eigen::RowVectorXd {
        return m ? Eigen::RowVectorXd(v * m->transpose()) : v;
    };
    PairByPair p;
    // Θ and r as the model rounds them (ParticleSystem::directions): in a cluster of diameter δ a change of
    // one ulp in θ moves the gaps by ε/δ relative, so the comparison starts from the same directions.
    const auto tokens = system.directions(flatten(x), t);
    const Matrix& theta = tokens.directions;
    std::vector<double> r(tokens.radius.data(), tokens.radius.data() + n);
    double cos_sum = 0, energy_sum = 0;
    std::vector<std::size_t> parent(static_cast<std::size_t>(n));
    for (std::size_t j = 0; j < parent.size(); ++j) parent[j] = j;
    const auto root = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i];
        return i;
    };
    p.clusters = std::size_t(n);
    if (n > 1) p.gamma_min = 2, p.gamma_max = -2;
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = 0; k < n; ++k) {
            double dot = 0, gap = 0;
            for (Eigen::Index c = 0; c < d; ++c) {
                dot += theta(j, c) * theta(k, c);
                gap += (theta(j, c) - theta(k, c)) * (theta(j, c) - theta(k, c)) / 2;
            }
            energy_sum += std::exp(beta * (dot - 1));
            if (k <= j) continue;
            p.gamma_min = std::min(p.gamma_min, dot);
            p.gamma_max = std::max(p.gamma_max, dot);
            cos_sum += dot;
            p.spread = std::max(p.spread, gap);
            p.var += 2 * gap / double(n * n);  // Var = (1/n²) Σ_{j<k} |θ_j − θ_k|²: no cancellation
            if (gap < tolerance && root(std::size_t(j)) != root(std::size_t(k))) {
                parent[root(std::size_t(j))] = root(std::size_t(k));
                --p.clusters;
            }
        }
    if (n > 1) p.gamma_mean = cos_sum / double(n * (n - 1) / 2);
    p.log_energy = beta + std::log(energy_sum);
    const auto& scheme = system.scheme();
    for (Eigen::Index j = 0; j < n; ++j) {
        std::vector<double> logits;
        for (Eigen::Index k = 0; k < n; ++k)
            logits.push_back(beta * weight(att.query(), theta.row(j)).dot(weight(att.key(), theta.row(k))));
        const double top = *std::max_element(logits.begin(), logits.end());
        double z = 0;
        Eigen::RowVectorXd a = Eigen::RowVectorXd::Zero(d);
        for (Eigen::Index k = 0; k < n; ++k) {
            const double w = std::exp(logits[std::size_t(k)] - top);
            z += w;
            a += w * weight(att.value(), theta.row(k));
        }
        a /= z;
        const double inner = a.dot(theta.row(j)), norm = a.norm();
        const double factor = scheme.speed_factor(t, scheme.switched(t), r[std::size_t(j)], norm);
        p.speed_max = std::max(p.speed_max, (a - inner * theta.row(j)).norm() / factor);
        p.speed_scale = std::max(p.speed_scale, norm / factor);
    }
    p.radius_min = *std::min_element(r.begin(), r.end());
    for (double v : r) p.radius_mean += v / double(n);
    if (model::keeps_radius(scheme.kind))
        for (std::size_t j = 0; j < r.size(); ++j) p.norm_drift = std::max(p.norm_drift, std::abs(r[j] - r0[j]));
    return p;
}

/// |a − b| ≤ 1e-13 scale: cosines (in [−1, 1]) at scale 1, speeds at the scale of |A|/s they cancel from,
/// the rest relative to themselves.
bool agrees(double a, double b, double scale) { return std::abs(a - b) <= 1e-13 * scale; }

void compare_every_selection(const model::ParticleSystem<double>& system, const Matrix& x, double t,
                             const std::vector<double>& r0, double tolerance, int& failures) {
    const auto p = pair_by_pair(system, x, t, r0, tolerance);
    const auto selections = [] {
        std::vector<measure::Selection> s = {measure::Selection{}};
        bool measure::Selection::*groups[] = {&measure::Selection::cosines, &measure::Selection::spread,
                                              &measure::Selection::var,     &measure::Selection::energy,
                                              &measure::Selection::speed,   &measure::Selection::radius,
                                              &measure::Selection::clusters};
        for (auto group : groups) {
            auto one = measure::Selection::none();
            one.*group = true;
            s.push_back(one);
        }
        return s;
    }();
    for (const auto& want : selections) {
        const auto o = measure::observe(system, flatten(x), t, r0, tolerance, want);
        const auto check = [&](bool selected, double got, double expected, double scale, const char* name) {
            if (!selected || agrees(got, expected, scale)) return;
            ++failures;
            UNSCOPED_INFO(name << ": one pass " << got << ", pair by pair " << expected);
        };
        check(want.cosines, o.gamma_min, p.gamma_min, 1, "gamma_min");
        check(want.cosines, o.gamma_mean, p.gamma_mean, 1, "gamma_mean");
        check(want.cosines, o.gamma_max, p.gamma_max, 1, "gamma_max");
        check(want.spread, o.spread, p.spread, p.spread, "spread");
        check(want.var, o.var, p.var, p.var, "var");
        check(want.energy, o.log_energy, p.log_energy, std::abs(p.log_energy), "log_energy");
        check(want.speed, o.speed_max, p.speed_max, p.speed_scale, "speed_max");
        check(want.radius, o.radius_mean, p.radius_mean, p.radius_mean, "radius_mean");
        check(want.radius, o.radius_min, p.radius_min, p.radius_min, "radius_min");
        check(want.radius, o.norm_drift, p.norm_drift, p.radius_mean, "norm_drift");
        if (want.clusters && o.clusters != p.clusters) {
            ++failures;
            UNSCOPED_INFO("clusters: one pass " << o.clusters << ", pair by pair " << p.clusters);
        }
    }
}

}  // namespace

TEST_CASE("Observables in one pass equal the pair-by-pair ones (1e-13) for every scheme, selection and awkward size",
          "[observables]") {
    // Random starts (G decides everything), a tight cluster of diameter ~1e-9 (the spread is ~1e-18, below G's
    // resolution: H and the pairwise recomputation take over), an orthonormal start (every pair ties for the
    // widest), two tight groups at a cluster tolerance below G's resolution, and general Q, K, V (the energy
    // then comes from G's exponentials, not from the field's log Z_j).
    int failures = 0;
    for (SchemeKind kind : model::all_schemes)
        for (auto [n, d] : {std::pair<std::size_t, std::size_t>{7, 3}, {13, 7}, {33, 13}, {5, 13}}) {
            CAPTURE(model::to_string(kind), n, d);
            auto system = make_system(kind, n, d, 1.3);
            const Matrix x = draw(model::InitKind::uniform, kind, n, d, 7 + n) * 1.7;
            const auto r0 = radii(x);
            for (double t : {0.5, 2.0}) compare_every_selection(system, x, t, r0, 1e-6, failures);

            Matrix tight = Matrix::Constant(Eigen::Index(n), Eigen::Index(d), 1.0);
            Matrix jitter = draw(model::InitKind::gaussian, kind, n, d, 3);
            tight += 1e-9 * jitter;
            compare_every_selection(system, tight, 0.5, radii(tight), 1e-6, failures);
            // Two groups 1e-3 apart, each of diameter 1e-9: tolerance 1e-20 separates every token.
            Matrix groups = tight;
            for (Eigen::Index j = 0; j < groups.rows(); j += 2) groups(j, 0) += 1e-3;
            compare_every_selection(system, groups, 0.5, radii(groups), 1e-20, failures);
            compare_every_selection(system, groups, 0.5, radii(groups), 1e-8, failures);
            if (d >= n) {
                const Matrix orthonormal = Matrix::Identity(Eigen::Index(n), Eigen::Index(d));
                compare_every_selection(system, orthonormal, 0.5, radii(orthonormal), 1e-6, failures);
            }
            Matrix q = draw(model::InitKind::gaussian, kind, d, d, 11), k = draw(model::InitKind::gaussian, kind, d, d, 12),
                   v = draw(model::InitKind::gaussian, kind, d, d, 13);
            model::ParticleSystem<double> weighted(n, d, make_scheme(kind), model::Attention<double>(1.3, q, k, v));
            compare_every_selection(weighted, x, 0.5, r0, 1e-6, failures);
        }
    CHECK(failures == 0);
}

TEST_CASE("Sabotage: the one-pass comparison fails when the pair-by-pair reference is perturbed", "[observables]") {
    // The comparison above must be able to fail: a system whose β differs by 1e-9 from the one observed changes
    // the energy and the speeds far beyond 1e-13, and the count of failing observables says so.
    int failures = 0;
    for (SchemeKind kind : model::all_schemes) {
        auto system = make_system(kind, 13, 7, 1.3);
        auto other = make_system(kind, 13, 7, 1.3 + 1e-9);
        const Matrix x = draw(model::InitKind::uniform, kind, 13, 7, 20);
        const auto p = pair_by_pair(other, x, 0.5, radii(x), 1e-6);
        const auto o = measure::observe(system, flatten(x), 0.5, radii(x));
        failures += !agrees(o.log_energy, p.log_energy, std::abs(p.log_energy));
        failures += !agrees(o.speed_max, p.speed_max, p.speed_scale);
    }
    CHECK(failures == 12);
}
