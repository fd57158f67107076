// `normdyn layers`: discrete transformer layers (normdyn/layers/). Three runs:
//   (default)               one scheme's stack of L layers, sampled with the observables of `simulate`
//   --study limit           identity weights, plain N: the stack of step h against the ODE solution at the
//                           same time T as h halves; observed order with its 95% interval, per scheme
//   --study random-weights  the paper's random-weight experiment (spec §7): mean cosine and mean token norm
//                           against depth for every scheme over several seeds, and the norm growth exponent
//                           under the chosen random weights and under tied identity weights
// The layers are double precision only.
#include "cli_common.hpp"

#include "normdyn/layers/continuum_limit.hpp"
#include "normdyn/layers/depth_study.hpp"
#include "normdyn/layers/layer.hpp"
#include "normdyn/layers/token_observables.hpp"
#include "normdyn/model/init.hpp"

#include <chrono>
#include <cmath>
#include <memory>

namespace normdyn::cli {

namespace {

using report::Json;
using report::real_to_json;
using Clock = std::chrono::steady_clock;

struct LayersFlags {
    long long layers = 64, heads = 1, seeds = 4, refinements = 8;
    std::string h = "1", norm = "plain", weights = "identity", study = "none";
    bool causal = false;
};

enum class Study { none, limit, random_weights };

// Everything a layers run needs beyond the shared RunConfig, validated.
struct LayersConfig {
    Study study = Study::none;
    std::vector<model::SchemeKind> schemes;  ///< one for a plain run; all six for a study unless --scheme
    std::size_t layers = 0, heads = 1, seeds = 1, refinements = 1;
    double h = 1, beta = 1, tau = 1, alpha = 1, r0 = 1, rtol = 1e-13, atol = 1e-15;
    layers::NormKind norm = layers::NormKind::plain;
    layers::WeightKind weights = layers::WeightKind::identity;
    bool causal = false;
};

bool given(const CLI::App& command, const char* flag) { return command.count(flag) > 0; }

double number(const std::string& text) { return std::stod(text); }

// The paper's setting is the default of --study random-weights (spec §7), applied before validation.
void apply_study_defaults(const CLI::App& command, const LayersFlags& extra, SharedFlags& flags, LayersFlags& layers) {
    if (!given(command, "--init")) flags.init = "uniform";  // one start for every scheme: unit tokens (× r0)
    if (extra.study == "random-weights") {
        if (!given(command, "--d")) flags.d = 512;
        if (!given(command, "--n")) flags.n = 32;
        if (!given(command, "--beta")) flags.beta = report::real_to_text(std::sqrt(double(flags.d)));
        if (!given(command, "--layers")) layers.layers = 256;
        if (!given(command, "--weights")) layers.weights = "kaiming";
    } else if (extra.study == "limit") {
        if (!given(command, "--h")) layers.h = "0.125";
        if (!given(command, "--stepper")) flags.stepper = "rkf78";
        if (!given(command, "--rtol")) flags.rtol = "1e-13";
        if (!given(command, "--atol")) flags.atol = "1e-15";
    }
}

void reject(const CLI::App& command, const std::vector<const char*>& unused, const std::string& why) {
    for (const char* flag : unused)
        if (given(command, flag)) throw BadInput(std::string(flag) + ": does not apply to " + why);
}

LayersConfig validate_layers(const CLI::App& command, const LayersFlags& f, const RunConfig& config) {
    LayersConfig c;
    if (f.study == "none") c.study = Study::none;
    else if (f.study == "limit") c.study = Study::limit;
    else if (f.study == "random-weights") c.study = Study::random_weights;
    else throw BadInput("--study: unknown '" + f.study + "' (allowed: none, limit, random-weights)");
    if (config.method.precision.name != "double") throw BadInput("--precision: the layers are double precision only");
    if (f.layers < 1) throw BadInput("--layers: must be an integer >= 1, got " + std::to_string(f.layers));
    if (f.heads < 1) throw BadInput("--heads: must be an integer >= 1, got " + std::to_string(f.heads));
    if (f.seeds < 1) throw BadInput("--seeds: must be an integer >= 1, got " + std::to_string(f.seeds));
    if (f.refinements < 3 || f.refinements > 16)
        throw BadInput("--refinements: must be an integer in [3, 16], got " + std::to_string(f.refinements));
    c.layers = std::size_t(f.layers), c.heads = std::size_t(f.heads), c.seeds = std::size_t(f.seeds);
    c.refinements = std::size_t(f.refinements);
    c.h = number(checked_real("--h", f.h, Range::positive));
    c.norm = parsed("--norm", [&] { return layers::parse_norm(f.norm); });
    c.weights = parsed("--weights", [&] { return layers::parse_weights(f.weights); });
    if (config.d % c.heads != 0)
        throw BadInput("--heads: must divide d = " + std::to_string(config.d) + ", got " + std::to_string(c.heads));
    c.causal = f.causal;
    c.beta = number(config.beta), c.r0 = number(config.r0), c.rtol = number(config.method.rtol), c.atol = number(config.method.atol);
    c.tau = number(config.tau), c.alpha = number(config.alpha);
    const bool all_schemes = c.study != Study::none && !given(command, "--scheme");
    c.schemes = all_schemes ? std::vector(model::all_schemes.begin(), model::all_schemes.end())
                            : std::vector{config.scheme};
    switch (c.study) {
        case Study::none:
            reject(command, {"--t-end", "--stepper", "--dt", "--rtol", "--atol", "--error-norm", "--seeds", "--refinements"},
                   "a stack run (depth is --layers times --h)");
            break;
        case Study::limit:
            reject(command, {"--layers", "--dt", "--seeds", "--samples"}, "--study limit");
            if (c.norm != layers::NormKind::plain || c.weights != layers::WeightKind::identity || c.heads != 1 ||
                c.causal)
                throw BadInput("--study limit: compares with the spec's ODE, which needs --norm plain, --weights "
                               "identity, --heads 1 and no --causal");
            break;
        case Study::random_weights:
            reject(command, {"--t-end", "--stepper", "--dt", "--rtol", "--atol", "--error-norm", "--refinements", "--samples"},
                   "--study random-weights");
            // Mix-LN switches after a quarter of the depth; nGPT interpolates with weight hα = 0.05 (the
            // initial eigen learning rate of the nGPT paper), unless given.
            if (!given(command, "--tau")) c.tau = double(c.layers) * c.h / 4;
            if (!given(command, "--alpha")) c.alpha = 0.05 / c.h;
            break;
    }
    return c;
}

layers::LayerMap layer_map(const LayersConfig& c, model::SchemeKind scheme) {
    layers::LayerMap map;
    map.scheme = scheme;
    map.step = c.h;
    map.tau = c.tau;
    map.alpha = c.alpha;
    map.norm.kind = c.norm;
    return map;
}

Json layers_params(const RunConfig& config, const LayersConfig& c, const std::string& study) {
    Json p;
    p["study"] = study;
    p["scheme"] = c.schemes.size() == 1 ? model::to_string(c.schemes.front()) : "all";
    p["n"] = config.n;
    p["d"] = config.d;
    p["beta"] = c.beta;
    p["r0"] = c.r0;
    p["tau"] = c.tau;
    p["alpha"] = c.alpha;
    p["init"] = model::to_string(config.init);
    p["seed"] = config.seed;
    p["h"] = c.h;
    p["norm"] = layers::to_string(c.norm);
    p["weights"] = layers::to_string(c.weights);
    p["heads"] = c.heads;
    p["causal"] = c.causal;
    p["precision"] = "double";
    return p;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

const std::vector<std::string> layer_columns = {"t",      "layer", "gamma_min",   "gamma_mean", "gamma_max", "spread",
                                                "var",    "radius_mean", "radius_min", "speed_max", "clusters"};

Json layer_row(double t, std::size_t layer, const layers::TokenObservables& o, double speed) {
    return Json{{"t", t},
                {"layer", layer},
                {"gamma_min", real_to_json(o.gamma_min)},
                {"gamma_mean", real_to_json(o.gamma_mean)},
                {"gamma_max", real_to_json(o.gamma_max)},
                {"spread", real_to_json(o.spread)},
                {"var", real_to_json(o.var)},
                {"radius_mean", real_to_json(o.radius_mean)},
                {"radius_min", real_to_json(o.radius_min)},
                {"speed_max", real_to_json(speed)},
                {"clusters", o.clusters}};
}

// The layers sampled: `samples` indices equally spaced in 0…L, both ends included.
std::vector<bool> sampled_layers(std::size_t layers, std::size_t samples) {
    std::vector<bool> sampled(layers + 1, samples >= layers + 1);
    for (std::size_t i = 0; i + 1 < samples && samples < layers + 1; ++i) sampled[i * layers / (samples - 1)] = true;
    sampled[layers] = true;
    return sampled;
}

// One scheme's stack, sampled per layer. speed_max is the angular speed of the step leaving the layer
// (arriving at it for the last layer). A layer that cannot normalise ends the run as partial, with the
// last good layer sampled.
Json run_stack(const RunConfig& config, const LayersConfig& c) {
    const auto start = Clock::now();
    const auto scheme = c.schemes.front();
    Json params = layers_params(config, c, "none");
    params["layers"] = c.layers;
    params["t_end"] = double(c.layers) * c.h;
    params["samples"] = config.samples;
    layers::LayerStack stack(layers::DiscreteLayer(layer_map(c, scheme), layers::MultiHeadAttention(c.beta, c.causal)),
                             layers::WeightSchedule(c.weights, config.d, c.heads, config.seed));
    layers::Matrix x = model::initial_positions<double>(config.init, scheme, config.n, config.d, c.r0, config.seed);
    layers::Matrix previous = x, next;
    const auto sampled = sampled_layers(c.layers, config.samples);
    Series series(layer_columns);
    RunOutcome outcome{"done", "", {}};
    const auto sample = [&](std::size_t layer, const layers::Matrix& from, const layers::Matrix& to) {
        const double speed = layer == 0 && &from == &to ? 0.0 : layers::angular_speed_max(from, to, c.h);
        series.append(layer_row(double(layer) * c.h, layer, layers::observe_tokens(x), speed));
    };
    std::size_t layer = 0;
    try {
        for (; layer < c.layers; ++layer) {
            next = x;
            stack.advance(next);
            if (sampled[layer]) sample(layer, x, next);
            previous = std::move(x);
            x = std::move(next);
        }
        sample(layer, c.layers > 0 ? previous : x, x);
    } catch (const std::domain_error& e) {
        outcome.status = "partial";
        outcome.reason = "layer " + std::to_string(layer) + ": " + e.what();
        sample(layer, layer > 0 ? previous : x, x);  // the layer that failed was not sampled yet
    }
    outcome.stats.steps = outcome.stats.rhs_evals = stack.layers_applied();
    outcome.stats.wall_s = seconds_since(start);
    return summary_document(std::move(params), provenance(config), outcome, Json(double(layer) * c.h), series);
}

Json interval(const double (&ci)[2]) { return Json::array({real_to_json(ci[0]), real_to_json(ci[1])}); }

// Per scheme: the stack at h, h/2, …, h/2^(K−1) against the ODE at T (layers/continuum_limit.hpp).
Json run_limit(const RunConfig& config, const LayersConfig& c) {
    const auto start = Clock::now();
    Json params = layers_params(config, c, "limit");
    const double t_end = number(config.t_end);
    params["t_end"] = t_end;
    params["refinements"] = c.refinements;
    params["reference"] = {{"stepper", solve::to_string(config.method.stepper)}, {"rtol", c.rtol}, {"atol", c.atol},
                           {"error_norm", solve::to_string(config.method.error_norm)}};
    layers::ContinuumLimitOptions options;
    options.beta = c.beta;
    options.t_end = t_end;
    for (std::size_t k = 0; k < c.refinements; ++k) options.steps.push_back(std::ldexp(c.h, -int(k)));
    options.reference.stepper = config.method.stepper;
    options.reference.rtol = c.rtol;
    options.reference.atol = c.atol;
    options.reference.error_norm = config.method.error_norm;
    Series series({"scheme", "h", "layers", "error"});
    Json orders = Json::object(), final = Json::object();
    RunOutcome outcome{"done", "", {}};
    for (auto scheme : c.schemes) {
        options.scheme.kind = scheme;
        options.scheme.tau = c.tau;
        options.scheme.alpha = c.alpha;
        const auto x0 = model::initial_positions<double>(config.init, scheme, config.n, config.d, c.r0, config.seed);
        layers::ContinuumLimit study;
        try {
            study = layers::continuum_limit(x0, options);
        } catch (const std::invalid_argument& e) {
            throw BadInput(e.what());
        }
        for (const auto& point : study.points)
            series.append({{"scheme", model::to_string(scheme)}, {"h", point.step}, {"layers", point.layers},
                           {"error", real_to_json(point.error)}});
        const std::string name = model::to_string(scheme);
        orders[name] = {{"observed", real_to_json(study.order.observed)},
                        {"ci95", interval(study.order.ci95)},
                        {"points_used", study.order.points_used},
                        {"flags", study.order.flags},
                        {"reference_error", real_to_json(study.reference_error)},
                        {"reference_steps", study.reference_stats.steps},
                        {"notes", study.notes}};
        final[name] = {{"order", real_to_json(study.order.observed)}, {"ci95", interval(study.order.ci95)}};
        outcome.stats.steps += study.reference_stats.steps;
        outcome.stats.rhs_evals += study.reference_stats.rhs_evals;
    }
    outcome.stats.wall_s = seconds_since(start);
    Json summary = summary_document(std::move(params), provenance(config), outcome, Json(t_end), series);
    summary["final"] = final;
    summary["orders"] = orders;
    return summary;
}

// The depth curves of one weight kind, as series columns "<what>_<weights>_<scheme>".
void add_curves(Json& rows, const std::vector<layers::DepthCurves>& curves, layers::WeightKind weights) {
    for (const auto& curve : curves) {
        const std::string suffix = "_" + layers::to_string(weights) + "_" + model::to_string(curve.scheme);
        for (std::size_t layer = 0; layer < curve.norm_mean.size(); ++layer) {
            rows[layer]["cosine_mean" + suffix] = real_to_json(curve.cosine_mean[layer]);
            rows[layer]["norm_mean" + suffix] = real_to_json(curve.norm_mean[layer]);
        }
    }
}

Json growth_json(const layers::GrowthExponent& g) {
    Json j = {{"exponent", real_to_json(g.exponent)}, {"ci95", interval(g.ci95)},
              {"r2", real_to_json(g.r2)},             {"window", {g.t_lo, g.t_hi}}, {"origin", g.origin},
              {"points", g.points},                   {"seed_exponents", report::reals_to_json(g.seed_exponents)},
              {"seed_mean", real_to_json(g.seed_mean)}};
    if (g.seed_exponents.size() >= 2) j["seed_ci95"] = interval(g.seed_ci95);
    return j;
}

// Spec §7: every scheme under the chosen random weights and, for contrast, under tied identity weights;
// the growth exponent of the mean token norm on the last three quarters of its growth, for the schemes
// whose norm is free (Pre-, Mix-, Peri-LN).
Json run_random_weights(const RunConfig& config, const LayersConfig& c) {
    const auto start = Clock::now();
    Json params = layers_params(config, c, "random-weights");
    params["layers"] = c.layers;
    params["t_end"] = double(c.layers) * c.h;
    params["seeds"] = c.seeds;
    layers::DepthStudyOptions options;
    options.schemes = c.schemes;
    options.map = layer_map(c, model::SchemeKind::pre_ln);
    options.beta = c.beta;
    options.causal = c.causal;
    options.n = config.n, options.d = config.d, options.heads = c.heads, options.layers = c.layers;
    options.init = config.init;
    options.r0 = c.r0;
    options.first_seed = config.seed;
    options.seeds = c.seeds;
    std::vector<layers::WeightKind> arms = {c.weights};
    if (c.weights != layers::WeightKind::identity) arms.push_back(layers::WeightKind::identity);
    Json rows = Json::array(), exponents = Json::object(), final = Json::object();
    for (std::size_t layer = 0; layer <= c.layers; ++layer) rows.push_back({{"t", double(layer) * c.h}, {"layer", layer}});
    const double t_end = double(c.layers) * c.h;
    for (auto weights : arms) {
        options.weights = weights;
        const auto curves = layers::run_depth_study(options);
        add_curves(rows, curves, weights);
        for (const auto& curve : curves) {
            if (model::keeps_radius(curve.scheme)) continue;
            // The norm grows from t = 0, or from Mix-LN's switch (the Post-LN layers before it keep |x| = 1).
            const double origin = model::scheme_row(curve.scheme).switches
                                      ? double(layer_map(c, curve.scheme).switch_layer()) * c.h : 0.0;
            const auto g = layers::fit_growth_exponent(curve, c.h, origin + (t_end - origin) / 4, t_end, origin);
            const std::string scheme = model::to_string(curve.scheme), kind = layers::to_string(weights);
            exponents[scheme][kind] = growth_json(g);
            final[scheme + "/" + kind] = {{"exponent", real_to_json(g.exponent)}, {"ci95", interval(g.ci95)}};
            if (g.seed_exponents.size() >= 2) final[scheme + "/" + kind]["seed_ci95"] = interval(g.seed_ci95);
        }
    }
    std::vector<std::string> columns;
    for (const auto& [name, value] : rows.front().items()) columns.push_back(name);
    Series series(columns);
    for (const auto& row : rows) series.append(row);
    RunOutcome outcome{"done", "", {}};
    outcome.stats.steps = outcome.stats.rhs_evals = c.layers * c.seeds * c.schemes.size() * arms.size();
    outcome.stats.wall_s = seconds_since(start);
    Json summary = summary_document(std::move(params), provenance(config), outcome, Json(t_end), series);
    summary["final"] = final;
    summary["growth_exponents"] = exponents;
    return summary;
}

Json run_layers(const RunConfig& config, const LayersConfig& c) {
    try {
        switch (c.study) {
            case Study::none: return run_stack(config, c);
            case Study::limit: return run_limit(config, c);
            case Study::random_weights: return run_random_weights(config, c);
        }
    } catch (const std::invalid_argument& e) {
        throw BadInput(e.what());
    }
    return {};
}

}  // namespace

CommandRunner layers_command(CLI::App& command) {
    auto flags = std::make_shared<SharedFlags>();
    auto extra = std::make_shared<LayersFlags>();
    add_shared_flags(command, *flags, Positions::free);
    command.add_option("--layers", extra->layers, "number of layers L >= 1 (depth L h)")->capture_default_str();
    command.add_option("--h", extra->h, "residual step h > 0 (depth-time per layer)")->capture_default_str();
    command.add_option("--norm", extra->norm, "plain|layernorm|rmsnorm (plain: x/|x|)")->capture_default_str();
    command.add_option("--weights", extra->weights, "identity|tied-random|kaiming|gpt2")->capture_default_str();
    command.add_option("--heads", extra->heads, "attention heads H (must divide d)")->capture_default_str();
    command.add_flag("--causal", extra->causal, "causal mask: token j attends to k <= j");
    command.add_option("--study", extra->study,
                       "none|limit|random-weights. limit: identity weights, plain N, the stack at h, h/2, ... "
                       "against the ODE at --t-end (reference rkf78, rtol 1e-13, atol 1e-15 unless given), every "
                       "scheme unless --scheme. random-weights: defaults d 512, n 32, beta sqrt(d), layers 256, "
                       "weights kaiming, Mix-LN tau = L h/4, nGPT alpha = 0.05/h; plus a tied identity arm")
        ->capture_default_str();
    command.add_option("--seeds", extra->seeds, "random-weights: seeds --seed, --seed+1, ...")->capture_default_str();
    command.add_option("--refinements", extra->refinements, "limit: number of steps h, h/2, ... (3..16)")
        ->capture_default_str();
    command.footer("Start: unit tokens (--init uniform, --r0 1) for every scheme unless --init is given. beta "
                   "multiplies <Q y_j, K y_k> of the normalised tokens: with plain N, beta = sqrt(d) is the usual "
                   "1/sqrt(d) scaling of LayerNorm's sqrt(d)-norm tokens. --samples: sampled layers (stack run).");
    return [flags, extra, &command](const std::string& command_line) {
        RunConfig config;
        LayersConfig layers_config;
        try {
            SharedFlags shared = *flags;
            LayersFlags own = *extra;
            apply_study_defaults(command, *extra, shared, own);
            config = validate(command, shared, Positions::free, command_line);
            layers_config = validate_layers(command, own, config);
        } catch (const BadInput& e) {
            return report_bad_input(command.get_name(), e.what());
        }
        return run_guarded(config, [&] { return run_layers(config, layers_config); });
    };
}

}  // namespace normdyn::cli
