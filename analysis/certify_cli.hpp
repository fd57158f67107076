// `--certify`: the validated integrator of certify/ behind the command line (enclosures instead of estimates).
#pragma once

#include "cli_common.hpp"

namespace normdyn::cli {

/// The summary document of `normdyn equiangular --certify`: status "certified" or "partial" (with the time
/// reached and the reason), and every state component and observable at the output times as a two-element
/// array [lower, upper] of decimal strings rounded outward to --digits significant digits (default 15,
/// 51-bit intervals). The output times are the --samples equally spaced times of [0, t_end].
report::Json certified_equiangular_summary(const RunConfig& config);

}  // namespace normdyn::cli
