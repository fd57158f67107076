// What every subcommand of `normdyn` shares (architecture: "Command line"): the shared flags, their
// validation into a RunConfig, which makes the library's values (model::Problem, solve::Method,
// solve::Sampling), the precision dispatch, provenance, and the summary document of a solve::Trajectory.
#pragma once

#include "flags.hpp"
#include "output.hpp"

#include "normdyn/model/init.hpp"
#include "normdyn/model/scheme.hpp"
#include "normdyn/model/vector_field.hpp"
#include "normdyn/report/json.hpp"
#include "normdyn/scalar.hpp"
#include "normdyn/model/problem.hpp"
#include "normdyn/solve/method.hpp"
#include "normdyn/solve/solver.hpp"
#include "normdyn/solve/trajectory.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace normdyn::cli {

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
    std::string observables;  ///< comma list; empty: every one
    std::string out;
    bool json = false;
    // The attention's weights, heads and mask (add_attention_flags; model/attention_weights.hpp).
    std::string q = "identity", k = "identity", v = "identity", weights;
    std::string weight_std = "1";
    long long heads = 1;
    bool causal = false;
};

/// Which of the shared flags a subcommand takes: the equiangular reduction has no --d, --init or --seed
/// (its start is the orthonormal one, in any d ≥ n).
enum class Positions { free, orthonormal_only };

void add_shared_flags(CLI::App& command, SharedFlags& flags, Positions positions);
/// --q, --k, --v, --weights, --weight-std, --heads, --causal: the attention of a particle problem (simulate,
/// sweep). Where they are not registered, validate() keeps Q = K = V = I, one head, no mask.
void add_attention_flags(CLI::App& command, SharedFlags& flags);

/// Empty when the run meets the theorems' hypotheses on the attention (Q = K = V = I, one head, no mask);
/// otherwise a sentence saying which is not met, for the summary's "hypotheses" key.
std::string attention_hypotheses(const model::ProblemText& problem);

/// A validated run: every field is within its allowed range.
/// The problem's part (scheme, n, d, reals as decimal text, start, seed) is the library's model::ProblemText.
struct RunConfig : model::ProblemText {
    std::string command;  ///< "simulate", "equiangular", ...
    Positions positions = Positions::free;
    solve::Method method;  ///< stepper, step control, tolerances, norm and precision, defaults resolved
    std::size_t samples = 0;
    std::vector<std::string> observables;  ///< the series' columns besides t; empty: every observable
    std::string out;  ///< empty: no files
    bool json = false;
    std::string command_line;
};

/// Checks every shared flag of `command` (as parsed into `flags`); throws BadInput naming the argument
/// and what is allowed. Reads a file: init to take n and d from it.
RunConfig validate(const CLI::App& command, const SharedFlags& flags, Positions positions,
                   const std::string& command_line);

/// The largest N --digits accepts.
inline constexpr long long max_digits = 100000;

/// Calls run.template operator()<T>() for the scalar type of `precision`. The list is the library's
/// NORMDYN_FOR_EACH_SCALAR: a type added there is accepted here with no other change. For "mpfr" the
/// run-time precision is set to its digits first, before any value of the type exists.
template <class Run> auto with_precision(const solve::Precision& precision, Run&& run) {
    if (precision.name == scalar_name<mp_digits>()) {
        if (precision.digits == 0) throw BadInput("--precision mpfr: give the number of digits with --digits N");
        set_runtime_digits(precision.digits);
    }
#define NORMDYN_CLI_RUN_IF_NAMED(T) \
    if (precision.name == scalar_name<T>()) return run.template operator()<T>();
    NORMDYN_FOR_EACH_SCALAR(NORMDYN_CLI_RUN_IF_NAMED)
#undef NORMDYN_CLI_RUN_IF_NAMED
    throw BadInput("--precision: unknown precision '" + precision.name + "'");
}

/// The method as it ran: stepper, step control, dt or the tolerances and their norm, precision (and digits).
template <class T> report::Json method_params(const solve::Method& method) {
    using report::real_to_json;
    report::Json params;
    params["stepper"] = solve::to_string(method.stepper);
    params["step_control"] = method.fixed_step() ? "fixed" : "adaptive";
    if (method.fixed_step()) {
        params["dt"] = real_to_json(from_string<T>(method.dt));
    } else {
        params["rtol"] = real_to_json(from_string<T>(method.rtol));
        params["atol"] = real_to_json(from_string<T>(method.atol));
        params["error_norm"] = solve::to_string(method.error_norm);
    }
    params["precision"] = method.precision.name;
    if (method.precision.digits > 0) params["digits"] = method.precision.digits;
    return params;
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
    if (config.positions == Positions::free) {
        params["q"] = model::to_string(config.weights[0]);
        params["k"] = model::to_string(config.weights[1]);
        params["v"] = model::to_string(config.weights[2]);
        if (std::any_of(config.weights.begin(), config.weights.end(),
                        [](const auto& spec) { return spec.kind == model::WeightKind::random; }))
            params["weight_std"] = real_to_json(from_string<double>(config.weight_std));
        params["heads"] = config.heads;
        params["causal"] = config.causal;
    }
    params["t_end"] = real_to_json(from_string<T>(config.t_end));
    params["samples"] = config.samples;
    if (!config.observables.empty()) params["observables"] = config.observables;
    report::Json method = method_params<T>(config.method);
    params.update(method);
    return params;
}

/// Version, git commit, compiler and flags, library versions, the command line and the seed.
report::Json provenance(const RunConfig& config);

/// The problem the flags describe, at scalar T.
template <class T> model::Problem<T> make_problem(const RunConfig& config, model::SystemKind system) {
    model::ProblemText text = config;
    text.system = system;
    return text.at<T>();
}

inline solve::Sampling make_sampling(const RunConfig& config) {
    solve::Sampling sampling;
    sampling.samples = config.samples;
    sampling.observables = config.observables;
    return sampling;
}

/// The summary document of a trajectory: params, provenance, status, t_reached, reason, stats, final, series.
template <class T>
report::Json trajectory_summary(const RunConfig& config, report::Json params, const solve::Trajectory<T>& trajectory) {
    Series series(trajectory.columns);
    for (const auto& values : trajectory.rows) {
        report::Json row;
        for (std::size_t i = 0; i < values.size(); ++i)
            row[trajectory.columns[i]] = solve::is_count_column(trajectory.columns[i])
                                             ? report::Json(static_cast<std::size_t>(to_double(values[i])))
                                             : report::real_to_json(values[i]);
        series.append(row);
    }
    RunOutcome outcome;
    outcome.status = solve::to_string(trajectory.status);
    outcome.reason = trajectory.reason;
    outcome.stats = trajectory.stats;
    report::Json summary = summary_document(std::move(params), provenance(config), outcome,
                                            report::real_to_json(trajectory.t_reached), series);
    if (const std::string note = attention_hypotheses(config); !note.empty()) summary["hypotheses"] = note;
    return summary;
}

/// Solves the problem of the flags (system particles or equiangular) with their method and sampling, and
/// returns the summary document. A setup the library refuses is BadInput.
template <class T> report::Json solve_and_summarise(const RunConfig& config, model::SystemKind system) {
    const auto problem = make_problem<T>(config, system);
    solve::Trajectory<T> trajectory;
    try {
        trajectory = solve::solve(problem, config.method, make_sampling(config));
    } catch (const std::invalid_argument& e) {
        throw BadInput(e.what());
    }
    return trajectory_summary(config, shared_params<T>(config), trajectory);
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
        return with_precision(config.method.precision, [&]<class T>() { return body.template operator()<T>(config); });
    });
}

}  // namespace normdyn::cli
