// Section "layers": the discrete transformer layers of normdyn/layers/, drawn from the studies of the
// layers claims (proofs-check/layers.cpp). Figure A: the stack of step h against the spec's ODE at the same
// time T, for the six schemes (observed order 1). Figure B: the mean token norm of Pre-LN against depth under
// independent Kaiming weights and tied identity weights, with the fitted growth exponents (about 1/2 and 1).
#include "reproduce.hpp"

#include "proofs-check/layers.hpp"

#include <cmath>

namespace normdyn::cli::reproduce {

namespace {

using model::SchemeKind;
using report::Series;

void continuum_figure(Context& context) {
    report::Figure figure{checks::discrete_layers::continuum_figure, "Discrete layers against the ODE: error at T = 2 vs step h"};
    report::Panel panel{"", {"h (depth-time per layer)", true}, {"max_j |x_j(T/h layers) - x_j(T)|", true}};
    panel.key = "bottom right";
    for (SchemeKind kind : model::all_schemes) {
        const auto& study = checks::discrete_layers::continuum_study(context.claims(), kind);
        Series series{scheme_label(kind), {}, {}};
        series.style = report::SeriesStyle::lines_points;
        series.color = scheme_color(kind);
        for (const auto& point : study.points) {
            series.x.push_back(point.step);
            series.y.push_back(point.error);
        }
        panel.series.push_back(series);
    }
    figure.panels = {panel};
    context.figure(figure,
                   "Identity weights, one head, plain normalisation x/|x|: T/h layers of step h against the spec's ODE "
                   "solved at T = 2 (rkf78, rtol 1e-13), n = 6 unit tokens in d = 4, beta = 2, Mix-LN tau = 0.5, nGPT "
                   "alpha = 0.7. Every scheme's error falls like h: the layers are the forward Euler steps of the flow. "
                   "The claims layers/continuum-order/* give the observed orders.");
}

void growth_figure(Context& context) {
    report::Figure figure{checks::discrete_layers::growth_figure, "Pre-LN: mean token norm against depth"};
    report::Panel panel{"", {"layer (t)", true}, {"mean token norm", true}};
    panel.key = "top left";
    const std::pair<layers::WeightKind, const char*> arms[] = {{layers::WeightKind::kaiming, "#1f77b4"},
                                                               {layers::WeightKind::identity, "#d62728"}};
    const layers::DepthStudyOptions* options = nullptr;
    for (const auto& [weights, color] : arms) {
        const auto& study = checks::discrete_layers::growth_study(context.claims(), weights);
        options = &study.options;
        const auto& curve = study.curve;
        const auto& g = study.growth;
        Series series{layers::to_string(weights), {}, {}};
        series.color = color;
        for (std::size_t layer = 1; layer < curve.norm_mean.size(); ++layer) {
            series.x.push_back(double(layer));
            series.y.push_back(curve.norm_mean[layer]);
        }
        // The fitted power law through the window's end point.
        Series fit{"", {}, {}, {}, {}, report::SeriesStyle::dashed, "#000000", 1};
        const double t_end = double(study.options.layers);
        for (double t : {g.t_lo, g.t_hi}) {
            fit.x.push_back(t);
            fit.y.push_back(curve.norm_mean.back() * std::pow(t / t_end, g.exponent));
        }
        panel.series.push_back(series);
        panel.series.push_back(fit);
    }
    figure.panels = {panel};
    context.figure(figure,
                   "Pre-LN stack of " + std::to_string(options->layers) + " layers (h = 1), d = " +
                       std::to_string(options->d) + ", n = " + std::to_string(options->n) + ", one head, beta = sqrt d, " +
                       "unit starting tokens, mean over " + std::to_string(options->seeds) +
                       " seeds. Under independent Kaiming weights per layer the updates are nearly orthogonal and the "
                       "norm grows like a random walk, depth^(1/2); under tied identity weights the tokens align and "
                       "the norm grows linearly. Dashed: the power law fitted on the last three quarters of the depth, "
                       "whose exponents are the claims layers/pre-ln-growth/*.");
}

}  // namespace

void layers_section(Context& context) {
    context.paragraph(
        "The discrete layers (normdyn/layers/): a stack of transformer layers with residual step h is the "
        "forward Euler discretisation of the attention flow, so with identity weights it converges to the ODE with "
        "order 1; with random weights Pre-LN's token norm grows like the square root of depth instead of linearly.");
    continuum_figure(context);
    growth_figure(context);
}

}  // namespace normdyn::cli::reproduce
