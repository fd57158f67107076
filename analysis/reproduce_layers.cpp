// Section "layers" (issue 7): the discrete transformer layers of normdyn/layers/. Figure A: the stack of
// step h against the spec's ODE at the same time T, for the six schemes (observed order 1). Figure B: the
// mean token norm of Pre-LN against depth under independent Kaiming weights and tied identity weights, with
// the fitted growth exponents (about 1/2 and 1).
#include "reproduce.hpp"

#include "normdyn/layers/continuum_limit.hpp"
#include "normdyn/layers/depth_study.hpp"
#include "normdyn/model/init.hpp"

#include <cmath>

namespace normdyn::cli::reproduce {

namespace {

using model::SchemeKind;
using report::Series;

void continuum_figure(Context& context) {
    report::Figure figure{"layers_continuum_limit", "Discrete layers against the ODE: error at T = 2 vs step h"};
    report::Panel panel{"", {"h (depth-time per layer)", true}, {"max_j |x_j(T/h layers) - x_j(T)|", true}};
    panel.key = "bottom right";
    report::Json data = report::Json::object();
    model::InitSpec init;
    init.kind = model::InitKind::uniform;
    std::size_t done = 0;
    for (SchemeKind kind : model::all_schemes) {
        layers::ContinuumLimitOptions options;
        options.scheme.kind = kind;
        options.scheme.tau = 0.5;
        options.scheme.alpha = 0.7;
        options.beta = 2;
        options.t_end = 2;
        options.steps = {1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128, 1.0 / 256, 1.0 / 512};
        const auto x0 = model::initial_positions<double>(init, kind, 6, 4, 1.0, context.seed());
        const auto study = layers::continuum_limit(x0, options);
        Series series{scheme_label(kind) + ": order " + format_number(study.order.observed, 3), {}, {}};
        series.style = report::SeriesStyle::lines_points;
        series.color = scheme_color(kind);
        report::Json points = report::Json::array();
        for (const auto& point : study.points) {
            series.x.push_back(point.step);
            series.y.push_back(point.error);
            points.push_back({{"h", point.step}, {"layers", point.layers}, {"error", point.error}});
        }
        panel.series.push_back(series);
        const double order = study.order.observed;
        const bool pass = std::isfinite(order) && std::abs(order - 1) <= 0.15;
        const std::string ci = "[" + format_number(study.order.ci95[0], 4) + ", " + format_number(study.order.ci95[1], 4) + "]";
        context.claim({"Layers: the stack of step h converges to the ODE with order 1, " + scheme_label(kind),
                       pass ? report::Verdict::pass : report::Verdict::fail, "order " + format_number(order, 4) + " " + ci,
                       "1 (within 0.15)", figure.name, "layers/continuum-order/" + model::to_string(kind), ""});
        data[model::to_string(kind)] = {{"points", points}, {"order", order},
                                        {"ci95", {study.order.ci95[0], study.order.ci95[1]}},
                                        {"points_used", study.order.points_used}, {"flags", study.order.flags},
                                        {"reference_error", study.reference_error}, {"notes", study.notes},
                                        {"pass", pass}};
        context.progress(0.3 * double(++done) / model::all_schemes.size(), scheme_label(kind));
    }
    figure.panels = {panel};
    context.figure(figure,
                   "Identity weights, one head, plain normalisation x/|x|: T/h layers of step h against the spec's ODE "
                   "solved at T = 2 (rkf78, rtol 1e-13), n = 6 unit tokens in d = 4, beta = 2, Mix-LN tau = 0.5, nGPT "
                   "alpha = 0.7. Every scheme's error falls like h: the layers are the forward Euler steps of the flow. "
                   "A claim passes when the observed order is within 0.15 of 1.");
    context.data("layers_continuum_limit", data);
}

void growth_figure(Context& context) {
    const bool quick = context.quick();
    layers::DepthStudyOptions options;
    options.schemes = {SchemeKind::pre_ln};
    options.d = quick ? 64 : 512;
    options.n = quick ? 16 : 32;
    options.layers = quick ? 128 : 256;
    options.seeds = quick ? 2 : 4;
    options.beta = std::sqrt(double(options.d));
    options.init.kind = model::InitKind::uniform;
    options.first_seed = context.seed();
    const double t_end = double(options.layers);  // h = 1
    report::Figure figure{"layers_pre_ln_growth", "Pre-LN: mean token norm against depth"};
    report::Panel panel{"", {"layer (t)", true}, {"mean token norm", true}};
    panel.key = "top left";
    report::Json data = report::Json::object();
    struct Arm {
        layers::WeightKind weights;
        double predicted, lo, hi;
        std::string color;
    };
    const Arm arms[] = {{layers::WeightKind::kaiming, 0.5, 0.35, 0.65, "#1f77b4"},
                        {layers::WeightKind::identity, 1.0, 0.85, 1.15, "#d62728"}};
    std::size_t done = 0;
    for (const auto& arm : arms) {
        options.weights = arm.weights;
        const auto curves = layers::run_depth_study(options);
        const auto& curve = curves.front();
        const auto g = layers::fit_growth_exponent(curve, 1.0, t_end / 4, t_end);
        const std::string kind = layers::to_string(arm.weights);
        Series series{kind + ": exponent " + format_number(g.exponent, 3), {}, {}};
        series.color = arm.color;
        for (std::size_t layer = 1; layer < curve.norm_mean.size(); ++layer) {
            series.x.push_back(double(layer));
            series.y.push_back(curve.norm_mean[layer]);
        }
        Series fit{"", {}, {}, {}, {}, report::SeriesStyle::dashed, "#000000", 1};
        // the fitted power law through the window's end point
        const double end_norm = curve.norm_mean.back();
        for (double t : {g.t_lo, g.t_hi}) {
            fit.x.push_back(t);
            fit.y.push_back(end_norm * std::pow(t / t_end, g.exponent));
        }
        panel.series.push_back(series);
        panel.series.push_back(fit);
        const bool pass = std::isfinite(g.exponent) && g.exponent >= arm.lo && g.exponent <= arm.hi;
        const std::string ci = "[" + format_number(g.ci95[0], 4) + ", " + format_number(g.ci95[1], 4) + "]";
        context.claim({"Layers: Pre-LN token norms grow like depth^" + format_number(arm.predicted, 2) + " under " +
                           kind + " weights",
                       pass ? report::Verdict::pass : report::Verdict::fail,
                       "exponent " + format_number(g.exponent, 4) + " " + ci + " on t in [" + format_number(g.t_lo, 3) +
                           ", " + format_number(g.t_hi, 3) + "]",
                       "in [" + format_number(arm.lo, 3) + ", " + format_number(arm.hi, 3) + "]", figure.name,
                       "layers/pre-ln-growth/" + kind, ""});
        data[kind] = {{"exponent", g.exponent}, {"ci95", {g.ci95[0], g.ci95[1]}}, {"r2", g.r2},
                      {"seed_exponents", g.seed_exponents}, {"window", {g.t_lo, g.t_hi}},
                      {"norm_mean", curve.norm_mean}, {"pass", pass}};
        context.progress(0.3 + 0.7 * double(++done) / 2, kind);
    }
    data["setting"] = {{"d", options.d}, {"n", options.n}, {"layers", options.layers}, {"seeds", options.seeds},
                       {"beta", options.beta}, {"h", 1}};
    figure.panels = {panel};
    context.figure(figure,
                   "Pre-LN stack of " + std::to_string(options.layers) + " layers (h = 1), d = " +
                       std::to_string(options.d) + ", n = " + std::to_string(options.n) + ", one head, beta = sqrt d, " +
                       "unit starting tokens, mean over " + std::to_string(options.seeds) +
                       " seeds. Under independent Kaiming weights per layer the updates are nearly orthogonal and the "
                       "norm grows like a random walk, depth^(1/2); under tied identity weights the tokens align and "
                       "the norm grows linearly. Dashed: the power law fitted on the last three quarters of the depth.");
    context.data("layers_pre_ln_growth", data);
}

}  // namespace

void layers_section(Context& context) {
    context.paragraph(
        "The discrete layers (normdyn/layers/, issue 7): a stack of transformer layers with residual step h is the "
        "forward Euler discretisation of the attention flow, so with identity weights it converges to the ODE with "
        "order 1; with random weights Pre-LN's token norm grows like the square root of depth instead of linearly.");
    continuum_figure(context);
    growth_figure(context);
}

}  // namespace normdyn::cli::reproduce
