// The values of the library (architecture: "Data flows one way, as values"): model::Problem, solve::Method
// with defaults that follow the precision, solve::Sampling, and solve(problem, method, sampling) → Trajectory.
#include <catch2/catch.hpp>

#include "normdyn/model/particle_system.hpp"
#include "normdyn/model/problem.hpp"
#include "normdyn/scalar.hpp"
#include "normdyn/solve/method.hpp"
#include "normdyn/solve/trajectory.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

using namespace normdyn;

TEST_CASE("A method named by its precision alone reaches that precision: Taylor at rtol 10^-(N-2)") {
    const auto in_double = solve::default_method({"double", 0});
    CHECK(in_double.stepper == solve::Stepper::dopri5);
    CHECK(in_double.rtol == "1e-10");
    const auto sixty = solve::default_method({"mpfr", 60});
    CHECK(sixty.stepper == solve::Stepper::taylor);
    CHECK(sixty.rtol == "1e-58");
    CHECK(sixty.atol == "1e-58");
    CHECK(solve::default_method({"mp50", 0}).rtol == "1e-48");
    CHECK(solve::default_method({"long-double", 0}).stepper == solve::Stepper::taylor);
    // A low-order stepper the run names keeps the double tolerances (at 1e-58 it would take ~1e11 steps).
    CHECK(solve::default_method({"mpfr", 60}, solve::Stepper::dopri5).rtol == "1e-10");
    CHECK(solve::default_method({"mpfr", 60}, solve::Stepper::bulirsch_stoer).rtol == "1e-58");
}

TEST_CASE("Post-LN from an orthonormal pair at beta = 0 follows gamma = tanh(t) to 55 digits under the 60-digit default "
          "method") {
    set_runtime_digits(60);
    model::Problem<mp_digits> problem;
    problem.system = model::SystemKind::equiangular;
    problem.scheme = model::make_scheme<mp_digits>(model::SchemeKind::post_ln, 1, 1);
    problem.n = 2;
    problem.beta = 0;
    problem.t_end = 2;
    solve::Sampling sampling;
    sampling.samples = 5;
    const auto trajectory = solve::solve(problem, solve::default_method({"mpfr", 60}), sampling);
    REQUIRE(trajectory.status == solve::SolveStatus::done);
    const auto t = trajectory.column("t");
    const auto gamma = trajectory.column("gamma");
    REQUIRE(t.size() == 5);
    for (std::size_t i = 0; i < t.size(); ++i) {
        using std::tanh;
        using std::abs;
        INFO("t = " << to_decimal(t[i]));
        CHECK(abs(gamma[i] - tanh(t[i])) < mp_digits("1e-55"));
    }
}

TEST_CASE("solve(problem, method, sampling) integrates the problem's own field: the same states as solve(field, ...)") {
    model::Problem<double> problem;
    problem.scheme = model::make_scheme<double>(model::SchemeKind::peri_ln, 1, 1);
    problem.n = 7;
    problem.d = 3;
    problem.seed = 4;
    problem.t_end = 3;
    solve::Method method;
    method.stepper = solve::Stepper::dop853;
    method.error_norm = solve::ErrorNorm::rms;
    solve::Sampling sampling;
    sampling.samples = 4;
    sampling.observables = {"var", "clusters"};
    sampling.states = true;
    const auto trajectory = solve::solve(problem, method, sampling);
    REQUIRE(trajectory.status == solve::SolveStatus::done);
    CHECK(trajectory.columns == std::vector<std::string>{"t", "var", "clusters"});
    REQUIRE(trajectory.rows.size() == 4);
    REQUIRE(trajectory.states.size() == 4);

    auto field = problem.field();
    auto options = solve::solve_options<double>(method);
    options.output_times = solve::sample_times(0.0, 3.0, 4);
    std::vector<std::vector<double>> states;
    const auto x0 = problem.initial_state();
    const auto direct = solve::solve<double>(*field, std::span<const double>(x0), 0.0, 3.0, options,
                                             [&](const double&, std::span<const double> x) { states.emplace_back(x.begin(), x.end()); });
    CHECK(direct.final_state == trajectory.final_state);
    CHECK(direct.stats.rhs_evals == trajectory.stats.rhs_evals);
    REQUIRE(states.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(std::vector<double>(trajectory.states[i].begin(), trajectory.states[i].end()) == states[i]);
    CHECK(trajectory.column("t") == std::vector<double>{0, 1, 2, 3});
}

TEST_CASE("A problem that cannot be set up is refused naming the flag") {
    model::Problem<double> problem;
    problem.init.kind = model::InitKind::orthonormal;
    problem.n = 8;
    problem.d = 4;
    CHECK_THROWS_WITH(problem.validate(), Catch::Contains("--init orthonormal") && Catch::Contains("d >= n"));
    problem.d = 8;
    problem.beta = -1;
    CHECK_THROWS_WITH(problem.validate(), Catch::StartsWith("--beta"));
    problem.beta = 1;
    problem.query = model::RowMatrix<double>::Identity(3, 3);
    CHECK_THROWS_WITH(problem.validate(), Catch::StartsWith("--q"));
    problem.query.reset();
    problem.system = model::SystemKind::equiangular;
    problem.n = 1;
    CHECK_THROWS_WITH(problem.validate(), Catch::Contains("n >= 2"));
    solve::Sampling sampling;
    sampling.observables = {"gamma_mean"};
    problem.n = 4;
    CHECK_THROWS_WITH(solve::solve(problem, solve::Method{}, sampling), Catch::Contains("--observables") && Catch::Contains("gamma_dot"));
    solve::Method method;
    method.stepper = solve::Stepper::dop853;
    method.precision = {"mp50", 0};
    CHECK_THROWS_WITH(method.validate(), Catch::StartsWith("--stepper dop853"));
}
