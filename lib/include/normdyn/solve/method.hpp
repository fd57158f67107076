// A method as a value (architecture: "Method"): the stepper, its step control and tolerances with their
// norm, the arithmetic, and the limits. Its defaults follow the precision: a run that asks for N digits
// and names no stepper or tolerance gets a method that reaches about N digits.
#pragma once

#include "normdyn/scalar.hpp"
#include "normdyn/solve/solver.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace normdyn::solve {

/// The arithmetic of a run: a scalar type of fixed precision by its scalar_name(), or "mpfr" with `digits`
/// decimal digits (MPFR at run-time precision, --digits N).
struct Precision {
    std::string name = "double";
    unsigned digits = 0;  ///< "mpfr" only

    /// The decimal digits the arithmetic carries (numeric_limits<T>::digits10; N for "mpfr").
    unsigned decimal_digits() const;
    /// "double", "mp50", or "mpfr (60 digits)".
    std::string describe() const;
};

/// The names a Precision may carry besides "mpfr": every scalar type the library instantiates whose precision
/// is fixed by the type.
std::vector<std::string> precision_names();

struct Method {
    Stepper stepper = Stepper::dopri5;
    std::string dt;             ///< fixed step, as decimal text read at the run's precision; empty: adaptive
    std::string rtol = "1e-10"; ///< adaptive: |err_i| ≤ atol + rtol |x_i| per component, in error_norm
    std::string atol = "1e-12";
    ErrorNorm error_norm = ErrorNorm::max;
    Precision precision;
    std::size_t max_steps = 100'000'000;
    bool stop_at_breakpoints = true;  ///< false only to show what a discontinuity does to the order
    std::function<bool()> interrupted;  ///< polled before every step (SolveOptions::interrupted); empty: never

    bool fixed_step() const { return !dt.empty(); }
    /// Throws std::invalid_argument naming the flag when the method cannot run: dop853 beyond long double,
    /// a fixed step for a stepper without one, an adaptive run of a fixed-step-only stepper, the rms norm
    /// where only max is controlled.
    void validate() const;
};

/// The defaults of a run's method, for what the run does not name:
/// - the stepper: dopri5 in double; for an extended precision (long double, float128, MPFR) the Taylor method
///   (order and step from the tolerance, solve/taylor.hpp);
/// - the tolerances: for Taylor and Bulirsch–Stoer in an extended precision of N decimal digits,
///   rtol = atol = 10^−(N−2), which reaches about N digits; otherwise rtol 1e-10, atol 1e-12 (a low-order
///   method at 10^−58 would take ~10^11 steps);
/// - the max norm, no step limit but max_steps.
/// `stepper`: the one the run named, if any.
Method default_method(const Precision& precision, std::optional<Stepper> stepper = std::nullopt);

/// The options of solve(field, …) for this method at scalar T (tolerances read in T); no output times.
template <class T> SolveOptions<T> solve_options(const Method& method) {
    SolveOptions<T> options;
    options.stepper = method.stepper;
    if (method.fixed_step()) options.dt = from_string<T>(method.dt);
    options.rtol = from_string<T>(method.rtol);
    options.atol = from_string<T>(method.atol);
    options.error_norm = method.error_norm;
    options.max_steps = method.max_steps;
    options.stop_at_breakpoints = method.stop_at_breakpoints;
    options.interrupted = method.interrupted;
    return options;
}

}  // namespace normdyn::solve
