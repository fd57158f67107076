// Tests of the solver (normdyn/solve/solver.hpp): orders, tolerances, exact stops, and honest failure.
#include <catch2/catch.hpp>

#include "normdyn/model/equiangular.hpp"
#include "normdyn/solve/solver.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace normdyn;
using solve::SolveOptions;
using solve::SolveStatus;
using solve::Stepper;
using Catch::Matchers::Contains;

namespace {

SolveOptions<double> fixed(Stepper stepper, double dt) {
    SolveOptions<double> options;
    options.stepper = stepper;
    options.dt = dt;
    return options;
}

SolveOptions<double> adaptive(Stepper stepper, double rtol, double atol) {
    SolveOptions<double> options;
    options.stepper = stepper;
    options.rtol = rtol;
    options.atol = atol;
    return options;
}

/// dx/dt = −x, which fails after t_fail: by throwing FieldSingularity, or by returning NaN.
class FailingDecay final : public model::VectorField<double> {
public:
    enum class Failure { singularity, nan };
    FailingDecay(double t_fail, Failure failure) : t_fail_(t_fail), failure_(failure) {}
    void operator()(std::span<const double> x, std::span<double> dxdt, const double& t) override {
        if (t > t_fail_) {
            if (failure_ == Failure::singularity) throw model::FieldSingularity("test singularity past t_fail");
            dxdt[0] = std::numeric_limits<double>::quiet_NaN();
            return;
        }
        dxdt[0] = -x[0];
    }

private:
    double t_fail_;
    Failure failure_;
};

/// dx/dt = x², x(0) = 1: x = 1/(1 − t) blows up at t = 1.
class BlowUp final : public model::VectorField<double> {
public:
    void operator()(std::span<const double> x, std::span<double> dxdt, const double&) override { dxdt[0] = x[0] * x[0]; }
};

// The equiangular Post-LN system (n = 8, β = 1) and its γ at T = 2 from a tight rkf78 reference.
model::EquiangularSystem<double> post_ln_system() {
    model::Scheme<double> scheme;
    scheme.kind = model::SchemeKind::post_ln;
    return model::EquiangularSystem<double>(8, 1.0, scheme);
}

double post_ln_u(const SolveOptions<double>& options) {
    auto system = post_ln_system();
    const auto solution = solve::solve<double>(system, {1.0, 1.0}, 0.0, 2.0, options);
    REQUIRE(solution.status == SolveStatus::done);
    return solution.final_state[0];
}

double reference_u() { return post_ln_u(adaptive(Stepper::rkf78, 1e-15, 1e-17)); }

}  // namespace

TEST_CASE("Stepper names round-trip and unknown names throw, nominal orders are 1, 4, 5, 5, 8, 8", "[solver]") {
    for (Stepper s : {Stepper::euler, Stepper::rk4, Stepper::cash_karp54, Stepper::dopri5, Stepper::rkf78,
                      Stepper::dop853, Stepper::bulirsch_stoer, Stepper::taylor})
        CHECK(solve::parse_stepper(solve::to_string(s)) == s);
    CHECK_THROWS_AS(solve::parse_stepper("rk45"), std::invalid_argument);
    CHECK(solve::nominal_order(Stepper::euler) == 1);
    CHECK(solve::nominal_order(Stepper::rk4) == 4);
    CHECK(solve::nominal_order(Stepper::dopri5) == 5);
    CHECK(solve::nominal_order(Stepper::cash_karp54) == 5);
    CHECK(solve::nominal_order(Stepper::rkf78) == 8);
    CHECK(solve::nominal_order(Stepper::dop853) == 8);
    CHECK_FALSE(solve::has_error_estimate(Stepper::rk4));
    CHECK_FALSE(solve::has_fixed_step(Stepper::bulirsch_stoer));
    CHECK(solve::has_error_estimate(Stepper::dop853));
    CHECK(solve::has_fixed_step(Stepper::dop853));
    CHECK(solve::parse_stepper("dop853") == Stepper::dop853);
    CHECK_THROWS_WITH(solve::parse_stepper("rk45"), Contains("dop853"));  // the message names every stepper
}

TEST_CASE("Error norm names round-trip, max is the default, and an unknown norm names the allowed ones", "[solver]") {
    for (solve::ErrorNorm n : {solve::ErrorNorm::max, solve::ErrorNorm::rms})
        CHECK(solve::parse_error_norm(solve::to_string(n)) == n);
    CHECK(solve::to_string(solve::ErrorNorm::rms) == "rms");
    CHECK(SolveOptions<double>{}.error_norm == solve::ErrorNorm::max);
    CHECK_THROWS_AS(solve::parse_error_norm("l2"), std::invalid_argument);
    CHECK_THROWS_WITH(solve::parse_error_norm("l2"), Contains("max, rms"));
}

TEST_CASE("solve rejects a fixed step for Bulirsch-Stoer and an adaptive run of a fixed-step method", "[solver]") {
    auto system = post_ln_system();
    CHECK_THROWS_AS(solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.0, fixed(Stepper::bulirsch_stoer, 0.1)),
                    std::invalid_argument);
    CHECK_THROWS_AS(solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.0, adaptive(Stepper::euler, 1e-8, 1e-10)),
                    std::invalid_argument);
}

TEST_CASE("Fixed-step Euler halves its error when dt halves (order 1) on the equiangular Post-LN system", "[solver]") {
    const double reference = reference_u();
    const double e1 = std::abs(post_ln_u(fixed(Stepper::euler, 1.0 / 64)) - reference);
    const double e2 = std::abs(post_ln_u(fixed(Stepper::euler, 1.0 / 128)) - reference);
    CAPTURE(e1, e2);
    CHECK(e1 / e2 == Approx(2).epsilon(0.05));
}

TEST_CASE("Fixed-step RK4 divides its error by 16 when dt halves (order 4) on the equiangular Post-LN system",
          "[solver]") {
    const double reference = reference_u();
    const double e1 = std::abs(post_ln_u(fixed(Stepper::rk4, 1.0 / 8)) - reference);
    const double e2 = std::abs(post_ln_u(fixed(Stepper::rk4, 1.0 / 16)) - reference);
    CAPTURE(e1, e2);
    CHECK(e2 > 1e-12);  // still far above the round-off floor
    CHECK(e1 / e2 == Approx(16).epsilon(0.1));
}

TEST_CASE("RK4 calls the field 4 times per step and Euler once, and fixed steps land on T", "[solver]") {
    auto system = post_ln_system();
    const auto rk4 = solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.0, fixed(Stepper::rk4, 1.0 / 8));
    CHECK(rk4.stats.steps == 8);
    CHECK(rk4.stats.rhs_evals == 32);
    CHECK(rk4.t_reached == 1.0);
    const auto euler = solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.0, fixed(Stepper::euler, 1.0 / 8));
    CHECK(euler.stats.rhs_evals == 8);
}

TEST_CASE("Adaptive steppers reach the requested tolerance, and a tighter tolerance gives a smaller error", "[solver]") {
    const double reference = reference_u();
    for (Stepper s :
         {Stepper::cash_karp54, Stepper::dopri5, Stepper::rkf78, Stepper::dop853, Stepper::bulirsch_stoer}) {
        CAPTURE(solve::to_string(s));
        const double loose = std::abs(post_ln_u(adaptive(s, 1e-6, 1e-8)) - reference);
        const double tight = std::abs(post_ln_u(adaptive(s, 1e-11, 1e-13)) - reference);
        // The global error over T = 2 may exceed the per-step tolerance by the number of steps' worth of
        // accumulation; a factor 100 is ample for this contracting problem.
        CHECK(loose <= 1e-4);
        CHECK(tight <= 1e-9);
        CHECK(tight < loose);
    }
}

TEST_CASE("Output times are hit exactly and observed once each, with t0 and t_end, fixed and adaptive", "[solver]") {
    const std::vector<double> outputs = {0.1, 0.25, 1.0 / 3.0, 0.7, 1.3};
    for (const auto& options : {fixed(Stepper::rk4, 0.1), adaptive(Stepper::dopri5, 1e-9, 1e-11),
                                adaptive(Stepper::dop853, 1e-9, 1e-11), fixed(Stepper::dop853, 0.1),
                                adaptive(Stepper::bulirsch_stoer, 1e-9, 1e-11)}) {
        CAPTURE(solve::to_string(options.stepper));
        auto with_outputs = options;
        with_outputs.output_times = outputs;
        auto system = post_ln_system();
        std::vector<double> seen;
        const auto solution = solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.5, with_outputs,
                                                   [&](const double& t, std::span<const double>) { seen.push_back(t); });
        std::vector<double> expected = {0.0};
        expected.insert(expected.end(), outputs.begin(), outputs.end());
        expected.push_back(1.5);
        CHECK(seen == expected);  // exact equality of every time
        CHECK(solution.t_reached == 1.5);
    }
}

TEST_CASE("The state observed at an output time is the solution there (to the tolerance)", "[solver]") {
    // dx/dt = −x (FailingDecay never fails before t = 1e9): x(t) = e^{−t}.
    FailingDecay field(1e9, FailingDecay::Failure::nan);
    auto options = adaptive(Stepper::rkf78, 1e-13, 1e-15);
    options.output_times = {0.3, 1.1, 2.9};
    std::vector<double> errors;
    solve::solve<double>(field, {1.0}, 0.0, 3.0, options, [&](const double& t, std::span<const double> x) {
        errors.push_back(std::abs(x[0] - std::exp(-t)));
    });
    REQUIRE(errors.size() == 5);
    for (double e : errors) CHECK(e <= 1e-12);
}

TEST_CASE("A field that throws FieldSingularity stops the run partial at t_reached with a finite last good state",
          "[solver]") {
    for (const auto& options : {fixed(Stepper::rk4, 1.0 / 64), adaptive(Stepper::dopri5, 1e-10, 1e-12),
                                adaptive(Stepper::dop853, 1e-10, 1e-12)}) {
        CAPTURE(solve::to_string(options.stepper));
        FailingDecay field(0.5, FailingDecay::Failure::singularity);
        double last_observed = -1;
        const auto solution = solve::solve<double>(field, {1.0}, 0.0, 2.0, options,
                                                   [&](const double& t, std::span<const double>) { last_observed = t; });
        CHECK(solution.status == SolveStatus::partial);
        CHECK_THAT(solution.reason, Contains("test singularity"));
        CHECK(solution.t_reached > 0.3);
        CHECK(solution.t_reached <= 0.5);
        REQUIRE(solution.final_state.size() == 1);
        CHECK(std::isfinite(solution.final_state[0]));
        CHECK(solution.final_state[0] == Approx(std::exp(-solution.t_reached)).epsilon(1e-8));
        CHECK(last_observed == solution.t_reached);  // the observer sees where the run stopped
    }
}

TEST_CASE("A field that returns NaN stops the run partial with reason 'non-finite' and a finite state", "[solver]") {
    // Every stage of a step ending at or before t = 0.5 is finite, so the run gets that far at least one step.
    for (const auto& options : {fixed(Stepper::rk4, 1.0 / 64), adaptive(Stepper::dopri5, 1e-10, 1e-12),
                                adaptive(Stepper::rkf78, 1e-10, 1e-12), adaptive(Stepper::dop853, 1e-10, 1e-12),
                                adaptive(Stepper::bulirsch_stoer, 1e-10, 1e-12)}) {
        CAPTURE(solve::to_string(options.stepper));
        FailingDecay field(0.5, FailingDecay::Failure::nan);
        const auto solution = solve::solve<double>(field, {1.0}, 0.0, 2.0, options);
        CHECK(solution.status == SolveStatus::partial);
        CHECK_THAT(solution.reason, Contains("non-finite"));
        CHECK(solution.t_reached <= 0.5);
        CHECK(solution.t_reached > 0);
        CHECK(solution.stats.steps >= 1);
        REQUIRE(solution.final_state.size() == 1);
        CHECK(std::isfinite(solution.final_state[0]));
        CHECK(solution.final_state[0] == Approx(std::exp(-solution.t_reached)).epsilon(1e-8));
    }
}

TEST_CASE("A non-finite initial state is bad input: solve throws std::invalid_argument", "[solver]") {
    auto system = post_ln_system();
    CHECK_THROWS_AS(solve::solve<double>(system, {std::numeric_limits<double>::infinity(), 1.0}, 0.0, 1.0,
                                         adaptive(Stepper::dopri5, 1e-8, 1e-10)),
                    std::invalid_argument);
}

TEST_CASE("max_steps stops the run partial after exactly that many steps", "[solver]") {
    auto system = post_ln_system();
    auto options = fixed(Stepper::rk4, 1.0 / 64);
    options.max_steps = 10;
    const auto solution = solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.0, options);
    CHECK(solution.status == SolveStatus::partial);
    CHECK_THAT(solution.reason, Contains("step limit"));
    CHECK(solution.stats.steps == 10);
    CHECK(solution.t_reached == 10.0 / 64);
    auto adaptive_options = adaptive(Stepper::dopri5, 1e-12, 1e-14);
    adaptive_options.max_steps = 3;
    const auto adaptive_solution = solve::solve<double>(system, {1.0, 1.0}, 0.0, 100.0, adaptive_options);
    CHECK(adaptive_solution.status == SolveStatus::partial);
    CHECK(adaptive_solution.stats.steps == 3);
    CHECK(adaptive_solution.t_reached < 100.0);
}

TEST_CASE("A solution that blows up at t = 1 stops partial at the pole (to the tolerance) with a finite state",
          "[solver]") {
    BlowUp field;
    for (Stepper s : {Stepper::dopri5, Stepper::rkf78, Stepper::dop853, Stepper::bulirsch_stoer}) {
        CAPTURE(solve::to_string(s));
        const auto solution = solve::solve<double>(field, {1.0}, 0.0, 2.0, adaptive(s, 1e-10, 1e-12));
        CHECK(solution.status == SolveStatus::partial);
        CHECK_THAT(solution.reason, Contains("step-size underflow"));
        // The pole is located only to about the tolerance: the run may stop just past t = 1.
        CHECK(std::abs(solution.t_reached - 1) <= 1e-6);
        REQUIRE(solution.final_state.size() == 1);
        CHECK(std::isfinite(solution.final_state[0]));
        CHECK(solution.final_state[0] > 1e6);
    }
}

TEST_CASE("Solving from t0 > 0 starts at t0 (nothing assumes t0 = 0)", "[solver]") {
    FailingDecay field(1e9, FailingDecay::Failure::nan);
    const auto solution = solve::solve<double>(field, {1.0}, 2.0, 3.0, adaptive(Stepper::rkf78, 1e-13, 1e-15));
    CHECK(solution.t_reached == 3.0);
    CHECK(solution.final_state[0] == Approx(std::exp(-1.0)).epsilon(1e-12));
}

namespace {

/// dx/dt = −x on 37 components, recording whether every x and dxdt it was handed starts on a cache line.
class AlignmentProbe final : public model::VectorField<double> {
public:
    void operator()(std::span<const double> x, std::span<double> dxdt, const double&) override {
        ++calls;
        const auto offset = [](const double* p) { return reinterpret_cast<std::uintptr_t>(p) % 64; };
        if (offset(x.data()) != 0 || offset(dxdt.data()) != 0) ++misaligned;
        for (std::size_t i = 0; i < x.size(); ++i) dxdt[i] = -x[i];
    }
    std::size_t calls = 0, misaligned = 0;
};

}  // namespace

TEST_CASE("Every stepper hands the field state vectors that start on 64-byte boundaries", "[solver]") {
    // The double paths load four lanes (32 bytes) at a time; at malloc's 16-byte alignment one load in two
    // would straddle two cache lines. model::State's allocator is what guarantees this.
    for (const auto& options :
         {fixed(Stepper::euler, 0.1), fixed(Stepper::rk4, 0.1), adaptive(Stepper::cash_karp54, 1e-9, 1e-11),
          adaptive(Stepper::dopri5, 1e-9, 1e-11), adaptive(Stepper::rkf78, 1e-9, 1e-11),
          adaptive(Stepper::dop853, 1e-9, 1e-11), adaptive(Stepper::bulirsch_stoer, 1e-9, 1e-11)}) {
        CAPTURE(solve::to_string(options.stepper));
        AlignmentProbe field;
        const std::vector<double> x0(37, 1.0);
        const auto solution = solve::solve<double>(field, x0, 0.0, 1.0, options);
        REQUIRE(solution.status == SolveStatus::done);
        CHECK(field.calls > 0);
        CHECK(field.misaligned == 0);
    }
    model::State<double> state(5);
    CHECK(reinterpret_cast<std::uintptr_t>(state.data()) % 64 == 0);
}
