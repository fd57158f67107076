// The peers' numerics (peers_numerics.cpp, spec §9): the step ladder of projected forward Euler and of the
// toolkit's steppers on one problem, which its claims measure and the report's figure 8 draws.
#pragma once

#include "check.hpp"

#include "normdyn/measure/fit.hpp"
#include "normdyn/solve/solver.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace normdyn::checks::peers {

inline constexpr const char* ladder_figure = "fig8_peers_error_vs_dt";

/// Post-LN, n = 16, d = 8, β = 1, seeded uniform start, t = 12.8 (128 steps of 0.1: every step of the ladder
/// 0.1 · 2^k divides it); error = the largest component difference at t from a long-double
/// Bulirsch–Stoer reference (rtol 1e-18).
struct LadderStudy {
    struct Method {
        std::string name;
        solve::Stepper stepper;
        bool projected;  ///< projected forward Euler, as public scripts run it
        double nominal;
        std::vector<double> steps, errors, rhs_evals;
        measure::OrderFit order;
    };
    struct Adaptive {
        double rtol, error;
        std::size_t rhs_evals;
    };
    std::vector<Method> methods;    ///< projected Euler first
    std::vector<Adaptive> adaptive; ///< dopri5 at rtol 1e-4 … 1e-12
};
const LadderStudy& ladder_study(const Context& ctx);

}  // namespace normdyn::checks::peers
