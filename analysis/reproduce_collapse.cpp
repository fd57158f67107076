// Sections "random-starts" (figure 6) and "layers-to-collapse" (figure 9): Theorem 3.1 from random starts in
// d = 3, drawn from the study of the thm3.1 claims (proofs-check/thm31_clustering.cpp). The time to one
// cluster is the paper's "curse of depth" in numbers: Post-LN collapses in about a hundred layers, Pre- and
// Peri-LN only after astronomically many because their angular clock is ∫dt/r ~ log t.
#include "reproduce.hpp"

#include "proofs-check/thm31_clustering.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace normdyn::cli::reproduce {

namespace {

using checks::theorem31::RandomStartRun;
using model::SchemeKind;

std::string collapse_text(const RandomStartRun& run) {
    if (run.collapse_time) return "t ≈ " + format_number(*run.collapse_time, 3);
    return "not by t = " + format_number(run.t_reached, 3);
}

report::Json run_json(const RandomStartRun& run) {
    return {{"collapse_time", run.collapse_time ? report::Json(*run.collapse_time) : report::Json("not reached")},
            {"t_reached", run.t_reached}, {"rhs_evals", run.rhs_evals}, {"stop_reason", run.stop_reason}};
}

}  // namespace

void random_starts_section(Context& context) {
    const auto& study = checks::theorem31::collapse_study(context.claims());
    const std::uint64_t seed = study.seeds.front();
    context.paragraph(
        "Theorem 3.1: from random starts every scheme clusters (or synchronises), almost surely. Here n = 16 tokens in "
        "d = 3, β = 3, seed " + std::to_string(seed) + ", each scheme from its default start (uniform directions for "
        "Post-LN, nGPT, LN-Scaling; Gaussian cloud for Pre-, Mix-, Peri-LN): the first run of the thm3.1 claims' "
        "study (dopri5, relative tolerance 1e-10, 20 samples per decade, stopped after the decade of collapse).");
    report::Figure paths{checks::theorem31::trajectories_figure, "Random start, n = 16, d = 3, beta = 3: token directions over time"};
    paths.columns = 3;
    paths.width = 1800;
    paths.height = 1100;
    report::Figure clusters{checks::theorem31::clusters_figure, "Random start, n = 16, d = 3, beta = 3: clusters against time"};
    report::Panel count{"", {"t (layers)", true}, {"clusters (1 - cos < 1e-4 joins)", false, 0.0, 17.0}};
    report::Json data = report::Json::array();
    for (SchemeKind kind : model::all_schemes) {
        const auto& run = study.run(kind, checks::theorem31::claim_beta, seed);
        report::Panel panel{scheme_label(kind) + ": " + collapse_text(run), {"longitude (degrees)", false, -180.0, 180.0},
                            {"latitude (degrees)", false, -90.0, 90.0}};
        panel.key = "off";
        report::Series path{"", {}, {}, {}, {}, report::SeriesStyle::points, scheme_color(kind), 0.25};
        report::Series start{"", {}, {}, {}, {}, report::SeriesStyle::points, "#000000", 0.7};
        report::Series end{"", {}, {}, {}, {}, report::SeriesStyle::points, "#e31a1c", 1.2};
        for (std::size_t s = 0; s < run.directions.size(); ++s)
            for (Eigen::Index j = 0; j < run.directions[s].rows(); ++j) {
                const auto& theta = run.directions[s];
                const double lon = std::atan2(theta(j, 1), theta(j, 0)) * 180 / std::numbers::pi;
                const double lat = std::asin(std::clamp(theta(j, 2), -1.0, 1.0)) * 180 / std::numbers::pi;
                auto& target = s == 0 ? start : s + 1 == run.directions.size() ? end : path;
                target.x.push_back(lon);
                target.y.push_back(lat);
            }
        panel.series = {path, start, end};
        paths.panels.push_back(panel);
        report::Series curve{scheme_label(kind), {}, {}, {}, {}, report::SeriesStyle::lines, scheme_color(kind), 2};
        for (std::size_t s = 0; s < run.t.size(); ++s)
            if (run.t[s] > 0) {
                curve.x.push_back(run.t[s]);
                curve.y.push_back(run.clusters[s]);
            }
        count.series.push_back(curve);
        auto entry = run_json(run);
        entry["scheme"] = model::to_string(kind);
        entry["t"] = run.t;
        entry["clusters"] = run.clusters;
        entry["spread"] = run.spread;
        data.push_back(entry);
    }
    context.data("random_start_runs", data);
    context.figure(paths,
                   "Token directions on the sphere (longitude–latitude map) from t = 0 (black) to the end of the run "
                   "(red), one panel per scheme; the panel title gives the time of one cluster (max 1 − cos < 1e-10), "
                   "the thm3.1/one-cluster/*/seed1 claims.");
    clusters.panels = {count};
    context.figure(clusters,
                   "Number of clusters against time for the same runs (tokens joined when 1 − cos < 1e-4, transitively). "
                   "One cluster in this sense is reached long before the spread falls below 1e-10, the criterion of the "
                   "panel titles, the claims and figure 9.");
}

void layers_to_collapse_section(Context& context) {
    const auto& study = checks::theorem31::collapse_study(context.claims());
    context.paragraph(
        "The time (in layers) until the tokens form one cluster (max 1 − cos < 1e-10), from random starts with n = 16, "
        "d = 3, against β, over " + std::to_string(study.seeds.size()) + " seeds. Each run is integrated decade by "
        "decade up to t = 1e80 with 20 log-spaced samples per decade (a time is resolved to a factor 1.12), dopri5 with "
        "relative tolerance 1e-10: the adaptive step grows with t, which is what lets the schemes whose radius grows "
        "be followed over astronomically many layers (spec §8 reports 1e24 … 1e48 for Pre- and Peri-LN from other "
        "starts, where two clusters persist). A fixed-step code with dt = 0.1 needs ten steps per layer. The claims "
        "thm3.1/* are judged at β = 3.");
    const auto& betas = study.betas;
    report::Figure figure{checks::theorem31::collapse_figure, "Layers to collapse against beta (n = 16, d = 3, random starts)"};
    report::Panel panel{"", {"beta", false, betas.front() - 0.25, betas.back() + 0.25},
                        {"layers until one cluster (min / median / max over seeds)", true}};
    panel.key = "top left";
    report::Json data = report::Json::array();
    for (SchemeKind kind : model::all_schemes) {
        report::Series series{scheme_label(kind), {}, {}, {}, {}, report::SeriesStyle::error_bars, scheme_color(kind), 1.5};
        for (double beta : betas) {
            std::vector<double> times;
            for (auto seed : study.seeds) {
                const auto& run = study.run(kind, beta, seed);
                if (run.collapse_time) times.push_back(*run.collapse_time);
                auto entry = run_json(run);
                entry["scheme"] = model::to_string(kind);
                entry["beta"] = beta;
                entry["seed"] = seed;
                data.push_back(entry);
            }
            if (times.empty()) continue;
            std::sort(times.begin(), times.end());
            series.x.push_back(beta);
            series.y.push_back(times[times.size() / 2]);
            series.y_low.push_back(times.front());
            series.y_high.push_back(times.back());
        }
        if (!series.x.empty()) panel.series.push_back(series);
    }
    figure.panels = {panel};
    context.data("layers_to_collapse", data);
    context.figure(figure,
                   "Layers until one cluster against β: the median over the seeds that collapsed, with the range "
                   "(min–max) as bars, log scale; data/layers_to_collapse.json holds every run (and the runs still "
                   "spread at t = 1e80). The schemes whose radius grows (Pre-, Mix-, Peri-LN) run an angular clock "
                   "∫dt/r ~ log t, so their collapse time is exponential in what the others need.");
}

}  // namespace normdyn::cli::reproduce
