// The one module that knows Boost.Odeint: steppers by name, fixed or adaptive stepping, exact stops at
// output times and breakpoints, statistics, and an honest status (never a silent NaN).
#pragma once

#include "normdyn/model/vector_field.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace normdyn::solve {

/// taylor: the Taylor-series method of solve/taylor.hpp (order and step from the tolerance), for the
/// model's equiangular and n-particle systems.
enum class Stepper { euler, rk4, cash_karp54, dopri5, rkf78, bulirsch_stoer, taylor };

std::string to_string(Stepper stepper);
/// Throws std::invalid_argument naming the allowed steppers.
Stepper parse_stepper(std::string_view name);
/// Classical order of the method (Bulirsch–Stoer and Taylor: variable, reported as 0).
int nominal_order(Stepper stepper);
/// Whether the stepper has an error estimate (euler and rk4 are fixed-step only).
bool has_error_estimate(Stepper stepper);
/// Whether the stepper can take fixed steps (Bulirsch–Stoer and Taylor cannot).
bool has_fixed_step(Stepper stepper);

template <class T> struct SolveOptions {
    Stepper stepper = Stepper::dopri5;
    T dt = 0;              ///< > 0: fixed step; 0: adaptive
    T rtol = T(1e-10);     ///< adaptive: per component, max norm: |err_i| ≤ atol + rtol |x_i|
    T atol = T(1e-12);
    T initial_dt = 0;      ///< adaptive: first trial step (0: chosen from |x| and |f(x)|)
    std::vector<T> output_times;     ///< increasing, within [t0, t_end]; t_end is always the last stop
    bool stop_at_breakpoints = true; ///< false only to demonstrate what a discontinuity does to the order
    std::size_t max_steps = 100'000'000;
};

struct SolveStats {
    std::size_t steps = 0;
    std::size_t rejected = 0;
    std::size_t rhs_evals = 0;  ///< taylor: passes over the tape (one per Taylor coefficient per step)
    double wall_s = 0;
};

enum class SolveStatus { done, partial };
std::string to_string(SolveStatus status);

template <class T> struct Solution {
    SolveStatus status = SolveStatus::done;
    T t_reached = 0;
    std::string reason;           ///< empty when done
    std::vector<T> final_state;   ///< the state at t_reached (always finite)
    SolveStats stats;
};

/// Called at t0, at every output time reached, and at t_reached.
template <class T> using Observer = std::function<void(const T& t, const std::vector<T>& x)>;

/// Integrates field from (t0, x0) to t_end. On a non-finite state, a step-size underflow, a field
/// singularity or the step limit it stops with status partial, t_reached and the reason, and
/// final_state is the last good state.
template <class T>
Solution<T> solve(model::VectorField<T>& field, std::vector<T> x0, const T& t0, const T& t_end,
                  const SolveOptions<T>& options, const Observer<T>& observer = {});

}  // namespace normdyn::solve
