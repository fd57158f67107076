// The convergence-order study (order_convergence.cpp): each stepper's observed order on a fixed-step
// ladder, which its claims measure and the report's figure 7 draws.
#pragma once

#include "check.hpp"

#include "normdyn/measure/order_study.hpp"

namespace normdyn::checks::order_convergence {

inline constexpr const char* error_figure = "fig7_order_error_vs_step";
inline constexpr const char* work_figure = "fig7_work_precision";
/// A stepper passes when its observed order is within this of the nominal one.
inline constexpr double tolerance = 0.15;

/// `normdyn order`'s default problem (Post-LN, full system, n = 6, d = 4, β = 1, t = 2): fixed-step ladders in
/// 50-digit arithmetic against a Bulirsch–Stoer reference at 1e-40, and work–precision sets in double.
const measure::Study& order_study(const Context& ctx);

}  // namespace normdyn::checks::order_convergence
