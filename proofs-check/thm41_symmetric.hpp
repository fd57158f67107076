// Theorem 4.1's studies (thm41_symmetric.cpp), which its claims measure and the report's figures 1–4 draw.
#pragma once

#include "check.hpp"
#include "predictions.hpp"

#include "normdyn/measure/fit.hpp"
#include "normdyn/solve/solver.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace normdyn::checks::theorem41 {

struct Regime {
    double beta;
    std::size_t n;
    std::string tag() const;   ///< "beta5-n256"
    std::string text() const;  ///< "beta = 5, n = 256"
};

/// The paper's symmetric experiment (spec §7): the regime figures 1, 3 and 4 show.
inline constexpr Regime paper_regime{5, 256};
inline constexpr double tau = 1, alpha = 0.5;  ///< Mix-LN's switch, nGPT's step

inline constexpr const char* gamma_figure = "fig1_symmetric_gamma";
inline constexpr const char* initial_velocity_figure = "fig2_initial_velocity";
inline constexpr const char* terminal_figure = "fig3_terminal_rates";
inline constexpr const char* radius_figure = "fig4_radius_over_t";

/// The equiangular system (spec §4) in u = 1 − γ from the orthonormal start, r0 = 1, sampled on a grid
/// neutral between the three decay laws (t > 0 only).
struct EquiangularRun {
    std::vector<double> t, u, r;
    solve::Solution<double> solution;
};

/// One scheme's terminal law: the run at rtol 1e-12 and its fit, and the same at rtol 1e-9 (the fitted
/// rate must not depend on the integration error).
struct TerminalStudy {
    DecayPrediction predicted;
    double t_end = 0;
    EquiangularRun tight, loose;
    measure::DecayFit fit, fit_loose;
};
const TerminalStudy& terminal_study(const Context& ctx, model::SchemeKind kind, Regime regime);

/// dγ/dt at t = 0 measured on the full n-particle vector field at x_j = r0 e_j (d = n): the mean over
/// pairs j ≠ k of <dθ_j/dt, θ_k> + <θ_j, dθ_k/dt>, with dθ_j/dt recovered from dx_j/dt.
double measured_initial_velocity(const Context& ctx, model::SchemeKind kind, std::size_t n, double beta, double r0);

/// The initial velocity against β (n = 64) and against n (β = 5), r0 = 1, every scheme: figure 2.
struct InitialVelocitySweep {
    struct Point {
        model::SchemeKind kind;
        std::size_t n;
        double beta, measured, predicted;
    };
    std::size_t n_fixed = 64;
    double beta_fixed = 5;
    std::vector<Point> by_beta, by_n;
    double worst_relative_deviation = 0;
};
const InitialVelocitySweep& initial_velocity_sweep(const Context& ctx);

}  // namespace normdyn::checks::theorem41
