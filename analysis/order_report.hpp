// What `normdyn order` makes of a Study: the JSON document, the Markdown report and the two figures
// (error against step; work–precision), all produced from the value, none assembled by hand.
#pragma once

#include "proofs-check/order_convergence.hpp"

#include "normdyn/measure/order_study.hpp"
#include "normdyn/report/figure.hpp"
#include "normdyn/report/json.hpp"

#include <string>

namespace normdyn::cli {

/// The verdict's tolerance, the claims' own: observed within ±0.15 of nominal.
inline constexpr double order_tolerance = checks::order_convergence::tolerance;

/// "done" when every run of the study reached t_end, "partial" otherwise.
std::string study_status(const measure::Study& study);

/// The summary JSON: params, provenance, status, reference, orders (one row per stepper: stepper, nominal,
/// observed, ci95, points_used, flags, within_tolerance, ladder), work_precision, notes, wall_s.
report::Json study_json(const measure::Study& study, report::Json provenance, const std::string& command_line);

/// The Markdown report: problem, reference, the order table, the ladders, the work–precision sets, the
/// Mix-LN explanation when breakpoints were ignored, how to regenerate, and the figures' files.
std::string study_markdown(const measure::Study& study, const std::string& command_line);

/// Error against step size (log–log, one line per stepper, the nominal slopes dashed).
report::Figure error_vs_step_figure(const measure::Study& study);
/// Work–precision: error against right-hand-side evaluations and against wall time.
report::Figure work_precision_figure(const measure::Study& study);

}  // namespace normdyn::cli
