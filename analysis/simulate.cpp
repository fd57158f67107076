// `normdyn simulate`: the full n-particle system (spec §2) from a chosen start, sampled with the
// observables of measure/observables.hpp at equally spaced times (solve::solve on the flags' problem).
#include "cli_common.hpp"

#include <memory>

namespace normdyn::cli {

CommandRunner simulate_command(CLI::App& command) {
    auto flags = std::make_shared<SharedFlags>();
    add_shared_flags(command, *flags, Positions::free);
    add_attention_flags(command, *flags);
    return [flags, &command](const std::string& command_line) {
        return run_command(command, *flags, Positions::free, command_line,
                           []<class T>(const RunConfig& config) {
                               return solve_and_summarise<T>(config, model::SystemKind::particles);
                           });
    };
}

}  // namespace normdyn::cli
