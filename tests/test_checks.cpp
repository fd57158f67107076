// Tests of the claim registry (proofs-check/): its verdict rules, runner and study cache, a few quick claims
// run in-process, and the sabotage tests: a model broken on purpose makes the claims about it fail.
#include <catch2/catch.hpp>

#include "proofs-check/check.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

using namespace normdyn;
using checks::Context;
using checks::Tier;
using report::Claim;
using report::Verdict;

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

std::vector<Claim> run(const std::string& pattern, const Context& context = {}) {
    return checks::run_all(Tier::quick, pattern, {}, context);
}

// A context whose Pre-LN speed factor is 1 (instead of r_j): Pre-LN's angles then move like Post-LN's.
Context pre_ln_speed_factor_one() {
    Context context;
    context.modify_scheme = [](model::Scheme<double>& scheme) {
        if (scheme.kind == model::SchemeKind::pre_ln)
            scheme.speed_factor_override = [](const double&, bool, const double&, const double&) { return 1.0; };
    };
    return context;
}

}  // namespace

TEST_CASE("A verdict passes only when a finite measured value meets its rule", "[checks]") {
    CHECK(checks::within(1.005, 1, 0.01) == Verdict::pass);
    CHECK(checks::within(1.02, 1, 0.01) == Verdict::fail);
    CHECK(checks::within(nan_value, 1, 1e300) == Verdict::fail);
    CHECK(checks::at_least(0.5, 0.4) == Verdict::pass);
    CHECK(checks::at_least(0.3, 0.4) == Verdict::fail);
    CHECK(checks::at_most(nan_value, 1) == Verdict::fail);
    CHECK(checks::at_most(std::numeric_limits<double>::infinity(), 1) == Verdict::fail);
    CHECK(checks::exhibited(true) == Verdict::counterexample);
    CHECK(checks::exhibited(false) == Verdict::fail);
    CHECK(checks::combine({Verdict::pass, Verdict::counterexample}) == Verdict::counterexample);
    CHECK(checks::combine({Verdict::counterexample, Verdict::fail, Verdict::pass}) == Verdict::fail);
    CHECK(report::succeeded(Verdict::counterexample));
    CHECK(report::succeeded(Verdict::certified));
    CHECK_FALSE(report::succeeded(Verdict::fail));
}

TEST_CASE("Flag --only patterns match ids as substrings, or as globs when they contain *", "[checks]") {
    CHECK(checks::matches("thm4.1/terminal-law/pre-ln/beta1-n8", "pre-ln"));
    CHECK(checks::matches("thm4.1/terminal-law/pre-ln/beta1-n8", ""));
    CHECK(checks::matches("thm4.1/terminal-law/pre-ln/beta1-n8", "thm4.1/*/beta1-n8"));
    CHECK(checks::matches("thm4.1/terminal-law/pre-ln/beta1-n8", "*"));
    CHECK_FALSE(checks::matches("thm4.1/terminal-law/pre-ln/beta1-n8", "thm4.1/*/beta5-n256"));
    CHECK_FALSE(checks::matches("thm4.1/terminal-law/pre-ln/beta1-n8", "thm4.3"));
    CHECK_FALSE(checks::matches("energy/identity/post-ln", "energy/*/pre-ln"));
}

TEST_CASE("The runner turns a throwing check or a non-finite measurement into a fail, never a silent pass", "[checks]") {
    std::vector<checks::CheckDefinition> definitions = {
        {"fake/throws", true, [](const Context&) -> Claim { throw std::runtime_error("broken"); }},
        {"fake/nan", true, [](const Context&) { Claim r; r.verdict = Verdict::pass; return r; }},
        {"fake/fine", true, [](const Context&) { Claim r; r.measured = 1; r.verdict = Verdict::pass; return r; }},
        {"fake/full-only", false, [](const Context&) { Claim r; r.measured = 1; r.verdict = Verdict::pass; return r; }},
    };
    std::vector<std::string> progress;
    const auto results = checks::run_checks(definitions, Tier::quick, "fake", [&](std::size_t, std::size_t total,
                                            const std::string& id, const Claim* r) {
        CHECK(total == 3);
        progress.push_back(id + (r ? " done" : " start"));
    }, {});
    REQUIRE(results.size() == 3);
    CHECK(results[0].verdict == Verdict::fail);
    CHECK(results[0].details.back().find("broken") != std::string::npos);
    CHECK(results[1].verdict == Verdict::fail);
    CHECK(results[2].verdict == Verdict::pass);
    CHECK(progress.size() == 6);
    CHECK_FALSE(checks::all_succeeded(results));
    CHECK(checks::run_checks(definitions, Tier::full, "fake", {}, {}).size() == 4);
    const auto json = checks::to_json(results, Tier::quick, "fake");
    CHECK_FALSE(report::contains_null(json));
    CHECK(json.at("checks")[1].at("measured") == "NaN");
    CHECK(json.at("status") == "fail");
    CHECK(checks::to_markdown(results, Tier::quick, "fake").find("`fake/throws`") != std::string::npos);
}

TEST_CASE("The registry holds every claim family, with unique ids", "[checks]") {
    const auto all = checks::registry();
    std::set<std::string> ids;
    for (const auto& c : all) ids.insert(c.id);
    CHECK(ids.size() == all.size());
    for (const char* id : {"thm4.1/initial-velocity/peri-ln/beta5-n256", "thm4.1/terminal-law/ln-scaling/beta1-n8",
                           "thm4.1/radius-over-t/mix-ln/beta5-n256", "thm3.1/one-cluster/pre-ln/seed1",
                           "thm3.1/radial-lower-bound/peri-ln/seed2", "thm4.2/attention-bound/random-qkv",
                           "thm4.2/initial-speed-order", "thm4.3/variance-law/ngpt", "thm4.3/radius-lower-bound/pre-ln",
                           "energy/identity/mix-ln", "section6/d1-antipodal-stationary",
                           "section6/thm4.3-hypothesis-vacuous", "section6/ngpt-rate-alpha-times-var",
                           "section6/simplex-stationary", "section6/beta0-singular-speed/peri-ln",
                           "peers/euler-dt0.1-rate-bias/post-ln", "peers/projected-euler-order/post-ln",
                           "thm4.1/initial-velocity/against-beta-and-n", "thm3.1/astronomical-layers/mix-ln",
                           "thm3.1/every-seed-one-cluster/ngpt", "layers/pre-ln-growth/kaiming", "order/rk4"})
        CHECK(ids.count(id) == 1);
}

TEST_CASE("Quick checks run in-process: Theorem 4.1 at beta = 1, n = 8 and a section 6 counterexample", "[checks]") {
    const auto results = run("thm4.1/*/beta1-n8");
    CHECK(results.size() == 15);
    for (const auto& r : results) {
        CAPTURE(r.id, r.measured, r.predicted, r.details);
        CHECK(r.verdict == Verdict::pass);
    }
    const auto antipodal = run("section6/antipodal-stationary/peri-ln");
    REQUIRE(antipodal.size() == 1);
    CHECK(antipodal[0].verdict == Verdict::counterexample);
}

TEST_CASE("Sabotage: Pre-LN's speed factor set to 1 makes the Pre-LN checks fail", "[checks][sabotage]") {
    const std::vector<std::string> relevant = {"thm4.1/initial-velocity/pre-ln/beta1-n8",
                                               "thm4.1/terminal-law/pre-ln/beta1-n8",
                                               "thm3.1/astronomical-layers/pre-ln",
                                               "thm4.2/initial-speed-order", "thm4.3/variance-law/pre-ln"};
    for (const auto& id : relevant) {
        const auto honest = run(id);
        const auto broken = run(id, pre_ln_speed_factor_one());
        REQUIRE(honest.size() == 1);
        REQUIRE(broken.size() == 1);
        CAPTURE(id, honest[0].measured, broken[0].measured, broken[0].details);
        CHECK(honest[0].verdict == Verdict::pass);
        CHECK(broken[0].verdict == Verdict::fail);
    }
    // Checks of the other schemes do not see the sabotage.
    CHECK(run("thm4.1/terminal-law/post-ln/beta1-n8", pre_ln_speed_factor_one())[0].verdict == Verdict::pass);
}

TEST_CASE("Sabotage: Post-LN's speed factor set to 2 halves its rate and fails Theorem 4.1 and the peers' check",
          "[checks][sabotage]") {
    Context context;
    context.modify_scheme = [](model::Scheme<double>& scheme) {
        if (scheme.kind == model::SchemeKind::post_ln)
            scheme.speed_factor_override = [](const double&, bool, const double&, const double&) { return 2.0; };
    };
    for (const char* id : {"thm4.1/terminal-law/post-ln/beta1-n8", "thm4.1/initial-velocity/post-ln/beta1-n8",
                           "peers/toolkit-rate/post-ln", "thm4.3/variance-law/post-ln"}) {
        const auto broken = run(id, context);
        REQUIRE(broken.size() == 1);
        CAPTURE(id, broken[0].measured);
        CHECK(broken[0].verdict == Verdict::fail);
    }
}

TEST_CASE("A study is computed once per run and shared by the claims and copies of the context", "[checks]") {
    Context context;
    int computed = 0;
    const auto compute = [&] { return ++computed; };
    const int& first = context.study<int>("count", compute);
    const Context copy = context;
    CHECK(copy.study<int>("count", compute) == first);
    CHECK(computed == 1);
    Context full = context;
    full.tier = Tier::full;  // another tier is another study
    CHECK(full.study<int>("count", compute) == 2);
    CHECK_THROWS_AS(context.study<double>("count", [] { return 1.0; }), std::bad_any_cast);
    Context other;  // a fresh context (e.g. a sabotaged model) shares nothing
    CHECK(other.study<int>("count", compute) == 3);
}

TEST_CASE("Theorems 4.1 and 3.1 register one claim per regime, scheme and seed, and one per scheme over the seeds",
          "[checks]") {
    std::size_t theorem41 = 0, theorem31 = 0;
    for (const auto& check : checks::registry()) {
        theorem41 += checks::matches(check.id, "thm4.1/*");
        theorem31 += checks::matches(check.id, "thm3.1/*");
    }
    CHECK(theorem41 == 31);  // 2 regimes x (6 initial velocities + 6 terminal laws + 3 radii) + the sweep
    CHECK(theorem31 == 30);  // 3 seeds x (6 one-cluster + 2 radial bounds) + 6 over all seeds
}
