// The discrete layers' studies (layers.cpp): the continuum limit of every scheme's stack and Pre-LN's norm
// growth against depth, which its claims measure and the report's layers figures draw.
#pragma once

#include "check.hpp"

#include "normdyn/layers/continuum_limit.hpp"
#include "normdyn/layers/depth_study.hpp"

namespace normdyn::checks::discrete_layers {

inline constexpr const char* continuum_figure = "layers_continuum_limit";
inline constexpr const char* growth_figure = "layers_pre_ln_growth";

/// n = 6 unit tokens (seeded uniform start) in d = 4, β = 2, T = 2, τ = 0.5, α = 0.7, h = 1/16 … 1/512.
const layers::ContinuumLimit& continuum_study(const Context& ctx, model::SchemeKind kind);

/// Pre-LN stack, h = 1, one head, β = sqrt d, unit starting tokens, under the given weights; the growth
/// exponent of the seed-averaged mean norm fitted on the last three quarters of the depth.
struct GrowthStudy {
    layers::DepthStudyOptions options;
    layers::DepthCurves curve;
    layers::GrowthExponent growth;
};
const GrowthStudy& growth_study(const Context& ctx, layers::WeightKind weights);

}  // namespace normdyn::checks::discrete_layers
