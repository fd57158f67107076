// The discrete layers (normdyn/layers/, spec §2's layer column and §7): the stack of step h converges to the
// spec's ODE with order 1 for every scheme, and Pre-LN's mean token norm grows like depth^(1/2) under
// independent Kaiming weights and like depth under tied identity weights.
#include "layers.hpp"

#include "common.hpp"
#include "families.hpp"

#include "normdyn/model/init.hpp"

#include <cmath>

namespace normdyn::checks::discrete_layers {

using detail::format;
using model::SchemeKind;
using report::Claim;

const layers::ContinuumLimit& continuum_study(const Context& ctx, SchemeKind kind) {
    return ctx.study<layers::ContinuumLimit>("layers/continuum/" + model::to_string(kind), [&] {
        layers::ContinuumLimitOptions options;
        options.scheme = ctx.scheme(kind, 0.5, 0.7);
        options.beta = 2;
        options.t_end = 2;
        options.steps = {1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128, 1.0 / 256, 1.0 / 512};
        const auto x0 = model::initial_positions<double>(detail::init_spec(model::InitKind::uniform), kind, 6, 4, 1.0, ctx.seed);
        return layers::continuum_limit(x0, options);
    });
}

const GrowthStudy& growth_study(const Context& ctx, layers::WeightKind weights) {
    return ctx.study<GrowthStudy>("layers/pre-ln-growth/" + layers::to_string(weights), [&] {
        const bool quick = ctx.tier == Tier::quick;
        GrowthStudy study;
        auto& options = study.options;
        options.schemes = {SchemeKind::pre_ln};
        options.d = quick ? 64 : 512;  // spec §7: d = 512
        options.n = quick ? 16 : 32;
        options.layers = quick ? 128 : 256;
        options.seeds = quick ? 2 : 4;
        options.beta = std::sqrt(double(options.d));
        options.init.kind = model::InitKind::uniform;
        options.weights = weights;
        options.first_seed = ctx.seed;
        study.curve = layers::run_depth_study(options).front();
        const double t_end = double(options.layers);  // h = 1
        study.growth = layers::fit_growth_exponent(study.curve, 1.0, t_end / 4, t_end);
        return study;
    });
}

namespace {

Claim continuum_order(const Context& ctx, SchemeKind kind) {
    const auto& study = continuum_study(ctx, kind);
    Claim r;
    r.statement = model::to_string(kind) + ": the stack of layers of step h (identity weights, plain x/|x|) converges "
                  "to the ODE solution at the same time T with order 1";
    r.regime = "n = 6 unit tokens (seed " + std::to_string(ctx.seed) + ") in d = 4, beta = 2, T = 2, tau = 0.5, "
               "alpha = 0.7, h = 1/16 ... 1/512";
    r.method = "layers::continuum_limit: max_j |x_j(T/h layers) - x_j(T)| against an rkf78 reference (rtol 1e-13); "
               "measured = the slope of log error against log h (measure::fit_order), uncertainty its 95% half-width";
    r.measured = study.order.observed;
    r.uncertainty = (study.order.ci95[1] - study.order.ci95[0]) / 2;
    r.predicted = 1;
    r.tolerance = 0.15;
    r.criterion = "|measured - 1| <= 0.15";
    r.verdict = within(r.measured, r.predicted, r.tolerance);
    r.details.push_back("points used " + std::to_string(study.order.points_used) + ", reference error <= " +
                        format(study.reference_error));
    for (const auto& point : study.points)
        r.details.push_back("h = " + format(point.step) + ": error " + format(point.error, 6));
    for (const auto& flag : study.order.flags) r.details.push_back("fit flag: " + flag);
    for (const auto& note : study.notes) r.details.push_back(note);
    r.figure = continuum_figure;
    return r;
}

Claim pre_ln_growth(const Context& ctx, layers::WeightKind weights) {
    const auto& study = growth_study(ctx, weights);
    const auto& options = study.options;
    const auto& g = study.growth;
    const bool kaiming = weights == layers::WeightKind::kaiming;
    Claim r;
    r.statement = std::string("pre-ln: the mean token norm grows like depth^p with p ") +
                  (kaiming ? "about 1/2 under independent Kaiming weights per layer" : "about 1 under tied identity weights") +
                  " (spec §7)";
    r.regime = "Pre-LN stack, h = 1, " + std::to_string(options.layers) + " layers, d = " + std::to_string(options.d) +
               ", n = " + std::to_string(options.n) + " unit tokens, one head, beta = sqrt d, seeds " +
               std::to_string(options.first_seed) + ".." + std::to_string(options.first_seed + options.seeds - 1);
    r.method = "layers::run_depth_study, then layers::fit_growth_exponent: slope of log(mean norm) against log t on "
               "t in [L/4, L]; uncertainty = half-width of the regression interval";
    r.measured = g.exponent;
    r.uncertainty = (g.ci95[1] - g.ci95[0]) / 2;
    r.predicted = kaiming ? 0.5 : 1.0;
    r.tolerance = 0.15;
    r.criterion = "|measured - predicted| <= 0.15";
    r.verdict = within(r.measured, r.predicted, r.tolerance);
    r.details.push_back("r2 = " + format(g.r2) + ", " + std::to_string(g.points) + " points on t in [" + format(g.t_lo) +
                        ", " + format(g.t_hi) + "]");
    std::string seeds;
    for (double p : g.seed_exponents) seeds += (seeds.empty() ? "" : ", ") + format(p);
    r.details.push_back("per seed: " + seeds);
    r.figure = growth_figure;
    return r;
}

}  // namespace

}  // namespace normdyn::checks::discrete_layers

namespace normdyn::checks {

void add_layers_checks(std::vector<CheckDefinition>& checks) {
    using namespace discrete_layers;
    for (model::SchemeKind kind : model::all_schemes)
        checks.push_back({"layers/continuum-order/" + model::to_string(kind), true,
                          [=](const Context& ctx) { return continuum_order(ctx, kind); }});
    checks.push_back({"layers/pre-ln-growth/kaiming", true,
                      [](const Context& ctx) { return pre_ln_growth(ctx, layers::WeightKind::kaiming); }});
    checks.push_back({"layers/pre-ln-growth/identity", true,
                      [](const Context& ctx) { return pre_ln_growth(ctx, layers::WeightKind::identity); }});
}

}  // namespace normdyn::checks
