// A caller's cancellation (solve::Method::interrupted → SolveOptions::interrupted, polled before every step):
// the run stops as partial with the reason "interrupted", keeping what it computed, in every stepper family
// (the step loop of the Runge–Kutta and Bulirsch–Stoer drivers and the Taylor method's own loop).
#include <catch2/catch.hpp>

#include "normdyn/model/problem.hpp"
#include "normdyn/scalar.hpp"
#include "normdyn/solve/method.hpp"
#include "normdyn/solve/trajectory.hpp"

#include <string>

using namespace normdyn;

namespace {

template <class T> solve::Trajectory<T> run_interrupted_after(std::size_t polls, solve::Method method) {
    model::Problem<T> problem;
    problem.n = 5;
    problem.d = 3;
    problem.t_end = 1e6;  // far beyond what 8 steps reach
    std::size_t calls = 0;
    method.interrupted = [&calls, polls] { return ++calls > polls; };
    solve::Sampling sampling;
    sampling.samples = 11;
    auto trajectory = solve::solve(problem, method, sampling);
    CHECK(calls == polls + 1);
    return trajectory;
}

}  // namespace

TEST_CASE("An interrupted solve stops partial before its next step, with what it computed") {
    for (const auto stepper : {solve::Stepper::dopri5, solve::Stepper::rk4, solve::Stepper::bulirsch_stoer}) {
        INFO(solve::to_string(stepper));
        auto method = solve::default_method({"double", 0}, stepper);
        if (stepper == solve::Stepper::rk4) method.dt = "0.01";
        const auto trajectory = run_interrupted_after<double>(7, method);
        CHECK(trajectory.status == solve::SolveStatus::partial);
        CHECK(trajectory.reason == "interrupted");
        CHECK(trajectory.stats.steps == 7);
        CHECK(trajectory.t_reached > 0);
        CHECK(trajectory.t_reached < 1e6);
        CHECK_FALSE(trajectory.rows.empty());
        CHECK(trajectory.final_state.size() == 15);
    }
    const auto taylor = run_interrupted_after<long double>(3, solve::default_method({"long-double", 0}));
    CHECK(taylor.status == solve::SolveStatus::partial);
    CHECK(taylor.reason == "interrupted");
    CHECK(taylor.stats.steps == 3);
}

TEST_CASE("A poll that never fires changes nothing: the same steps and final state as no poll") {
    model::Problem<double> problem;
    problem.n = 6;
    problem.d = 4;
    problem.t_end = 5;
    solve::Sampling sampling;
    const auto method = solve::default_method({"double", 0});
    auto polled = method;
    polled.interrupted = [] { return false; };
    const auto plain = solve::solve(problem, method, sampling);
    const auto with_poll = solve::solve(problem, polled, sampling);
    CHECK(with_poll.status == solve::SolveStatus::done);
    CHECK(with_poll.stats.steps == plain.stats.steps);
    CHECK(with_poll.final_state == plain.final_state);
}
