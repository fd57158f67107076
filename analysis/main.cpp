// `normdyn`: the command line of the toolkit (architecture: "Command line"). One table row per subcommand.
#include "cli_common.hpp"

#include <iostream>
#include <map>
#include <string>

#ifndef NORMDYN_VERSION
#define NORMDYN_VERSION "unknown"
#endif

namespace normdyn::cli {
CommandRunner simulate_command(CLI::App& command);
CommandRunner equiangular_command(CLI::App& command);
CommandRunner order_command(CLI::App& command);
CommandRunner check_command(CLI::App& command);
CommandRunner reproduce_command(CLI::App& command);
CommandRunner bench_precision_command(CLI::App& command);
CommandRunner layers_command(CLI::App& command);
CommandRunner bench_command(CLI::App& command);
CommandRunner sweep_command(CLI::App& command);
CommandRunner plot_command(CLI::App& command);
}  // namespace normdyn::cli

namespace {

using normdyn::cli::CommandSetup;

struct Subcommand {
    const char* name;
    const char* description;
    CommandSetup setup;
};

// Adding a subcommand: declare its setup above and add its row here.
const Subcommand subcommands[] = {
    {"simulate", "the full n-particle system", normdyn::cli::simulate_command},
    {"equiangular", "the symmetric-start reduction (gamma, r)", normdyn::cli::equiangular_command},
    {"order", "convergence-order study and work-precision data", normdyn::cli::order_command},
    {"check", "the theorem checks (proofs-check)", normdyn::cli::check_command},
    {"reproduce", "the main job: every figure and claim, into reports/", normdyn::cli::reproduce_command},
    {"bench-precision", "timings and correct digits of the high-precision solvers", normdyn::cli::bench_precision_command},
    {"layers", "discrete transformer layers: stacks, their continuous limit, random weights", normdyn::cli::layers_command},
    {"sweep", "a grid of simulate runs (schemes, beta, sizes, seeds, weights), on every core or across MPI processes", normdyn::cli::sweep_command},
    {"plot", "figures of a sweep or simulate --out directory (PNG, SVG, gnuplot script)", normdyn::cli::plot_command},
    {"bench", "performance benchmark: kernel GFLOP/s, end to end against the SciPy peer, cost against n", normdyn::cli::bench_command},
};

// The command line as a shell would need it typed again, for provenance.
std::string quoted_command_line(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                 "0123456789-_=.,:/+@%") == std::string::npos;
        if (i > 0) line += ' ';
        if (plain) {
            line += arg;
            continue;
        }
        line += '\'';
        for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += '\'';
    }
    return line;
}

std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("normdyn: normalized attention dynamics (Karagodin, Ge, Polyanskiy, Rigollet, NeurIPS 2025)",
                 "normdyn");
    app.set_version_flag("--version", "normdyn " NORMDYN_VERSION);
    app.require_subcommand(1);
    std::map<const CLI::App*, normdyn::cli::CommandRunner> runners;
    for (const auto& subcommand : subcommands) {
        CLI::App* command = app.add_subcommand(subcommand.name, subcommand.description);
        runners[command] = subcommand.setup(*command);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        std::cerr << "normdyn: " << one_line(e.what()) << " (see --help)\n";
        return normdyn::cli::exit_bad_input;
    }
    const std::string command_line = quoted_command_line(argc, argv);
    try {
        for (const auto& [command, run] : runners)
            if (command->parsed()) return run(command_line);
    } catch (const std::exception& e) {
        std::cerr << "normdyn: failed: " << one_line(e.what()) << '\n';
        return normdyn::cli::exit_failed;
    }
    return normdyn::cli::exit_bad_input;  // unreachable: require_subcommand(1)
}
