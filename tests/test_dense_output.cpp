// Tests of dop853's dense output (solver.ipp: Dop853Driver::prepare_dense, dense_state; Run::fill_dense):
// Hairer's 7th-order continuous extension fills the output times, so output times never shorten a step.
// All runs here use the rms norm. Sabotage: d[1][5] changed in its 4th digit, or a_extra[1][13] in its 4th,
// fails the three accuracy checks (errors 4e-4 to 2e-3, and 2e-7 to 3e-6, against bounds of 1e-7); not
// handing k_12 over as the next k_0 fails the bit-identity, step-count and accuracy checks.
#include <catch2/catch.hpp>

#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/model/problem.hpp"
#include "normdyn/solve/method.hpp"
#include "normdyn/solve/solver.hpp"
#include "normdyn/solve/trajectory.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace normdyn;
using solve::ErrorNorm;
using solve::SolveOptions;
using solve::SolveStatus;
using solve::Stepper;

namespace {

/// x' = −x: x(t) = e^{−t} x(0).
class Decay final : public model::VectorField<double> {
public:
    void operator()(std::span<const double> x, std::span<double> dxdt, const double&) override { dxdt[0] = -x[0]; }
};

/// (x, y)' = (−y, x): (cos t, sin t) from (1, 0).
class Rotation final : public model::VectorField<double> {
public:
    void operator()(std::span<const double> x, std::span<double> dxdt, const double&) override {
        dxdt[0] = -x[1];
        dxdt[1] = x[0];
    }
};

SolveOptions<double> dop853(double rtol, double atol, std::size_t samples, double t_end) {
    SolveOptions<double> options;
    options.stepper = Stepper::dop853;
    options.rtol = rtol;
    options.atol = atol;
    options.error_norm = ErrorNorm::rms;
    for (std::size_t i = 0; i < samples; ++i) options.output_times.push_back(t_end * double(i) / double(samples - 1));
    options.output_times.back() = t_end;
    return options;
}

struct Observed {
    std::vector<double> t;
    std::vector<std::vector<double>> x;
};

template <class Field>
solve::Solution<double> run(Field& field, const std::vector<double>& x0, double t_end, const SolveOptions<double>& options,
                            Observed* observed = nullptr) {
    return solve::solve<double>(field, x0, 0.0, t_end, options, [&](const double& t, std::span<const double> x) {
        if (!observed) return;
        observed->t.push_back(t);
        observed->x.emplace_back(x.begin(), x.end());
    });
}

/// A small Post-LN system: 6 tokens in 4 dimensions from a seeded uniform start.
struct SmallPostLn {
    static constexpr std::size_t n = 6, d = 4;
    model::Scheme<double> scheme;
    model::ParticleSystem<double> system{n, d, scheme, model::Attention<double>(2.0)};
    std::vector<double> start() const {
        model::InitSpec init;
        init.kind = model::InitKind::uniform;
        const auto x0 = model::initial_positions<double>(init, scheme.kind, n, d, 1.0, 11);
        return {x0.data(), x0.data() + x0.size()};
    }
};

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    double largest = 0;
    for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
    return largest;
}

}  // namespace

TEST_CASE("dop853's dense output at 101 output times is within 10 rtol of the exact solution of x' = -x "
          "(relative) and of a rotation (absolute)",
          "[solver][dop853][dense]") {
    // rtol 1e-8, atol 1e-14 over [0, 8] (x' = -x: e^-8 = 3e-4 at the end) and a rotation over [0, 4π]: the
    // steps' own global error is ~1 rtol here; the extension is of order 7, its error of the step's size.
    // Measured: 1.5 rtol (x' = -x, 17 steps), 1.7 rtol (rotation, 24 steps).
    const double rtol = 1e-8, atol = 1e-14;
    {
        Decay field;
        Observed observed;
        const auto solution = run(field, {1.0}, 8.0, dop853(rtol, atol, 101, 8.0), &observed);
        REQUIRE(solution.status == SolveStatus::done);
        REQUIRE(observed.t.size() == 101);
        double worst = 0;
        for (std::size_t i = 0; i < observed.t.size(); ++i)
            worst = std::max(worst, std::abs(observed.x[i][0] / std::exp(-observed.t[i]) - 1));
        CAPTURE(worst, solution.stats.steps);
        CHECK(worst <= 10 * rtol);
        CHECK(solution.stats.steps < 50);  // fewer steps than output times: the extension filled them
    }
    {
        Rotation field;
        Observed observed;
        const double t_end = 4 * M_PI;
        const auto solution = run(field, {1.0, 0.0}, t_end, dop853(rtol, atol, 101, t_end), &observed);
        REQUIRE(solution.status == SolveStatus::done);
        REQUIRE(observed.t.size() == 101);
        double worst = 0;
        for (std::size_t i = 0; i < observed.t.size(); ++i)
            worst = std::max({worst, std::abs(observed.x[i][0] - std::cos(observed.t[i])),
                              std::abs(observed.x[i][1] - std::sin(observed.t[i]))});
        CAPTURE(worst, solution.stats.steps);
        CHECK(worst <= 10 * rtol);
        CHECK(solution.stats.steps < 50);
    }
}

TEST_CASE("dop853's dense value at an output time is within 10 rtol of a run whose last step ends exactly there "
          "(Post-LN, 6 tokens in 4 dimensions)",
          "[solver][dop853][dense]") {
    const double rtol = 1e-8, atol = 1e-10, t_end = 6;
    SmallPostLn post_ln;
    const auto x0 = post_ln.start();
    Observed observed;
    const auto solution = run(post_ln.system, x0, t_end, dop853(rtol, atol, 25, t_end), &observed);
    REQUIRE(solution.status == SolveStatus::done);
    REQUIRE(observed.t.size() == 25);
    double worst = 0;
    for (std::size_t i = 1; i + 1 < observed.t.size(); i += 3) {
        // The same problem run to t_i: its last step is shortened to end at t_i exactly.
        const auto to_there = run(post_ln.system, x0, observed.t[i], dop853(rtol, atol, 2, observed.t[i]));
        REQUIRE(to_there.status == SolveStatus::done);
        worst = std::max(worst, max_difference(observed.x[i], to_there.final_state));
    }
    CAPTURE(worst, solution.stats.steps);
    CHECK(worst <= 10 * rtol);  // measured 0.53 rtol (14 steps)
    CHECK(max_difference(observed.x.front(), observed.x.back()) > 1e-2);  // the tokens did move
}

TEST_CASE("Output times never change dop853's steps: 2 and 101 output times give the same final state bit for bit, "
          "the same steps and rejections, and 3 more evaluations per step with an output time inside it",
          "[solver][dop853][dense]") {
    SmallPostLn post_ln;
    const auto x0 = post_ln.start();
    const double rtol = 1e-10, atol = 1e-12, t_end = 10;
    const auto two = run(post_ln.system, x0, t_end, dop853(rtol, atol, 2, t_end));
    const auto many_options = dop853(rtol, atol, 101, t_end);
    Observed observed;
    const auto many = run(post_ln.system, x0, t_end, many_options, &observed);
    REQUIRE(two.status == SolveStatus::done);
    REQUIRE(many.status == SolveStatus::done);
    CHECK(observed.t == many_options.output_times);
    CHECK(two.final_state == many.final_state);  // bit for bit
    CHECK(two.stats.steps == many.stats.steps);
    CHECK(two.stats.rejected == many.stats.rejected);

    // The step ends t_1 … t_N, from runs stopped by the step limit after k steps (the same first k steps).
    std::vector<double> ends = {0.0};
    for (std::size_t k = 1; k < two.stats.steps; ++k) {
        auto limited = dop853(rtol, atol, 2, t_end);
        limited.max_steps = k;
        const auto partial = run(post_ln.system, x0, t_end, limited);
        REQUIRE(partial.status == SolveStatus::partial);
        ends.push_back(partial.t_reached);
    }
    ends.push_back(t_end);
    // Each step with an output time strictly inside costs f(t_new, x_new) (the next step's first stage, so
    // extra only for the last step) and three extra stages.
    std::size_t with_inside = 0;
    bool last_has_inside = false;
    for (std::size_t s = 1; s < ends.size(); ++s) {
        const bool inside = std::any_of(many_options.output_times.begin(), many_options.output_times.end(),
                                        [&](double t) { return t > ends[s - 1] && t < ends[s]; });
        with_inside += inside;
        last_has_inside = inside && s + 1 == ends.size();
    }
    CAPTURE(two.stats.steps, two.stats.rhs_evals, many.stats.rhs_evals, with_inside);
    CHECK(with_inside > 0);
    CHECK(many.stats.rhs_evals == two.stats.rhs_evals + 3 * with_inside + (last_has_inside ? 1 : 0));
}

TEST_CASE("With dense output, Post-LN at n = 32, d = 64 to t = 10 with 101 samples takes as many steps as with 2 "
          "(rtol 1e-10, rms)",
          "[solver][dop853][dense]") {
    model::Problem<double> problem;
    problem.n = 32;
    problem.d = 64;
    problem.t_end = 10;
    solve::Method method;
    method.stepper = Stepper::dop853;
    method.error_norm = ErrorNorm::rms;
    solve::Sampling two, many;
    two.samples = 2;
    many.samples = 101;
    const auto a = solve::solve<double>(problem, method, two);
    const auto b = solve::solve<double>(problem, method, many);
    REQUIRE(a.status == SolveStatus::done);
    REQUIRE(b.status == SolveStatus::done);
    REQUIRE(b.rows.size() == 101);
    // Measured: 31 steps both, 427 evaluations with 2 samples and 514 with 101 (3 extra stages per step with a
    // sample inside).
    CAPTURE(a.stats.steps, a.stats.rhs_evals, b.stats.steps, b.stats.rhs_evals);
    CHECK(b.stats.steps == a.stats.steps);
    CHECK(b.stats.steps < 100);  // a step shortened to each of the 100 sampling intervals would need ≥ 100
    CHECK(b.stats.rhs_evals <= a.stats.rhs_evals + 3 * b.stats.steps + 1);
    CHECK(a.final_state == b.final_state);
}
