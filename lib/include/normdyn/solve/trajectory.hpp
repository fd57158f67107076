// solve(problem, method, sampling) → trajectory: the one entry point that joins the values of
// architecture.md ("Data flows one way, as values"). Every command, claim, benchmark and test that integrates
// a model::Problem calls it; solve(field, …) of solver.hpp stays the lower level for other vector fields.
#pragma once

#include "normdyn/model/problem.hpp"
#include "normdyn/solve/method.hpp"
#include "normdyn/solve/solver.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace normdyn::solve {

/// When to record and what.
struct Sampling {
    std::size_t samples = 101;             ///< equally spaced times in [t0, t_end], both included (1: t_end only)
    std::vector<double> times;             ///< instead of samples: these output times, increasing, in [t0, t_end]
                                           ///< (t_end is added when missing)
    std::vector<std::string> observables;  ///< columns to record besides "t"; empty: every one of the system's;
                                           ///< {"t"}: none (with states, the states alone)
    bool states = false;                   ///< keep the state at every sample too
};

/// The observables a system's samples can carry, in order, "t" first:
/// particles: t, gamma_min, gamma_mean, gamma_max, spread, var, energy, radius_mean, radius_min, speed_max,
///            clusters, norm_drift (measure/observables.hpp);
/// equiangular: t, gamma, one_minus_gamma (= u, full relative accuracy as γ → 1), gamma_dot, r.
const std::vector<std::string>& observable_names(model::SystemKind system);
/// Throws std::invalid_argument naming --observables and the allowed names when one of `wanted` is not an
/// observable of the system (solve() checks the same; this lets a caller refuse before any work).
void check_observables(model::SystemKind system, const std::vector<std::string>& wanted);
/// Whether a column holds a count (clusters), written as an integer.
bool is_count_column(std::string_view name);

template <class T> struct Trajectory {
    SolveStatus status = SolveStatus::done;
    T t_reached = 0;
    std::string reason;                   ///< empty when done
    SolveStats stats;
    std::vector<std::string> columns;     ///< "t", then the sampled observables
    std::vector<std::vector<T>> rows;     ///< one per sample, in the order of columns; at the output times and,
                                          ///< for a partial run, at t_reached
    std::vector<State<T>> states;         ///< the state at each row (Sampling::states)
    std::vector<T> final_state;           ///< the state at t_reached

    /// The values of one column over the rows; throws std::invalid_argument for an unknown name.
    std::vector<T> column(std::string_view name) const;
};

/// The output times of `samples` equally spaced samples in [t0, t_end], both ends included and t_end exact.
template <class T> std::vector<T> sample_times(const T& t0, const T& t_end, std::size_t samples);

/// Integrates the problem with the method, recording the sampling's observables at its times. Throws
/// std::invalid_argument (naming the parameter as its command-line flag) for a problem, method or sampling
/// that cannot be set up. A run that stops early returns status partial with t_reached and the reason,
/// its rows up to there and the row at t_reached; a state where an observable finds the field singular
/// ends the rows there with that reason. Any other error returns status failed with what was recorded.
template <class T> Trajectory<T> solve(const model::Problem<T>& problem, const Method& method, const Sampling& sampling);

}  // namespace normdyn::solve
