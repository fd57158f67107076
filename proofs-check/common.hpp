// Helpers the check families share: output-time grids, integration with every output state kept, the
// geometry of a state (directions, spread, Var) and the text of a decay fit.
#pragma once

#include "check.hpp"

#include "normdyn/measure/fit.hpp"
#include "normdyn/model/attention.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/problem.hpp"
#include "normdyn/model/vector_field.hpp"
#include "normdyn/solve/solver.hpp"
#include "normdyn/solve/trajectory.hpp"

#include <cstddef>
#include <string>
#include <span>
#include <vector>

namespace normdyn::checks::detail {

using Matrix = model::RowMatrix<double>;

/// An initial-condition spec of the given kind (and cone δ).
inline model::InitSpec init_spec(model::InitKind kind, double delta = 0) {
    model::InitSpec spec;
    spec.kind = kind;
    spec.delta = delta;
    return spec;
}

/// count log-spaced times from t_lo to t_hi (both included).
std::vector<double> log_times(double t_lo, double t_hi, std::size_t count);
/// A grid neutral between the three decay laws: the union of count times equally spaced in t, in sqrt(t+1)
/// and in log t over (0, t_end], sorted, t_end last.
std::vector<double> law_neutral_times(double t_end, std::size_t count);

/// The states at t0 = 0 and at every output time reached (the solver's observer), and how the run ended.
struct Sampled {
    std::vector<double> t;
    std::vector<std::vector<double>> x;
    solve::Solution<double> solution;
    bool done() const { return solution.status == solve::SolveStatus::done; }
};

/// The problem integrated by solve(problem, method, sampling) with dopri5 at the given per-component max-norm
/// tolerances from t0 = 0 to times.back(), keeping the state at t = 0 and at every time. At most max_steps
/// steps: a model broken on purpose may need step sizes the honest one does not (then status partial).
Sampled integrate(const model::Problem<double>& problem, const std::vector<double>& times, double rtol, double atol,
                  std::size_t max_steps = 400'000);
/// The problem of a system with identity weights, from the start x0 (n × d), for integrate().
model::Problem<double> particles(const model::Scheme<double>& scheme, double beta, const Matrix& x0);
/// The equiangular reduction's problem (n tokens, r0 = 1), for integrate().
model::Problem<double> equiangular(const model::Scheme<double>& scheme, std::size_t n, double beta);

/// The n × d state viewed as a matrix, and its rows normalised (θ_j = x_j/|x_j|).
Matrix positions(const std::vector<double>& x, std::size_t n, std::size_t d);
Matrix directions(const Matrix& positions);
std::vector<double> flatten(const Matrix& m);
/// max over pairs of 1 − <θ_j, θ_k>, as |θ_j − θ_k|²/2 (no cancellation, spec §8).
double spread(const Matrix& directions);
/// Var = (1/n) Σ |θ_k − θ̄|² (spec §5, Theorem 4.3), summed directly.
double variance(const Matrix& directions);
/// dθ_j/dt = (ẋ_j − <θ_j, ẋ_j> θ_j)/r_j from the ambient velocity.
Matrix direction_velocities(const Matrix& positions, const Matrix& velocities);

/// %.*g formatting.
std::string format(double x, int digits = 4);
/// "law (rate [lo, hi]) on [t_lo, t_hi], n points; rss: exp …, power …, stretched …".
std::string describe(const measure::DecayFit& fit);
/// Half-width of the best law's 95 % interval.
double half_width(const measure::LawFit& fit);

/// The winning-law-and-rate verdict of a decay fit: pass when the winning law is `law` and its rate is
/// within tolerance of `rate`.
report::Verdict law_and_rate(const measure::DecayFit& fit, measure::DecayLaw law, double rate, double tolerance);

}  // namespace normdyn::checks::detail
