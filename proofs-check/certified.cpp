// Certified claims: statements proved by an interval computation (MPFI, outward rounding; lib/src/certify/),
// verdict `certified` when the enclosure proves them and `fail` otherwise. Three kinds:
//   - Theorem 4.1's initial velocities (spec §5) for every β of [0.1, 10], not a grid: on each box of β the
//     difference between the field's dγ/dt at the orthonormal start (model::equiangular_field and the scheme
//     laws, unchanged, on interval Taylor series in β) and the closed form is bounded by a Taylor model,
//     Σ_{k<q} |d_k(m)| ρ^k + |d_q(B)| ρ^q (m the box's centre, ρ its radius, d_q(B) the q-th coefficient over the
//     whole box: the Lagrange remainder); boxes are bisected until the bound is within the tolerance;
//   - enclosures of γ(T) and r(T) of the equiangular system (spec §4) at the report's symmetric cases to T = 10,
//     by the validated Taylor integrator;
//   - spec §6's regular simplex: F(−1/(n−1)) encloses 0, and the enclosure of the flow from the simplex stays
//     at γ = −1/(n−1).
#include "check.hpp"
#include "common.hpp"
#include "families.hpp"
#include "predictions.hpp"
#include "thm41_symmetric.hpp"

#include "normdyn/certify/equiangular_enclosure.hpp"
#include "normdyn/certify/series.hpp"
#include "normdyn/model/equiangular.hpp"

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

namespace normdyn::checks {

namespace {

using certify::interval;
using certify::Series;
using model::SchemeKind;
using report::Claim;
using report::Verdict;

constexpr unsigned velocity_digits = 40;  // interval precision of the initial-velocity claims
constexpr std::size_t taylor_model_order = 12;
constexpr double velocity_tolerance = 1e-8;  // relative bound on field − closed form over every box
const std::vector<std::size_t> velocity_tokens = {2, 8, 64, 256, 1024};

/// Field minus closed form as a series in β about beta0 (a point or a box), r0 = 1, τ = 1, α = 0.5.
Series velocity_difference(SchemeKind kind, std::size_t n, const interval& beta0) {
    const Series beta = Series::variable(beta0, taylor_model_order);
    const Series tau(interval(theorem41::tau)), alpha(interval(theorem41::alpha)), one(1);
    // Mix-LN is Post-LN at t = 0 < τ.
    const auto rates = certify::equiangular_rates<Series>(kind, false, n, beta, alpha, Series(1), one, Series(0));
    const Series closed = theorem41_initial_velocity<Series>(model::make_scheme<Series>(kind, tau, alpha), n, beta, one);
    return -rates.du - closed;
}

struct BoxBound {
    double relative = 0;  // bound on |field − closed| / |closed| over the box
};

BoxBound bound_on_box(SchemeKind kind, std::size_t n, const interval& box) {
    const interval centre = certify::midpoint(box);
    const interval radius = certify::symmetric(box - centre);
    const Series at_centre = velocity_difference(kind, n, centre);
    const Series over_box = velocity_difference(kind, n, box);
    interval bound = 0, power = 1;
    for (std::size_t k = 0; k < taylor_model_order; ++k) {
        bound += abs(at_centre[k]) * abs(power);
        power *= radius;
    }
    bound += abs(over_box[taylor_model_order]) * abs(power);
    // |closed form| from below over the box.
    const Series one(1), tau(interval(theorem41::tau)), alpha(interval(theorem41::alpha));
    const interval closed = theorem41_initial_velocity<Series>(model::make_scheme<Series>(kind, tau, alpha), n,
                                                               Series(box), one)[0];
    const double floor = certify::lower_double(abs(closed));
    return {floor > 0 ? certify::upper_double(bound) / floor * (1 + 1e-15) : HUGE_VAL};
}

Claim initial_velocity_claim(SchemeKind kind) {
    const auto started = std::chrono::steady_clock::now();
    const unsigned saved = certify::interval_digits();
    certify::set_interval_digits(velocity_digits);
    double worst = 0;
    std::size_t boxes = 0;
    for (std::size_t n : velocity_tokens) {
        // [0.1, 10] in 64 boxes, each bisected while its bound misses the tolerance (depth ≤ 8).
        std::vector<std::pair<interval, int>> pending;
        for (int i = 0; i < 64; ++i) {
            const interval lo = certify::interval_from_text("0.1") + (certify::interval_from_text("9.9") * i) / 64;
            const interval hi = certify::interval_from_text("0.1") + (certify::interval_from_text("9.9") * (i + 1)) / 64;
            pending.push_back({certify::hull(lo, hi), 0});
        }
        while (!pending.empty()) {
            const auto [box, depth] = pending.back();
            pending.pop_back();
            const double bound = bound_on_box(kind, n, box).relative;
            if (bound > velocity_tolerance && depth < 8) {
                const interval centre = certify::midpoint(box);
                pending.push_back({certify::hull(interval(certify::lower_double(box)) , centre), depth + 1});
                pending.push_back({certify::hull(centre, box), depth + 1});
                continue;
            }
            ++boxes;
            worst = std::max(worst, bound);
        }
    }
    certify::set_interval_digits(saved);
    Claim r;
    r.statement = model::to_string(kind) + ": dgamma/dt at t = 0 equals Theorem 4.1's closed form " +
                  prediction(kind, theorem41::alpha).initial_velocity_form + " for every beta in [0.1, 10]";
    r.regime = "orthonormal start, r0 = 1, tau = 1, alpha = 0.5; n = 2, 8, 64, 256, 1024; every beta of [0.1, 10]";
    r.method = "interval Taylor models in beta (order " + std::to_string(taylor_model_order) + ", MPFI at " +
               std::to_string(velocity_digits) + " digits) of the equiangular field's F/s at u = 1 minus the closed "
               "form, on " + std::to_string(boxes) + " boxes from bisecting [0.1, 10]; measured = the largest "
               "certified bound on |field - closed form| / |closed form|";
    r.measured = worst;
    r.predicted = 0;
    r.tolerance = velocity_tolerance;
    r.criterion = "certified bound <= 1e-8 relative on every box";
    r.verdict = worst <= velocity_tolerance ? Verdict::certified : Verdict::fail;
    r.details.push_back(std::to_string(boxes) + " boxes of beta in total over the five n");
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
}

constexpr unsigned enclosure_digits = 60;
constexpr double enclosure_tolerance = 1e-40;

std::string enclosure_text(const interval& x) {
    return "[" + certify::lower_text(x, 45) + ", " + certify::upper_text(x, 45) + "]";
}

Claim gamma_enclosure_claim(SchemeKind kind, theorem41::Regime regime) {
    certify::EquiangularCase problem;
    problem.scheme = kind;
    problem.n = regime.n;
    problem.beta = detail::format(regime.beta);
    problem.alpha = "0.5";
    problem.tau = "1";
    problem.t_end = "10";
    certify::EnclosureOptions options;
    options.digits = enclosure_digits;
    const auto enclosure = certify::enclose_equiangular(problem, options);
    Claim r;
    r.statement = model::to_string(kind) + ": gamma(10) and r(10) of the symmetric start lie in certified "
                  "enclosures of width <= 1e-40";
    r.regime = regime.text() + ", orthonormal start, r0 = 1, tau = 1, alpha = 0.5, t to 10";
    r.method = "validated interval Taylor integrator (order " + std::to_string(enclosure.order) + ", MPFI " +
               std::to_string(enclosure.bits) + " bits = " + std::to_string(enclosure_digits) +
               " digits; Picard-Lindelof a-priori enclosure, Lagrange remainder, mean-value form); measured = "
               "the larger width of gamma(10) and r(10)";
    r.predicted = 0;
    r.tolerance = enclosure_tolerance;
    r.criterion = "certified to t = 10 and width <= 1e-40";
    r.wall_s = enclosure.seconds;
    if (!enclosure.certified) {
        r.details.push_back("partial: " + enclosure.reason);
        r.verdict = Verdict::fail;
        return r;
    }
    const auto& last = enclosure.samples.back();
    r.measured = std::max(certify::width(last.gamma()), certify::width(last.r));
    r.verdict = r.measured <= enclosure_tolerance ? Verdict::certified : Verdict::fail;
    r.details.push_back("gamma(10) in " + enclosure_text(last.gamma()));
    r.details.push_back("r(10) in " + enclosure_text(last.r));
    r.details.push_back(std::to_string(enclosure.steps) + " steps, " + std::to_string(enclosure.rejected) +
                        " rejected");
    return r;
}

// Spec §6: from the regular simplex (all cosines −1/(n−1)) the equiangular flow does not move: F vanishes there.
Claim simplex_claim() {
    const auto started = std::chrono::steady_clock::now();
    constexpr std::size_t n = 8;
    const unsigned saved = certify::interval_digits();
    certify::set_interval_digits(enclosure_digits);
    const interval u_simplex = interval(n) / (n - 1);  // u = 1 − γ at γ = −1/(n−1)
    const auto field = model::equiangular_field(u_simplex, n, interval(1));
    const double drift_bound = certify::magnitude(field.drift);
    const bool drift_holds_zero = certify::contains_zero(field.drift);
    certify::EquiangularCase problem;
    problem.n = n;
    problem.u0 = "[" + certify::lower_text(u_simplex, 70) + "," + certify::upper_text(u_simplex, 70) + "]";
    problem.t_end = "10";
    certify::EnclosureOptions options;
    options.digits = enclosure_digits;
    const auto enclosure = certify::enclose_equiangular(problem, options);
    const interval gamma_simplex = interval(-1) / (n - 1);
    certify::set_interval_digits(saved);
    Claim r;
    r.statement = "the regular simplex is stationary (spec 6): F(-1/(n-1)) = 0 and the flow from it stays there";
    r.regime = "post-ln, n = 8, beta = 1, gamma(0) = -1/7, t to 10";
    r.method = "MPFI at 60 digits: the equiangular field's F at u = n/(n-1), and the validated integrator's "
               "enclosure of gamma(10); measured = the larger of |F| and the distance of gamma(10)'s enclosure "
               "from -1/7";
    r.predicted = 0;
    r.tolerance = enclosure_tolerance;
    r.criterion = "F's enclosure holds 0, gamma(10)'s enclosure holds -1/7, both within 1e-40";
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!enclosure.certified) {
        r.details.push_back("partial: " + enclosure.reason);
        r.verdict = Verdict::fail;
        return r;
    }
    const interval gamma = enclosure.samples.back().gamma();
    const double distance = certify::magnitude(gamma - gamma_simplex);
    r.measured = std::max(drift_bound, distance);
    const bool holds = drift_holds_zero && certify::contains_zero(gamma - gamma_simplex);
    r.verdict = holds && r.measured <= enclosure_tolerance ? Verdict::certified : Verdict::fail;
    r.details.push_back("F(-1/7) in " + enclosure_text(field.drift));
    r.details.push_back("gamma(10) in " + enclosure_text(gamma));
    return r;
}

}  // namespace

void add_certified_checks(std::vector<CheckDefinition>& checks) {
    // Peri-LN and nGPT (s ∝ |A|): their Taylor-model bound stalls near 1e-5 relative however fine the boxes,
    // so they are not claimed here.
    for (SchemeKind kind : model::all_schemes)
        if (!model::scheme_row(kind).divides_by_attention)
            checks.push_back({"certified/thm4.1/initial-velocity/" + model::to_string(kind) + "/beta0.1-10", true,
                              [=](const Context&) { return initial_velocity_claim(kind); }});
    for (theorem41::Regime regime : {theorem41::Regime{1, 8}, theorem41::paper_regime})
        for (SchemeKind kind : model::all_schemes)
            checks.push_back({"certified/thm4.1/gamma-enclosure/" + model::to_string(kind) + "/" + regime.tag(),
                              regime.n == 8, [=](const Context&) { return gamma_enclosure_claim(kind, regime); }});
    checks.push_back({"certified/sec6/simplex-stationary", true, [](const Context&) { return simplex_claim(); }});
}

}  // namespace normdyn::checks
