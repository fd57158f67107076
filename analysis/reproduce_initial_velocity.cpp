// Section "initial-velocity" (figure 2): Theorem 4.1's dγ/dt at t = 0 against β and n, drawn from the study
// of the claim thm4.1/initial-velocity/against-beta-and-n (proofs-check/thm41_symmetric.cpp): points measured
// on the full n-particle system, curves the closed forms of the predictions table.
#include "reproduce.hpp"

#include "proofs-check/predictions.hpp"
#include "proofs-check/thm41_symmetric.hpp"

namespace normdyn::cli::reproduce {

namespace {

using checks::theorem41::InitialVelocitySweep;
using model::SchemeKind;

report::Series measured_points(SchemeKind kind, const std::vector<InitialVelocitySweep::Point>& points, bool by_beta) {
    report::Series series{scheme_label(kind), {}, {}, {}, {}, report::SeriesStyle::points, scheme_color(kind), 0.8};
    for (const auto& point : points)
        if (point.kind == kind) {
            series.x.push_back(by_beta ? point.beta : double(point.n));
            series.y.push_back(point.measured);
        }
    return series;
}

report::Series closed_form(SchemeKind kind, const std::vector<double>& xs, bool by_beta, const InitialVelocitySweep& sweep) {
    using namespace checks::theorem41;
    report::Series series{"", {}, {}, {}, {}, report::SeriesStyle::lines, scheme_color(kind), 1.2};
    for (double x : xs) {
        series.x.push_back(x);
        series.y.push_back(by_beta ? checks::initial_velocity(kind, sweep.n_fixed, x, 1.0, tau, alpha)
                                   : checks::initial_velocity(kind, std::size_t(x), sweep.beta_fixed, 1.0, tau, alpha));
    }
    return series;
}

}  // namespace

void initial_velocity_section(Context& context) {
    context.paragraph(
        "Theorem 4.1's initial velocity dγ/dt(0) from the orthonormal start: Post-LN, Mix-LN and LN-Scaling start at "
        "2/(e^β + n − 1), Pre-LN at 2/(r0 (e^β + n − 1)), while Peri-LN and nGPT, which divide by |A_j|, start at "
        "2/(r0 sqrt(e^(2β) + n − 1)) and 2α/sqrt(e^(2β) + n − 1). Points are measured on the full n-particle "
        "system (d = n, the mean over pairs of <dθ_j/dt, θ_k> + <θ_j, dθ_k/dt> from the vector field), curves are "
        "the closed forms; the two computations share no formula. The claims thm4.1/initial-velocity/* judge them.");
    const auto& sweep = checks::theorem41::initial_velocity_sweep(context.claims());
    std::vector<double> curve_betas, curve_ns;
    for (double b = 0.25; b <= 10.0 + 1e-12; b += 0.25) curve_betas.push_back(b);
    for (const auto& point : sweep.by_n)
        if (point.kind == SchemeKind::post_ln) curve_ns.push_back(double(point.n));

    report::Figure figure{checks::theorem41::initial_velocity_figure, "Theorem 4.1: initial velocity d gamma/dt at t = 0"};
    figure.columns = 2;
    figure.width = 1600;
    figure.height = 650;
    report::Panel by_beta{"against beta (n = 64)", {"beta"}, {"d gamma / dt at t = 0", true}};
    report::Panel by_n{"against n (beta = 5)", {"n (tokens)", true}, {"d gamma / dt at t = 0", true}};
    by_beta.key = "bottom left";
    by_n.key = "bottom left";
    for (SchemeKind kind : model::all_schemes) {
        by_beta.series.push_back(closed_form(kind, curve_betas, true, sweep));
        by_beta.series.push_back(measured_points(kind, sweep.by_beta, true));
        by_n.series.push_back(closed_form(kind, curve_ns, false, sweep));
        by_n.series.push_back(measured_points(kind, sweep.by_n, false));
    }
    figure.panels = {by_beta, by_n};
    context.figure(figure,
                   "Initial velocity against β (n = 64) and against n (β = 5), all six schemes: points measured on the "
                   "n-particle system, lines the closed forms. With r0 = 1, Pre-, Mix-LN and LN-Scaling "
                   "coincide with Post-LN at t = 0 (their curves overlap); the n − 1 in e^β + n − 1 is what slows Post- "
                   "and Pre-LN at small β, and it enters Peri-LN and nGPT only under a square root.");
}

}  // namespace normdyn::cli::reproduce
