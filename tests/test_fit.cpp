// Tests of the fitting library (normdyn/measure/fit.hpp).
#include <catch2/catch.hpp>

#include "normdyn/measure/fit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

using namespace normdyn::measure;

namespace {

// Standard normal deviates by Box–Muller on std::mt19937_64 (reproducible across standard libraries).
struct Gauss {
    std::mt19937_64 gen;
    explicit Gauss(std::uint64_t seed) : gen(seed) {}
    double uniform() { return (double(gen() >> 11) + 0.5) * 0x1.0p-53; } // in (0, 1)
    double operator()() {
        return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform());
    }
};

std::vector<double> linspace(double a, double b, int n) {
    std::vector<double> v(n);
    for (int i = 0; i < n; ++i) v[i] = a + (b - a) * i / (n - 1);
    return v;
}

std::vector<double> logspace(double a, double b, int n) {
    std::vector<double> v(n);
    for (int i = 0; i < n; ++i) v[i] = std::exp(std::log(a) + (std::log(b) - std::log(a)) * i / (n - 1));
    return v;
}

} // namespace

TEST_CASE("fit_line recovers slope and intercept exactly on exact linear data", "[fit]") {
    const auto x = linspace(-3, 7, 11);
    std::vector<double> y;
    for (double v : x) y.push_back(0.25 - 1.5 * v);
    const LinearFit f = fit_line(x, y);
    CHECK(f.slope == Approx(-1.5).epsilon(1e-14));
    CHECK(f.intercept == Approx(0.25).epsilon(1e-14));
    CHECK(f.rss < 1e-25);
    CHECK(f.r2 == Approx(1.0));
    CHECK(f.points == 11);
    CHECK(f.slope_ci95[1] - f.slope_ci95[0] < 1e-12);
}

TEST_CASE("fit_line's 95% interval covers the true slope in about 95% of noisy trials", "[fit]") {
    Gauss g(20240607);
    const auto x = linspace(0, 10, 20);
    int covered = 0;
    const int trials = 2000;
    double mean_se = 0, sd_slope = 0;
    for (int k = 0; k < trials; ++k) {
        std::vector<double> y;
        for (double v : x) y.push_back(2.0 + 0.75 * v + 0.3 * g());
        const LinearFit f = fit_line(x, y);
        covered += f.slope_ci95[0] <= 0.75 && 0.75 <= f.slope_ci95[1];
        mean_se += f.slope_se / trials;
        sd_slope += (f.slope - 0.75) * (f.slope - 0.75) / trials;
    }
    // Binomial(2000, 0.95) has sd ~ 0.005: [0.935, 0.965] is a 3-sigma band.
    CHECK(double(covered) / trials > 0.935);
    CHECK(double(covered) / trials < 0.965);
    // The reported standard error matches the actual scatter of the slope.
    CHECK(mean_se == Approx(std::sqrt(sd_slope)).epsilon(0.05));
}

TEST_CASE("fit_line rejects fewer than 3 points, non-finite input and constant x", "[fit]") {
    std::vector<double> x2{1, 2}, y2{1, 2};
    CHECK_THROWS_AS(fit_line(x2, y2), std::invalid_argument);
    std::vector<double> x{1, 2, 3}, y{1, NAN, 3}, xc{1, 1, 1};
    CHECK_THROWS_AS(fit_line(x, y), std::invalid_argument);
    CHECK_THROWS_AS(fit_line(xc, x), std::invalid_argument);
}

TEST_CASE("fit_decay: exponential with a transient, 3 e^{-2t}(1 + 5 e^{-t}), gives rate 2 +- 1e-3", "[fit]") {
    const auto t = linspace(0, 30, 301);
    std::vector<double> u;
    for (double s : t) u.push_back(3 * std::exp(-2 * s) * (1 + 5 * std::exp(-s)));
    DecayFitOptions o;
    o.floor = 1e-300;
    const DecayFit f = fit_decay(t, u, o);
    CHECK(f.best.law == DecayLaw::exponential);
    CHECK(std::abs(f.best.rate - 2) < 1e-3);
    CHECK(f.best.ci95[0] < f.best.rate);
    CHECK(f.best.ci95[1] > f.best.rate);
    REQUIRE(f.laws.size() == 3);
    CHECK(f.laws[1].rss > 100 * f.best.rss);
    CHECK(f.laws[2].rss > 100 * f.best.rss);
    // The transient (local slope off by > 1%, t < ~5.5) is left out of the window.
    CHECK(f.t_lo > 4);
    CHECK(f.t_hi == 30);
}

TEST_CASE("fit_decay: power law 7 (t+3)^-2 on log-spaced t in [1, 1e6] gives exponent 2", "[fit]") {
    const auto t = logspace(1, 1e6, 241);
    std::vector<double> u;
    for (double s : t) u.push_back(7 * std::pow(s + 3, -2.0));
    const DecayFit f = fit_decay(t, u);
    CHECK(f.best.law == DecayLaw::power);
    CHECK(std::abs(f.best.rate - 2) < 0.02);
    CHECK(f.best.offset == 0);

    DecayFitOptions o;
    o.power_offset = true;
    const DecayFit g = fit_decay(t, u, o);
    CHECK(g.best.law == DecayLaw::power);
    CHECK(std::abs(g.best.rate - 2) < 1e-6);
    CHECK(g.best.offset == Approx(3).epsilon(1e-5));
    CHECK(g.points > f.points); // with the offset the constant-slope stretch reaches back further
}

TEST_CASE("fit_decay: an explicit window is used as given", "[fit]") {
    const auto t = logspace(1, 1e6, 241);
    std::vector<double> u;
    for (double s : t) u.push_back(7 * std::pow(s + 3, -2.0));
    DecayFitOptions o;
    o.window = std::pair{1e4, 1e6};
    const DecayFit f = fit_decay(t, u, o);
    CHECK(f.t_lo >= 1e4);
    CHECK(f.t_hi == Approx(1e6));
    CHECK(f.best.law == DecayLaw::power);
    CHECK(std::abs(f.best.rate - 2) < 1e-3);
}

TEST_CASE("fit_decay: LN-Scaling law exp(-4 sqrt(t+1)) is stretched-exponential with c = 4 +- 1e-6", "[fit]") {
    const auto t = linspace(0, 2000, 401);
    std::vector<double> u;
    for (double s : t) u.push_back(std::exp(-4 * std::sqrt(s + 1)));
    const DecayFit f = fit_decay(t, u);
    CHECK(f.best.law == DecayLaw::stretched_exponential);
    CHECK(std::abs(f.best.rate - 4) < 1e-6);
    CHECK(to_string(f.best.law) == "stretched-exponential");
}

TEST_CASE("fit_decay: a series flattening at a noisy round-off floor still gives rate 2 +- 0.01", "[fit]") {
    Gauss g(7);
    const auto t = linspace(0, 30, 301);
    std::vector<double> u;
    for (double s : t) u.push_back(std::max(std::exp(-2 * s), 1e-16 * (0.5 + g.uniform())));
    const DecayFit f = fit_decay(t, u);
    const double t_floor = std::log(1e16) / 2; // e^{-2t} = 1e-16 at t ~ 18.42
    CHECK(f.best.law == DecayLaw::exponential);
    CHECK(std::abs(f.best.rate - 2) < 0.01);
    CHECK(f.t_hi < t_floor);
    CHECK(f.usable_points < t.size());
}

TEST_CASE("fit_decay rejects non-increasing t and series with fewer than 3 usable points", "[fit]") {
    std::vector<double> t{0, 1, 1, 2}, u{1, 0.5, 0.25, 0.1};
    CHECK_THROWS_AS(fit_decay(t, u), std::invalid_argument);
    std::vector<double> t2{0, 1, 2, 3}, u2{1, 0.5, 0, 0};
    CHECK_THROWS_AS(fit_decay(t2, u2), std::invalid_argument);
}

TEST_CASE("fit_order: C h^4 (1 + h) with ratio 0.7 gives order 4 +- 0.1 and drops the coarse steps", "[fit]") {
    std::vector<double> h, e;
    for (int k = 0; k <= 15; ++k) h.push_back(0.5 * std::pow(0.7, k));
    for (double s : h) e.push_back(3.0 * std::pow(s, 4) * (1 + s));
    const OrderFit f = fit_order(h, e, 4);
    CHECK(std::abs(f.observed - 4) < 0.1);
    CHECK_FALSE(f.used[0]);
    CHECK(f.used[15]);
    CHECK(std::count(f.flags.begin(), f.flags.end(), "pre-asymptotic") == 1);
    CHECK(std::count(f.flags.begin(), f.flags.end(), "superconvergence") == 0);
    // Input order does not matter.
    std::vector<double> hr(h.rbegin(), h.rend()), er(e.rbegin(), e.rend());
    CHECK(fit_order(hr, er, 4).observed == Approx(f.observed).epsilon(1e-12));
}

TEST_CASE("fit_order: C h^8 on a noisy 1e-15 floor excludes the floor points and gives 8 +- 0.15", "[fit]") {
    Gauss g(99);
    std::vector<double> h, e;
    for (int k = 0; k <= 15; ++k) h.push_back(0.5 * std::pow(0.7, k));
    for (double s : h) e.push_back(std::max(std::pow(s, 8), 1e-15 * (1 + 0.01 * g())));
    for (double floor : {0.0, 1e-15}) {
        const OrderFit f = fit_order(h, e, 8, floor);
        CHECK(std::abs(f.observed - 8) < 0.15);
        for (std::size_t k = 0; k < h.size(); ++k)
            if (std::pow(h[k], 8) < 2e-15) CHECK_FALSE(f.used[k]);
        CHECK(f.points_used >= 8);
        CHECK(std::count(f.flags.begin(), f.flags.end(), "roundoff-floor") == 1);
    }
}

TEST_CASE("fit_order: C h^2 with nominal order 1 is flagged as superconvergence", "[fit]") {
    std::vector<double> h{0.1, 0.05, 0.02, 0.01, 0.004}, e;
    for (double s : h) e.push_back(5 * s * s);
    const OrderFit f = fit_order(h, e, 1);
    CHECK(f.observed == Approx(2).epsilon(1e-12));
    CHECK(std::count(f.flags.begin(), f.flags.end(), "superconvergence") == 1);
    CHECK(f.points_used == 5);
}

TEST_CASE("fit_order: fewer than 3 usable points is flagged as insufficient-points", "[fit]") {
    std::vector<double> h{0.1, 0.05, 0.025, 0.0125}, e{1e-4, 6.25e-6, 0, NAN};
    const OrderFit f = fit_order(h, e, 4);
    CHECK(std::count(f.flags.begin(), f.flags.end(), "insufficient-points") == 1);
    CHECK(std::count(f.flags.begin(), f.flags.end(), "invalid-error") == 1);
    CHECK(f.observed == Approx(4).epsilon(1e-12));
    CHECK(std::isnan(f.ci95[0]));
}

TEST_CASE("fit_order: a smooth approach to a floor, 2 h^4 + 1e-13, is cut off and gives 4 +- 0.1", "[fit]") {
    // The finest errors stall at 1e-13 with pairwise orders near 0 that agree with each other: they must
    // not be mistaken for the asymptotic range.
    std::vector<double> h, e;
    for (int k = 0; k <= 30; ++k) h.push_back(0.5 * std::pow(0.7, k));
    for (double s : h) e.push_back(2 * std::pow(s, 4) + 1e-13);
    const OrderFit f = fit_order(h, e, 4);
    CHECK(std::abs(f.observed - 4) < 0.1);
    CHECK(f.used[5]);
    for (std::size_t k = 0; k < h.size(); ++k)
        if (2 * std::pow(h[k], 4) < 1e-12) CHECK_FALSE(f.used[k]);
    CHECK(std::count(f.flags.begin(), f.flags.end(), "roundoff-floor") == 1);
}

TEST_CASE("fit_order: a finest point off the trend (error halved by cancellation) is left out", "[fit]") {
    std::vector<double> h, e;
    for (int k = 0; k <= 10; ++k) h.push_back(0.5 * std::pow(0.7, k));
    for (double s : h) e.push_back(std::pow(s, 4));
    e.back() *= 0.5;
    const OrderFit f = fit_order(h, e, 4);
    CHECK(f.observed == Approx(4).epsilon(1e-10));
    CHECK_FALSE(f.used.back());
    CHECK(f.points_used == 10);
}

TEST_CASE("fit_order takes the finest consistent range: h^6 + 1e-3 h^2 observes 2, flagged below nominal", "[fit]") {
    // error = h^6 + 1e-3 h^2: order 6 for coarse-ish steps, the h^2 term takes over at h ~ 0.03; the
    // finest agreeing slopes are then ~2, and the steps above are pre-asymptotic for that range.
    std::vector<double> h, e;
    for (int k = 0; k <= 12; ++k) h.push_back(std::pow(0.5, k));
    for (double s : h) e.push_back(std::pow(s, 6) + 1e-3 * s * s);
    const OrderFit f = fit_order(h, e, 6);
    CHECK(std::abs(f.observed - 2) < 0.05);
    CHECK(std::count(f.flags.begin(), f.flags.end(), "below-nominal") == 1);
    CHECK(std::count(f.flags.begin(), f.flags.end(), "pre-asymptotic") == 1);
    CHECK_FALSE(f.used[0]);
}
