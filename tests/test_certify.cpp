// Certified enclosures (lib/src/certify/): interval arithmetic through the model's own code and the validated
// Taylor integrator of the equiangular system (spec §4).
#include "normdyn/certify/equiangular_enclosure.hpp"
#include "normdyn/certify/interval.hpp"
#include "normdyn/certify/series.hpp"
#include "normdyn/model/problem.hpp"
#include "normdyn/solve/method.hpp"
#include "normdyn/solve/trajectory.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace normdyn;
using certify::interval;

namespace {

/// γ(T) from the orthonormal start by the high-precision (non-interval) Taylor stepper: 80 digits,
/// tolerances 1e-75, as decimal text with every digit.
std::string reference_gamma(model::SchemeKind scheme, const std::string& t_end, const std::string& alpha = "1") {
    set_runtime_digits(80);
    model::ProblemText text;
    text.system = model::SystemKind::equiangular;
    text.scheme = scheme;
    text.n = 8;
    text.beta = "1";
    text.alpha = alpha;
    text.t_end = t_end;
    solve::Method method = solve::default_method({"mpfr", 80}, solve::Stepper::taylor);
    method.rtol = "1e-75";
    method.atol = "1e-75";
    solve::Sampling sampling;
    sampling.samples = 2;
    const auto trajectory = solve::solve(text.at<mp_digits>(), method, sampling);
    REQUIRE(trajectory.status == solve::SolveStatus::done);
    return to_decimal(mp_digits(1 - trajectory.final_state[0]));
}

/// Of the six schemes (n = 8, β = 1, T = 2, 40-digit intervals), how many enclosures of γ(T) miss the
/// reference; `enclosure_alpha` is nGPT's step in the interval run (the reference keeps α = 1).
int containment_failures(const std::string& enclosure_alpha) {
    int failures = 0;
    for (auto scheme : model::all_schemes) {
        certify::EquiangularCase problem;
        problem.scheme = scheme;
        problem.t_end = "2";
        problem.alpha = enclosure_alpha;
        certify::EnclosureOptions options;
        options.digits = 40;
        const auto enclosure = certify::enclose_equiangular(problem, options);
        REQUIRE(enclosure.certified);
        const interval gamma = enclosure.samples.back().gamma();
        CHECK(certify::width(gamma) < 1e-30);
        if (!certify::contains_text(gamma, reference_gamma(scheme, "2"))) ++failures;
    }
    return failures;
}

}  // namespace

TEST_CASE("interval: MPFI rounds outward, so every exact result lies inside", "[certify]") {
    certify::set_interval_digits(30);
    const interval tenth = certify::interval_from_text("0.1");
    CHECK(certify::contains_text(tenth, "0.1"));  // 1/10 is not a binary number: a proper interval holds it
    CHECK(certify::width(tenth) > 0);
    CHECK(certify::width(tenth) < 1e-29);
    const interval one = (interval(1) / 3) * 3;
    CHECK(certify::contains_text(one, "1"));
    CHECK(certify::contains_text(exp(interval(1)), "2.71828182845904523536028747135266249775724709369995"));
    CHECK_FALSE(certify::contains_text(exp(interval(1)), "2.718281828459045"));  // a double's e is outside
    // Outward decimal ends.
    CHECK(certify::lower_text(tenth, 5) == "9.9999e-2");
    CHECK(certify::upper_text(tenth, 5) == "1.0001e-1");
    CHECK(certify::interval_bits() == 101);
    certify::set_interval_digits(15);
    CHECK(certify::interval_bits() == 51);
}

TEST_CASE("interval series: an order-1 series is the derivative (d/du of the equiangular drift at u = 1)",
          "[certify]") {
    certify::set_interval_digits(40);
    // F(u) = 2u(n − (n−1)u) w / (1 + (n−1)w), w = e^{−βu}: at n = 2, β = 0, F = u(2 − u), F'(1) = 0.
    const auto field = model::equiangular_field(certify::Series::variable(interval(1), 1), 2, certify::Series(0));
    CHECK(certify::contains_zero(field.drift[1]));
    CHECK(certify::width(field.drift[1]) < 1e-35);
    CHECK(certify::contains_text(field.drift[0], "1"));
}

TEST_CASE("certified equiangular enclosures contain the high-precision Taylor solution, every scheme",
          "[certify]") {
    // The claim: γ(2) lies in the enclosure for each of the six schemes. Sabotage: nGPT's speed factor
    // |A|/α perturbed by a relative 1e-30 (α = 1 + 1e-30 in the interval run only) must move its enclosure
    // off the reference, or the containment test could not fail.
    CHECK(containment_failures("1") == 0);
    const int sabotaged = containment_failures("1.000000000000000000000000000001");
    INFO("sabotaged field: " << sabotaged << " containment failure(s) of 6");
    CHECK(sabotaged == 1);
}

TEST_CASE("a speed factor whose enclosure contains 0 stops the run as partial, never a wrong enclosure",
          "[certify]") {
    certify::EquiangularCase problem;
    problem.scheme = model::SchemeKind::pre_ln;  // s = r
    problem.r0 = "[-0.5,1.5]";
    const auto enclosure = certify::enclose_equiangular(problem, {});
    CHECK_FALSE(enclosure.certified);
    CHECK(enclosure.reason.find("speed factor") != std::string::npos);
    CHECK(enclosure.reason.find("contains 0") != std::string::npos);
    CHECK(certify::contains_text(enclosure.t_reached, "0"));
    CHECK(enclosure.samples.empty());
    // Peri-LN's s = r |A| likewise, from a start radius [0, 1].
    problem.scheme = model::SchemeKind::peri_ln;
    problem.r0 = "[0,1]";
    CHECK_FALSE(certify::enclose_equiangular(problem, {}).certified);
}

TEST_CASE("a 51-bit enclosure of the equiangular system to T = 10 stays narrow", "[certify]") {
    certify::EquiangularCase problem;
    problem.scheme = model::SchemeKind::pre_ln;
    problem.t_end = "10";
    certify::EnclosureOptions options;
    options.digits = 15;
    const auto enclosure = certify::enclose_equiangular(problem, options);
    REQUIRE(enclosure.certified);
    CHECK(enclosure.bits == 51);
    CHECK(certify::width(enclosure.samples.back().gamma()) < 1e-10);
    CHECK(certify::width(enclosure.samples.back().r) < 1e-10);
}
