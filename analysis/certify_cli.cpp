#include "certify_cli.hpp"

#include "normdyn/certify/equiangular_enclosure.hpp"

#include <mpfi.h>

namespace normdyn::cli {

namespace {

report::Json enclosure_json(const certify::interval& x, unsigned digits) {
    return report::Json::array({certify::lower_text(x, digits), certify::upper_text(x, digits)});
}

}  // namespace

report::Json certified_equiangular_summary(const RunConfig& config) {
    certify::EquiangularCase problem;
    problem.scheme = config.scheme;
    problem.n = config.n;
    problem.beta = config.beta;
    problem.r0 = config.r0;
    problem.tau = config.tau;
    problem.alpha = config.alpha;
    problem.t_end = config.t_end;
    certify::EnclosureOptions options;
    options.digits = config.method.precision.digits > 0 ? config.method.precision.digits : 15;
    // Output times i t_end / (samples − 1), as 40-digit decimals (the time itself is reported as an enclosure).
    {
        const long double t_end = std::strtold(config.t_end.c_str(), nullptr);
        for (std::size_t i = 1; i + 1 < config.samples; ++i) {
            std::ostringstream text;
            text.precision(21);
            text << t_end * static_cast<long double>(i) / static_cast<long double>(config.samples - 1);
            problem.output_times.push_back(text.str());
        }
    }
    certify::EquiangularEnclosure enclosure;
    try {
        enclosure = certify::enclose_equiangular(problem, options);
    } catch (const std::invalid_argument& e) {
        throw BadInput(e.what());
    }
    const unsigned digits = options.digits;
    report::Json params;
    params["scheme"] = model::to_string(config.scheme);
    params["n"] = config.n;
    params["beta"] = config.beta;
    params["r0"] = config.r0;
    params["tau"] = config.tau;
    params["alpha"] = config.alpha;
    params["t_end"] = config.t_end;
    params["samples"] = config.samples;
    params["method"] = "validated interval Taylor (a-priori enclosure, mean-value form)";
    params["precision"] = "mpfi";
    params["digits"] = digits;
    params["bits"] = enclosure.bits;
    params["order"] = enclosure.order;
    report::Json summary;
    summary["params"] = params;
    summary["provenance"] = provenance(config);
    summary["provenance"]["mpfi"] = mpfi_get_version();
    summary["status"] = enclosure.certified ? "certified" : "partial";
    summary["t_reached"] = enclosure_json(enclosure.t_reached, digits);
    if (!enclosure.certified) summary["reason"] = enclosure.reason;
    summary["stats"] = {{"steps", enclosure.steps}, {"rejected", enclosure.rejected}, {"rhs_evals", 0},
                        {"wall_s", enclosure.seconds}};
    report::Json series = {{"t", report::Json::array()}, {"gamma", report::Json::array()},
                           {"u", report::Json::array()}, {"r", report::Json::array()}};
    report::Json final = report::Json::object();
    for (const auto& sample : enclosure.samples) {
        final = {{"t", enclosure_json(sample.t, digits)}, {"gamma", enclosure_json(sample.gamma(), digits)},
                 {"u", enclosure_json(sample.u, digits)}, {"r", enclosure_json(sample.r, digits)},
                 {"gamma_width", certify::width(sample.gamma())}, {"r_width", certify::width(sample.r)}};
        for (const char* key : {"t", "gamma", "u", "r"}) series[key].push_back(final[key]);
    }
    summary["final"] = final;
    summary["series"] = series;
    return summary;
}

}  // namespace normdyn::cli
