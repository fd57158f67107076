// The one module that knows Boost.Odeint: steppers by name, fixed or adaptive stepping, exact stops at
// breakpoints, output times (by dense output where the stepper has one: dop853's steps are never shortened
// by them; the others land on each), statistics, and an honest status (never a silent NaN).
#pragma once

#include "normdyn/model/vector_field.hpp"

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normdyn::solve {

/// dop853: Hairer's Dormand–Prince 8(5,3), the method of dop853.f and of SciPy's solve_ivp(method="DOP853")
/// (12 stages and FSAL, an 8th-order step, error from the 5th- and 3rd-order estimates combined); its
/// coefficients are given to 30 digits, so only double and long double run it.
/// taylor: the Taylor-series method of solve/taylor.hpp (order and step from the tolerance), for the
/// model's equiangular and n-particle systems.
enum class Stepper { euler, rk4, cash_karp54, dopri5, rkf78, dop853, bulirsch_stoer, taylor };

std::string to_string(Stepper stepper);
/// Throws std::invalid_argument naming the allowed steppers.
Stepper parse_stepper(std::string_view name);
/// Classical order of the method (Bulirsch–Stoer and Taylor: variable, reported as 0).
int nominal_order(Stepper stepper);
/// Whether the stepper has an error estimate (euler and rk4 are fixed-step only).
bool has_error_estimate(Stepper stepper);
/// Whether the stepper can take fixed steps (Bulirsch–Stoer and Taylor cannot).
bool has_fixed_step(Stepper stepper);

/// How an adaptive step's error estimate err is measured against the tolerances, with the scale
/// sc_i = atol + rtol |x_i| (dop853: atol + rtol max(|x_i|, |x_new_i|), as Hairer and SciPy):
///   max: max_i |err_i| / sc_i                     (every component within its tolerance);
///   rms: sqrt(mean_i (err_i / sc_i)²)              (the norm of Hairer's codes, SciPy and
///        DifferentialEquations.jl: looser than max by up to sqrt(N) for N components).
/// A step is accepted when the norm is at most 1. Bulirsch–Stoer and Taylor control the max norm only.
enum class ErrorNorm { max, rms };

std::string to_string(ErrorNorm norm);
/// Throws std::invalid_argument naming the allowed norms.
ErrorNorm parse_error_norm(std::string_view name);

template <class T> struct SolveOptions {
    Stepper stepper = Stepper::dopri5;
    T dt = 0;              ///< > 0: fixed step; 0: adaptive
    T rtol = T(1e-10);     ///< adaptive: per component, in error_norm: |err_i| ≤ atol + rtol |x_i| for max
    T atol = T(1e-12);
    ErrorNorm error_norm = ErrorNorm::max;  ///< adaptive: how the per-component errors are combined
    T initial_dt = 0;      ///< adaptive: first trial step (0: chosen from |x| and |f(x)|)
    std::vector<T> output_times;     ///< increasing, within [t0, t_end]; t_end is always the last stop. Adaptive
                                     ///< dop853 fills them from its continuous extension; others stop there
    bool stop_at_breakpoints = true; ///< false only to demonstrate what a discontinuity does to the order
    std::size_t max_steps = 100'000'000;
    /// Polled before every step when set; true stops the run as partial with the reason "interrupted" (a caller's
    /// cancellation, e.g. Ctrl-C in the Python module), keeping what was computed.
    std::function<bool()> interrupted;
};

struct SolveStats {
    std::size_t steps = 0;
    std::size_t rejected = 0;
    std::size_t rhs_evals = 0;  ///< taylor: passes over the tape (one per Taylor coefficient per step)
    double wall_s = 0;
};

/// done: t_end reached; partial: stopped early with a reason, keeping what it computed; failed: an error the
/// solver does not know as a stop (kept for the trajectory's record, never returned by solve() on a field).
enum class SolveStatus { done, partial, failed };
std::string to_string(SolveStatus status);

template <class T> struct Solution {
    SolveStatus status = SolveStatus::done;
    T t_reached = 0;
    std::string reason;           ///< empty when done
    std::vector<T> final_state;   ///< the state at t_reached (always finite)
    SolveStats stats;
};

/// Called at t0, at every output time reached, and at t_reached.
template <class T> using Observer = std::function<void(const T& t, std::span<const T> x)>;

/// Integrates field from (t0, x0) to t_end. On a non-finite state, a step-size underflow, a field
/// singularity or the step limit it stops with status partial, t_reached and the reason, and
/// final_state is the last good state. Throws std::invalid_argument for a setup it cannot run (a fixed
/// step without a fixed-step mode, dop853 beyond long double, the rms norm with Bulirsch–Stoer or Taylor, ...).
/// x0 from any contiguous range: a std::vector, a model::State, an Eigen matrix's data, ...
template <class T>
Solution<T> solve(model::VectorField<T>& field, std::span<const T> x0, const T& t0, const T& t_end,
                  const SolveOptions<T>& options, const Observer<T>& observer = {});

/// x0 as a braced list.
template <class T>
Solution<T> solve(model::VectorField<T>& field, std::initializer_list<T> x0, const T& t0, const T& t_end,
                  const SolveOptions<T>& options, const Observer<T>& observer = {}) {
    return solve<T>(field, std::span<const T>(x0.begin(), x0.size()), t0, t_end, options, observer);
}

}  // namespace normdyn::solve
