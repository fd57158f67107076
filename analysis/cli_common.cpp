#include "cli_common.hpp"

#include <Eigen/Core>
#include <boost/version.hpp>
#include <mpfr.h>

#include <cmath>
#include <cstdlib>
#include <iostream>

#ifndef NORMDYN_VERSION
#define NORMDYN_VERSION "unknown"
#endif
#ifndef NORMDYN_GIT_COMMIT
#define NORMDYN_GIT_COMMIT "unknown"
#endif
#ifndef NORMDYN_COMPILER
#define NORMDYN_COMPILER "unknown"
#endif
#ifndef NORMDYN_BUILD_TYPE
#define NORMDYN_BUILD_TYPE "unknown"
#endif
#ifndef NORMDYN_CXX_FLAGS
#define NORMDYN_CXX_FLAGS ""
#endif

namespace normdyn::cli {

namespace {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
    return out;
}

// The system a subcommand's flags describe: free positions are the n-particle system's, the orthonormal start
// alone the equiangular reduction's.
model::SystemKind system_of(Positions positions) {
    switch (positions) {
        case Positions::free: return model::SystemKind::particles;
        case Positions::orthonormal_only: return model::SystemKind::equiangular;
    }
    __builtin_unreachable();
}

// The scheme's own start (spec §2) when none is given.
model::InitSpec resolved_init(model::InitSpec init, model::SchemeKind scheme) {
    if (init.kind == model::InitKind::scheme_default)
        init.kind = model::starts_gaussian(scheme) ? model::InitKind::gaussian : model::InitKind::uniform;
    return init;
}

// n and d against the start: a file fixes both; orthonormal needs d >= n; antipodal is a pair.
void check_positions(const CLI::App& command, RunConfig& config) {
    using model::InitKind;
    if (config.init.kind == InitKind::file) {
        const auto tokens = parsed("--init", [&] { return model::read_tokens_csv(config.init.path); });
        const auto file_n = std::size_t(tokens.rows()), file_d = std::size_t(tokens.cols());
        if (command.count("--n") > 0 && config.n != file_n)
            throw BadInput("--n: " + std::to_string(config.n) + " conflicts with the " + std::to_string(file_n) +
                           " tokens of the init file (drop --n)");
        if (command.count("--d") > 0 && config.d != file_d)
            throw BadInput("--d: " + std::to_string(config.d) + " conflicts with the " + std::to_string(file_d) +
                           " columns of the init file (drop --d)");
        config.n = file_n;
        config.d = file_d;
    }
    if (config.init.kind == InitKind::orthonormal && config.d < config.n)
        throw BadInput("--init orthonormal: needs d >= n, got n = " + std::to_string(config.n) +
                       ", d = " + std::to_string(config.d));
    if (config.init.kind == InitKind::antipodal && config.n != 2)
        throw BadInput("--init antipodal: is a pair, needs --n 2, got n = " + std::to_string(config.n));
}

// --precision names a type of fixed precision; --digits N selects MPFR with N digits ("mpfr") instead.
solve::Precision checked_precision(const CLI::App& command, const SharedFlags& flags) {
    const auto names = solve::precision_names();
    if (command.count("--digits") > 0) {
        if (flags.digits < 10 || flags.digits > max_digits)
            throw BadInput("--digits: must be an integer in [10, " + std::to_string(max_digits) + "], got " +
                           std::to_string(flags.digits));
        if (command.count("--precision") > 0)
            throw BadInput("--digits: selects the precision itself, drop --precision " + flags.precision);
        return {scalar_name<mp_digits>(), static_cast<unsigned>(flags.digits)};
    }
    if (std::find(names.begin(), names.end(), flags.precision) == names.end())
        throw BadInput("--precision: unknown '" + flags.precision + "' (allowed: " + join(names, ", ") +
                       "; or --digits N)");
    return {flags.precision, 0};
}

// The method: what the flags name, the rest from the precision's defaults (solve::default_method). Named
// means given on the command line or set by the subcommand as its own default. A fixed step without a named
// stepper keeps dopri5, which has one.
solve::Method checked_method(const CLI::App& command, const SharedFlags& flags) {
    const solve::Precision precision = checked_precision(command, flags);
    const SharedFlags defaults;
    const auto named = [&](const char* flag, const std::string& value, const std::string& default_value) {
        return command.count(flag) > 0 || value != default_value;
    };
    std::optional<solve::Stepper> stepper;
    if (named("--stepper", flags.stepper, defaults.stepper)) stepper = parsed("--stepper", [&] { return solve::parse_stepper(flags.stepper); });
    else if (command.count("--dt") > 0) stepper = solve::Stepper::dopri5;
    solve::Method method = solve::default_method(precision, stepper);
    if (named("--rtol", flags.rtol, defaults.rtol)) method.rtol = checked_real("--rtol", flags.rtol, Range::positive);
    if (named("--atol", flags.atol, defaults.atol)) method.atol = checked_real("--atol", flags.atol, Range::non_negative);
    method.error_norm = parsed("--error-norm", [&] { return solve::parse_error_norm(flags.error_norm); });
    if (command.count("--dt") > 0) {
        method.dt = checked_real("--dt", flags.dt, Range::positive);
        if (command.count("--rtol") > 0 || command.count("--atol") > 0)
            throw BadInput("--rtol/--atol: adaptive tolerances do not apply with --dt (give one or the other)");
        if (command.count("--error-norm") > 0)
            throw BadInput("--error-norm: measures adaptive steps' errors, does not apply with --dt (drop one)");
    }
    parsed("--stepper", [&] {
        method.validate();
        return 0;
    });
    return method;
}

}  // namespace

void add_shared_flags(CLI::App& command, SharedFlags& flags, Positions positions) {
    const auto real = [&](const std::string& name, std::string& value, const std::string& help) {
        return command.add_option(name, value, help)->type_name("REAL");
    };
    const auto name = [&](const std::string& flag, std::string& value, const std::string& help) {
        return command.add_option(flag, value, help)->type_name("NAME")->capture_default_str();
    };
    name("--scheme", flags.scheme, model::scheme_names("|"));
    command.add_option("--n", flags.n, positions == Positions::free ? "number of tokens n >= 1" : "number of tokens n >= 2")
        ->capture_default_str();
    if (positions == Positions::free) command.add_option("--d", flags.d, "dimension d >= 1")->capture_default_str();
    real("--beta", flags.beta, "inverse temperature beta >= 0")->capture_default_str();
    real("--r0", flags.r0, "initial radius r0 > 0")->capture_default_str();
    real("--tau", flags.tau, "Mix-LN switch time tau >= 0")->capture_default_str();
    real("--alpha", flags.alpha, "nGPT step alpha > 0")->capture_default_str();
    if (positions == Positions::free) {
        command.add_option("--init", flags.init, "default|orthonormal|uniform|gaussian|cone:DELTA|antipodal|file:PATH "
                                                 "(default: the scheme's own start)")
            ->type_name("START")
            ->capture_default_str();
        command.add_option("--seed", flags.seed, "seed of the random start (mt19937_64)")->capture_default_str();
    }
    real("--t-end", flags.t_end, "final time t_end >= 0 (one layer = one unit)")->capture_default_str();
    command.add_option("--stepper", flags.stepper, "euler|rk4|cash-karp54|dopri5|rkf78|dop853|bulirsch-stoer|taylor "
                       "(default: dopri5 in double, taylor in an extended precision)")->type_name("NAME");
    real("--dt", flags.dt, "fixed step > 0 (default: adaptive steps)");
    real("--rtol", flags.rtol, "relative tolerance > 0, per component, in the norm of --error-norm (default: 1e-10; "
                               "taylor and bulirsch-stoer in an extended precision of N digits: 10^-(N-2))");
    real("--atol", flags.atol, "absolute tolerance >= 0, per component, in the norm of --error-norm (default: 1e-12; "
                               "taylor and bulirsch-stoer in an extended precision of N digits: 10^-(N-2))");
    name("--error-norm", flags.error_norm,
         "max|rms: adaptive steps keep max_i |err_i|/(atol + rtol |x_i|) <= 1 (max), or the root mean square "
         "of those ratios, as SciPy and Hairer's codes (rms; bulirsch-stoer and taylor: max only)");
    name("--precision", flags.precision, join(solve::precision_names(), "|"));
    command.add_option("--digits", flags.digits,
                       "MPFR with N significant decimal digits, N in [10, " + std::to_string(max_digits) +
                           "] (instead of --precision)")
        ->type_name("N");
    command.add_option("--samples", flags.samples, "output times, equally spaced in [0, t_end]")
        ->capture_default_str();
    command.add_option("--observables", flags.observables,
                       "comma list of the series' columns besides t (default: every one): " +
                           join(std::vector<std::string>(
                                    std::next(solve::observable_names(system_of(positions)).begin()),
                                    solve::observable_names(system_of(positions)).end()),
                                ","))
        ->type_name("LIST");
    command.add_option("--out", flags.out, "write summary.json and series.csv into DIR")->type_name("DIR");
    command.add_flag("--json", flags.json, "print the summary JSON on stdout");
}

void add_attention_flags(CLI::App& command, SharedFlags& flags) {
    const std::string kinds = "identity|random|gpt2|kaiming|file:PATH";
    command.add_option("--q", flags.q, "query weights Q (d x d): " + kinds)->type_name("WEIGHTS")->capture_default_str();
    command.add_option("--k", flags.k, "key weights K: " + kinds)->type_name("WEIGHTS")->capture_default_str();
    command.add_option("--v", flags.v, "value weights V: " + kinds)->type_name("WEIGHTS")->capture_default_str();
    command.add_option("--weights", flags.weights,
                       "Q, K and V alike (each drawn on its own); --q/--k/--v override it. random: i.i.d. "
                       "N(0, weight-std^2); gpt2: std 0.02; kaiming: N(0, 2/d); draws seeded from --seed")
        ->type_name("WEIGHTS");
    command.add_option("--weight-std", flags.weight_std, "std of the kind random > 0")->type_name("REAL")
        ->capture_default_str();
    command.add_option("--heads", flags.heads, "attention heads H (must divide d)")->capture_default_str();
    command.add_flag("--causal", flags.causal, "causal mask: token j attends to k <= j");
}

std::string attention_hypotheses(const model::ProblemText& problem) {
    std::vector<std::string> unmet;
    const char* names[3] = {"Q", "K", "V"};
    for (std::size_t i = 0; i < 3; ++i)
        if (problem.weights[i].kind != model::WeightKind::identity)
            unmet.push_back(std::string(names[i]) + " = " + model::to_string(problem.weights[i]));
    if (problem.heads != 1) unmet.push_back(std::to_string(problem.heads) + " heads");
    if (problem.causal) unmet.push_back("a causal mask");
    if (unmet.empty()) return {};
    return "the theorems assume Q = K = V = I, one head and no mask (spec §1); this run has " + join(unmet, ", ") +
           ": the report's claims do not apply to it";
}

RunConfig validate(const CLI::App& command, const SharedFlags& flags, Positions positions,
                   const std::string& command_line) {
    RunConfig config;
    config.command = command.get_name();
    config.command_line = command_line;
    config.positions = positions;
    config.scheme = parsed("--scheme", [&] { return model::parse_scheme(flags.scheme); });
    config.n = checked_count("--n", flags.n, 1);
    config.d = checked_count("--d", flags.d, 1);
    config.beta = checked_real("--beta", flags.beta, Range::non_negative);
    config.r0 = checked_real("--r0", flags.r0, Range::positive);
    config.tau = checked_real("--tau", flags.tau, Range::non_negative);
    config.alpha = checked_real("--alpha", flags.alpha, Range::positive);
    config.t_end = checked_real("--t-end", flags.t_end, Range::non_negative);
    config.method = checked_method(command, flags);
    config.samples = checked_count("--samples", flags.samples, 1);
    if (command.count("--observables") > 0) {
        config.observables = checked_list("--observables", flags.observables);
        parsed("--observables", [&] {
            solve::check_observables(system_of(positions), config.observables);
            return 0;
        });
    }
    config.seed = flags.seed;
    if (positions == Positions::free) {
        config.init = resolved_init(parsed("--init", [&] { return model::parse_init(flags.init); }), config.scheme);
        check_positions(command, config);
    } else {
        config.init.kind = model::InitKind::orthonormal;
    }
    if (positions == Positions::free && command.get_option_no_throw("--q") != nullptr) {  // add_attention_flags
        const auto spec = [&](const char* flag, const std::string& value) {
            const std::string text = command.count(flag) == 0 && !flags.weights.empty() ? flags.weights : value;
            return parsed(command.count(flag) == 0 && !flags.weights.empty() ? "--weights" : flag,
                          [&] { return model::parse_weight_spec(text); });
        };
        config.weights = {spec("--q", flags.q), spec("--k", flags.k), spec("--v", flags.v)};
        config.weight_std = checked_real("--weight-std", flags.weight_std, Range::positive);
        config.heads = checked_count("--heads", flags.heads, 1);
        if (config.d % config.heads != 0)
            throw BadInput("--heads: must divide d = " + std::to_string(config.d) + ", got " + std::to_string(config.heads));
        config.causal = flags.causal;
        for (std::size_t i = 0; i < 3; ++i)
            if (config.weights[i].kind == model::WeightKind::file) {
                const char* flag = i == 0 ? "--q" : i == 1 ? "--k" : "--v";
                const auto m = parsed(flag, [&] { return model::read_matrix_csv(config.weights[i].path, std::string(flag) + " file"); });
                if (m.rows() != Eigen::Index(config.d) || m.cols() != Eigen::Index(config.d))
                    throw BadInput(std::string(flag) + ": the file holds a " + std::to_string(m.rows()) + " x " +
                                   std::to_string(m.cols()) + " matrix, needs d x d = " + std::to_string(config.d) +
                                   " x " + std::to_string(config.d));
            }
    }
    if (command.count("--out") > 0) {
        if (const auto problem = output_directory_problem(flags.out); !problem.empty()) throw BadInput(problem);
        config.out = flags.out;
    }
    config.json = flags.json;
    return config;
}

report::Json provenance(const RunConfig& config) {
    report::Json p;
    p["normdyn_version"] = NORMDYN_VERSION;
    p["git_commit"] = NORMDYN_GIT_COMMIT;
    p["compiler"] = NORMDYN_COMPILER;
    p["build_type"] = NORMDYN_BUILD_TYPE;
    p["cxx_flags"] = NORMDYN_CXX_FLAGS;
    p["boost"] = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                 std::to_string(BOOST_VERSION % 100);
    p["eigen"] = std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                 std::to_string(EIGEN_MINOR_VERSION);
    p["mpfr"] = mpfr_get_version();
    p["command_line"] = config.command_line;
    if (config.positions == Positions::free) p["seed"] = config.seed;
    p["precision"] = config.method.precision.name;
    if (config.method.precision.digits > 0) p["digits"] = config.method.precision.digits;
    return p;
}

namespace {

// One line: newlines of a message (e.g. from a library) are folded into spaces.
std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

int deliver(const RunConfig& config, const report::Json& summary) {
    const std::string status = summary.at("status").get<std::string>();
    try {
        if (!config.out.empty()) write_outputs(config.out, summary);
    } catch (const std::exception& e) {
        std::cerr << "normdyn " << config.command << ": --out: " << one_line(e.what()) << '\n';
        return exit_failed;
    }
    if (config.json) std::cout << report::to_text(summary) << '\n';
    else if (config.out.empty()) std::cout << human_summary(config.command, summary);
    else std::cout << "normdyn " << config.command << ": " << status << ", wrote summary.json and series.csv into "
                   << config.out << '\n';
    if (status == "done" || status == "certified") return exit_done;
    std::cerr << "normdyn " << config.command << ": " << status << ": stopped at t = "
              << report::cell_text(summary.at("t_reached")) << " of " << report::cell_text(summary.at("params").at("t_end"))
              << ": " << one_line(summary.value("reason", std::string("no reason given"))) << '\n';
    return status == "partial" ? exit_partial : exit_failed;
}

}  // namespace

int report_bad_input(const std::string& command, const std::string& message) {
    std::cerr << "normdyn " << command << ": " << one_line(message) << '\n';
    return exit_bad_input;
}

int run_guarded(const RunConfig& config, const std::function<report::Json()>& body) {
    report::Json summary;
    try {
        summary = body();
    } catch (const BadInput& e) {
        return report_bad_input(config.command, e.what());
    } catch (const std::invalid_argument& e) {  // the library refusing the setup (init, system)
        return report_bad_input(config.command, e.what());
    }
    return deliver(config, summary);
}

}  // namespace normdyn::cli
