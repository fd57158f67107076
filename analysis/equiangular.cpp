// `normdyn equiangular`: the symmetric-start reduction of spec §4 in the state (u = 1 − γ, r), the cheap
// high-precision oracle for the full system from the orthonormal start.
#include "certify_cli.hpp"
#include "cli_common.hpp"

#include <memory>

namespace normdyn::cli {

CommandRunner equiangular_command(CLI::App& command) {
    auto flags = std::make_shared<SharedFlags>();
    flags->n = 8;
    add_shared_flags(command, *flags, Positions::orthonormal_only);
    auto certify = std::make_shared<bool>(false);
    command.add_flag("--certify", *certify,
                     "validated interval enclosures (MPFI, --digits N, default 15) of gamma and r instead of estimates");
    return [flags, certify, &command](const std::string& command_line) {
        if (*certify) {
            RunConfig config;
            try {
                config = validate(command, *flags, Positions::orthonormal_only, command_line);
            } catch (const BadInput& e) {
                return report_bad_input(command.get_name(), e.what());
            }
            return run_guarded(config, [&] { return certified_equiangular_summary(config); });
        }
        return run_command(command, *flags, Positions::orthonormal_only, command_line,
                           []<class T>(const RunConfig& config) {
                               return solve_and_summarise<T>(config, model::SystemKind::equiangular);
                           });
    };
}

}  // namespace normdyn::cli
