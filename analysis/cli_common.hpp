// What every subcommand of `normdyn` shares (architecture: "Command line"): the shared flags, their
// validation into a RunConfig, the precision dispatch, provenance, and the integrate-and-sample loop that
// turns a vector field into a summary document.
#pragma once

#include "output.hpp"

#include "normdyn/model/init.hpp"
#include "normdyn/model/scheme.hpp"
#include "normdyn/model/vector_field.hpp"
#include "normdyn/report/json.hpp"
#include "normdyn/scalar.hpp"
#include "normdyn/solve/solver.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace normdyn::cli {

/// An argument or input file the run cannot accept: one line on stderr, exit code 2, no files.
class BadInput : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Exit codes of the contract.
enum ExitCode : int { exit_done = 0, exit_failed = 1, exit_bad_input = 2, exit_partial = 3 };

/// A subcommand, once its flags are parsed: runs and returns the exit code. Its argument is the full
/// command line, for provenance.
using CommandRunner = std::function<int(const std::string& command_line)>;
/// Registers a subcommand's flags on `command` and returns what runs it.
using CommandSetup = CommandRunner (*)(CLI::App& command);

/// The shared flags as typed. Reals stay text until the scalar type is known, so that extended precisions
/// read "0.1" at their own precision rather than through double.
struct SharedFlags {
    std::string scheme = "post-ln";
    long long n = 32;
    long long d = 16;
    std::string beta = "1", r0 = "1", tau = "1", alpha = "1";
    std::string init = "default";
    std::uint64_t seed = 0;
    std::string t_end = "10";
    std::string stepper = "dopri5";
    std::string dt, rtol = "1e-10", atol = "1e-12";
    std::string error_norm = "max";
    std::string precision = "double";
    long long digits = 0;  ///< --digits N: MPFR with N decimal digits (0: not given)
    long long samples = 101;
    std::string out;
    bool json = false;
};

/// Which of the shared flags a subcommand takes: the equiangular reduction has no --d, --init or --seed
/// (its start is the orthonormal one, in any d ≥ n).
enum class Positions { free, orthonormal_only };

void add_shared_flags(CLI::App& command, SharedFlags& flags, Positions positions);

/// A validated run: every field is within its allowed range.
struct RunConfig {
    std::string command;  ///< "simulate", "equiangular", ...
    model::SchemeKind scheme = model::SchemeKind::post_ln;
    std::size_t n = 0, d = 0;
    std::string beta, r0, tau, alpha, t_end, dt, rtol, atol;  ///< decimal text (dt empty: adaptive)
    Positions positions = Positions::free;
    model::InitSpec init;  ///< scheme_default resolved to the scheme's start
    std::uint64_t seed = 0;
    solve::Stepper stepper = solve::Stepper::dopri5;
    solve::ErrorNorm error_norm = solve::ErrorNorm::max;  ///< adaptive steps: how per-component errors combine
    std::string precision;  ///< a scalar_name(); "mpfr" when --digits N is given
    unsigned digits = 0;    ///< N of --digits N (precision "mpfr"), else 0
    std::size_t samples = 0;
    std::string out;  ///< empty: no files
    bool json = false;
    std::string command_line;

    bool fixed_step() const { return !dt.empty(); }
};

/// Checks every shared flag of `command` (as parsed into `flags`); throws BadInput naming the argument
/// and what is allowed. Reads a file: init to take n and d from it.
RunConfig validate(const CLI::App& command, const SharedFlags& flags, Positions positions,
                   const std::string& command_line);

/// The names --precision accepts: every scalar type the library instantiates whose precision is fixed by
/// its type (the run-time MPFR precision, "mpfr", is chosen with --digits N instead).
std::vector<std::string> precision_names();

/// The largest N --digits accepts.
inline constexpr long long max_digits = 100000;

/// Calls run.template operator()<T>() for the scalar type named `precision`. The list is the library's
/// NORMDYN_FOR_EACH_SCALAR: a type added there is accepted here with no other change. For "mpfr" the
/// run-time precision is set to `digits` first, before any value of the type exists.
template <class Run> auto with_precision(const std::string& precision, Run&& run, unsigned digits = 0) {
    if (precision == scalar_name<mp_digits>()) {
        if (digits == 0) throw BadInput("--precision mpfr: give the number of digits with --digits N");
        set_runtime_digits(digits);
    }
#define NORMDYN_CLI_RUN_IF_NAMED(T) \
    if (precision == scalar_name<T>()) return run.template operator()<T>();
    NORMDYN_FOR_EACH_SCALAR(NORMDYN_CLI_RUN_IF_NAMED)
#undef NORMDYN_CLI_RUN_IF_NAMED
    throw BadInput("--precision: unknown precision '" + precision + "'");
}

/// The part of params every command shares; reals in T's representation (report/json.hpp).
template <class T> report::Json shared_params(const RunConfig& config) {
    using report::real_to_json;
    report::Json params;
    params["scheme"] = model::to_string(config.scheme);
    params["n"] = config.n;
    if (config.positions == Positions::free) params["d"] = config.d;
    params["beta"] = real_to_json(from_string<T>(config.beta));
    params["r0"] = real_to_json(from_string<T>(config.r0));
    params["tau"] = real_to_json(from_string<T>(config.tau));
    params["alpha"] = real_to_json(from_string<T>(config.alpha));
    params["init"] = model::to_string(config.init);
    if (config.positions == Positions::free) params["seed"] = config.seed;
    params["t_end"] = real_to_json(from_string<T>(config.t_end));
    params["stepper"] = solve::to_string(config.stepper);
    params["step_control"] = config.fixed_step() ? "fixed" : "adaptive";
    if (config.fixed_step()) {
        params["dt"] = real_to_json(from_string<T>(config.dt));
    } else {
        params["rtol"] = real_to_json(from_string<T>(config.rtol));
        params["atol"] = real_to_json(from_string<T>(config.atol));
        params["error_norm"] = solve::to_string(config.error_norm);
    }
    params["samples"] = config.samples;
    params["precision"] = config.precision;
    if (config.digits > 0) params["digits"] = config.digits;
    return params;
}

/// Version, git commit, compiler and flags, library versions, the command line and the seed.
report::Json provenance(const RunConfig& config);

template <class T> model::Scheme<T> make_scheme(const RunConfig& config) {
    return model::make_scheme<T>(config.scheme, from_string<T>(config.tau), from_string<T>(config.alpha));
}

/// The sample times: `samples` equally spaced times in [0, t_end], both ends included (one sample: t_end).
template <class T> std::vector<T> output_times(const RunConfig& config) {
    const T t_end = from_string<T>(config.t_end);
    std::vector<T> times;
    const std::size_t intervals = config.samples - 1;
    for (std::size_t i = 0; i < intervals; ++i) {
        const T t = t_end * T(i) / T(intervals);
        if (times.empty() || t > times.back()) times.push_back(t);
    }
    if (times.empty() || t_end > times.back()) times.push_back(t_end);  // exactly t_end, free of rounding
    return times;
}

template <class T> solve::SolveOptions<T> solve_options(const RunConfig& config) {
    solve::SolveOptions<T> options;
    options.stepper = config.stepper;
    if (config.fixed_step()) options.dt = from_string<T>(config.dt);
    options.rtol = from_string<T>(config.rtol);
    options.atol = from_string<T>(config.atol);
    options.error_norm = config.error_norm;
    options.output_times = output_times<T>(config);
    return options;
}

/// One row of observables (column name → JSON value) at a state; may throw model::FieldSingularity.
template <class T> using Sampler = std::function<report::Json(const T& t, std::span<const T> x)>;

/// Integrates `field` from x0 over [0, t_end], sampling a row (with the given columns) at every output
/// time and, when the run stops early, at t_reached. Returns the summary: params, provenance, status,
/// t_reached, reason, stats, final and series. A state where the sampler finds the field singular ends
/// the series there (the solver stops at the same state for the same reason).
template <class T>
report::Json integrate_and_sample(const RunConfig& config, report::Json params, model::VectorField<T>& field,
                                  std::span<const T> x0, const std::vector<std::string>& columns,
                                  const Sampler<T>& sample) {
    const auto options = solve_options<T>(config);
    Series series(columns);
    report::Json off_grid_row;  // the latest row sampled outside the output times (t_reached of a partial run)
    std::string singular_reason;
    T singular_time = 0;
    const solve::Observer<T> observer = [&](const T& t, std::span<const T> x) {
        if (!singular_reason.empty()) return;
        try {
            auto row = sample(t, x);
            const bool on_grid = std::binary_search(options.output_times.begin(), options.output_times.end(), t);
            if (on_grid) series.append(row);
            else off_grid_row = std::move(row);
        } catch (const model::FieldSingularity& e) {
            singular_reason = e.what();
            singular_time = t;
        }
    };
    solve::Solution<T> solution;
    RunOutcome outcome;
    try {
        solution = solve::solve<T>(field, x0, T(0), from_string<T>(config.t_end), options, observer);
    } catch (const std::invalid_argument& e) {
        throw BadInput(e.what());
    } catch (const std::exception& e) {  // not a stop the solver knows: keep what was sampled
        outcome.status = "failed";
        outcome.reason = e.what();
        report::Json t_reached = series.rows() > 0 ? series.last_row().at("t") : report::real_to_json(T(0));
        return summary_document(std::move(params), provenance(config), outcome, t_reached, series);
    }
    outcome.status = solve::to_string(solution.status);
    outcome.reason = solution.reason;
    report::Json t_reached = report::real_to_json(solution.t_reached);
    if (solution.status == solve::SolveStatus::partial && !off_grid_row.is_null())
        series.append(off_grid_row);  // the state the run stopped at, kept
    if (!singular_reason.empty() && (solution.status == solve::SolveStatus::done || singular_time < solution.t_reached)) {
        outcome.status = solve::to_string(solve::SolveStatus::partial);
        outcome.reason = singular_reason;
        t_reached = report::real_to_json(singular_time);
    }
    outcome.stats = solution.stats;
    return summary_document(std::move(params), provenance(config), outcome, t_reached, series);
}

/// One line on stderr naming the command and the problem; returns exit code 2.
int report_bad_input(const std::string& command, const std::string& message);

/// Runs a command's body: BadInput (or std::invalid_argument from the library's setup) becomes one line on
/// stderr and exit code 2 with no files; otherwise the summary goes to --out, stdout (--json) or a short
/// human summary, and the exit code follows its status (0 done, 3 partial, 1 failed).
int run_guarded(const RunConfig& config, const std::function<report::Json()>& body);

/// Validates the shared flags, then runs body.template operator()<T>(config) -> report::Json at the
/// precision the flags name, through run_guarded.
template <class Body>
int run_command(const CLI::App& command, const SharedFlags& flags, Positions positions,
                const std::string& command_line, Body&& body) {
    RunConfig config;
    try {
        config = validate(command, flags, positions, command_line);
    } catch (const BadInput& e) {
        return report_bad_input(command.get_name(), e.what());
    }
    return run_guarded(config, [&] {
        return with_precision(
            config.precision, [&]<class T>() { return body.template operator()<T>(config); }, config.digits);
    });
}

}  // namespace normdyn::cli
