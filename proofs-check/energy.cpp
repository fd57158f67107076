// Spec §3: with Q = K = V = I, E(Θ) = −Σ_{j,k} exp(β <θ_j, θ_k>) is non-increasing along every scheme, and
// dE/dt = −2β Σ_j (Z_j / s_j) |P_{θ_j} A_j|².
#include "common.hpp"
#include "families.hpp"

#include "normdyn/measure/observables.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"

#include <cmath>

namespace normdyn::checks {

namespace {

using report::Claim;
using report::Verdict;
using detail::format;
using model::SchemeKind;

constexpr double beta = 1;
constexpr std::size_t n = 8, d = 4;

struct EnergyRun {
    double max_increase = -std::numeric_limits<double>::infinity();  ///< max_i (E_{i+1} − E_i)/|E_i|
    double max_mismatch = 0;   ///< max_i |chain rule − identity|
    double max_rate = 0;       ///< max_i |identity|
    double first = 0, last = 0;
    std::size_t states = 0;
};

// The chain rule along the trajectory: dE/dt = −2β Σ_{j,k} e^{β<θ_j,θ_k>} <dθ_j/dt, θ_k>, with dθ_j/dt
// from the vector field, beside the identity of spec §3 as measure::observe computes it.
EnergyRun run(const Context& ctx, SchemeKind kind) {
    model::ParticleSystem<double> system(n, d, ctx.scheme(kind), model::Attention<double>(beta));
    const auto x0 = model::initial_positions<double>(model::InitSpec{}, kind, n, d, 1.0, 5);
    const auto sampled = detail::integrate(detail::particles(system.scheme(), beta, x0), detail::law_neutral_times(20, 60), 1e-12, 1e-14);
    EnergyRun out;
    double previous = 0;
    std::vector<double> dxdt(sampled.x.front().size());
    for (std::size_t i = 0; i < sampled.t.size(); ++i) {
        const auto& x = sampled.x[i];
        const double t = sampled.t[i];
        const auto o = measure::observe(system, x, t, {});
        if (i > 0) out.max_increase = std::max(out.max_increase, (o.energy - previous) / std::abs(previous));
        else out.first = o.energy;
        previous = out.last = o.energy;
        system(x, dxdt, t);
        const auto positions = detail::positions(x, n, d);
        const detail::Matrix theta = detail::directions(positions);
        const detail::Matrix theta_dot = detail::direction_velocities(positions, detail::positions(dxdt, n, d));
        const detail::Matrix weights = (beta * theta * theta.transpose()).array().exp().matrix();
        const double chain = -2 * beta * (weights.array() * (theta_dot * theta.transpose()).array()).sum();
        out.max_mismatch = std::max(out.max_mismatch, std::abs(chain - o.energy_rate));
        out.max_rate = std::max(out.max_rate, std::abs(o.energy_rate));
        ++out.states;
    }
    return out;
}

std::string regime(SchemeKind) {
    return "beta = 1, n = 8, d = 4, the scheme's random start (seed 5), tau = 1, alpha = 0.5, t in [0, 20]";
}

Claim non_increasing(const Context& ctx, SchemeKind kind) {
    const auto out = run(ctx, kind);
    Claim r;
    r.statement = model::to_string(kind) + ": the energy E = -sum exp(beta <theta_j, theta_k>) never increases (spec §3)";
    r.regime = regime(kind);
    r.method = "full particle system, dopri5 rtol 1e-12; E at " + std::to_string(out.states) +
               " output times; measured = the largest relative increase between consecutive times";
    r.measured = out.max_increase;
    r.predicted = 0;
    r.tolerance = 1e-10;
    r.criterion = "measured <= 1e-10 (integration error)";
    r.verdict = at_most(out.max_increase, r.tolerance);
    r.details.push_back("E from " + format(out.first, 8) + " to " + format(out.last, 8));
    return r;
}

Claim identity(const Context& ctx, SchemeKind kind) {
    const auto out = run(ctx, kind);
    Claim r;
    r.statement = model::to_string(kind) + ": dE/dt = -2 beta sum_j (Z_j/s_j) |P A_j|^2 along the trajectory (spec §3)";
    r.regime = regime(kind);
    r.method = "at every output state: the chain rule through the vector field's dtheta_j/dt against the identity; "
               "measured = max |difference| / max |dE/dt|";
    r.measured = out.max_rate > 0 ? out.max_mismatch / out.max_rate : out.max_mismatch;
    r.predicted = 0;
    r.tolerance = 1e-10;
    r.criterion = "measured <= 1e-10";
    r.verdict = combine({at_most(r.measured, r.tolerance), out.max_rate > 0 ? Verdict::pass : Verdict::fail});
    r.details.push_back("max |dE/dt| = " + format(out.max_rate) + " over " + std::to_string(out.states) + " states");
    return r;
}

}  // namespace

void add_energy_checks(std::vector<CheckDefinition>& checks) {
    for (SchemeKind kind : model::all_schemes) {
        const std::string name = model::to_string(kind);
        checks.push_back({"energy/non-increasing/" + name, true, [=](const Context& ctx) { return non_increasing(ctx, kind); }});
        checks.push_back({"energy/identity/" + name, true, [=](const Context& ctx) { return identity(ctx, kind); }});
    }
}

}  // namespace normdyn::checks
