// The predictions table (predictions.hpp): spec §5, Theorems 3.1, 4.1 and 4.3, one row per scheme. The switch
// has no default: a scheme without a row is a compile error (-Werror=switch), never Pre-LN's row by accident.
#include "predictions.hpp"

#include <stdexcept>

namespace normdyn::checks {

namespace {

using measure::DecayLaw;
using model::SchemeKind;

const std::string post_ln_speed = "2/(e^β + n − 1)";

DecayPrediction exponential(double rate, std::string form) { return {DecayLaw::exponential, rate, std::move(form)}; }
DecayPrediction power_two(std::string form) { return {DecayLaw::power, 2, std::move(form)}; }
DecayPrediction stretched_four(std::string form) { return {DecayLaw::stretched_exponential, 4, std::move(form)}; }

}  // namespace

Prediction prediction(SchemeKind kind, double alpha) {
    switch (kind) {
    case SchemeKind::post_ln:
        return {kind, post_ln_speed, exponential(2, "1 − γ ~ C e^(−2t)"), exponential(2, "log Var is linear in t"),
                Clustering::one_cluster, false};
    case SchemeKind::pre_ln:
        return {kind, "2/(r0 (e^β + n − 1))", power_two("1 − γ ~ C t^(−2)"), power_two("log Var is linear in log t"),
                Clustering::synchronises, true};
    case SchemeKind::mix_ln:
        return {kind, post_ln_speed + " (Post-LN until τ)", power_two("1 − γ ~ C t^(−2)"),
                power_two("log Var is linear in log t"), Clustering::synchronises, false};
    case SchemeKind::peri_ln:
        return {kind, "2/(r0 sqrt(e^(2β) + n − 1))", power_two("1 − γ ~ C t^(−2)"),
                power_two("log Var is linear in log t"), Clustering::synchronises, true};
    case SchemeKind::ngpt:
        return {kind, "2α/sqrt(e^(2β) + n − 1)", exponential(2 * alpha, "1 − γ ~ C e^(−2αt)"),
                exponential(2 * alpha, "log Var is linear in t (rate 2α)"), Clustering::one_cluster, false};
    case SchemeKind::ln_scaling:
        return {kind, post_ln_speed, stretched_four("1 − γ ~ C e^(−4 sqrt(t+1))"),
                stretched_four("log Var is linear in sqrt t"), Clustering::one_cluster, false};
    }
    throw std::invalid_argument("predictions: unknown scheme");
}

double initial_velocity(SchemeKind kind, std::size_t n, double beta, double r0, double tau, double alpha) {
    return theorem41_initial_velocity<double>(model::make_scheme<double>(kind, tau, alpha), n, beta, r0);
}

}  // namespace normdyn::checks
