// `normdyn equiangular`: the symmetric-start reduction of spec §4 in the state (u = 1 − γ, r), the cheap
// high-precision oracle for the full system from the orthonormal start.
#include "cli_common.hpp"

#include <memory>

namespace normdyn::cli {

CommandRunner equiangular_command(CLI::App& command) {
    auto flags = std::make_shared<SharedFlags>();
    flags->n = 8;
    add_shared_flags(command, *flags, Positions::orthonormal_only);
    return [flags, &command](const std::string& command_line) {
        return run_command(command, *flags, Positions::orthonormal_only, command_line,
                           []<class T>(const RunConfig& config) {
                               return solve_and_summarise<T>(config, model::SystemKind::equiangular);
                           });
    };
}

}  // namespace normdyn::cli
