// Runs one benchmark case in a child process: its standard output, its exit status and its peak resident
// memory (wait4's ru_maxrss), so that every case's memory is its own.
#pragma once

#include <string>
#include <vector>

namespace normdyn::cli::bench {

struct ChildResult {
    int exit_code = -1;
    std::string output;       ///< everything the child wrote to stdout
    double peak_rss_mib = 0;  ///< the child's peak resident set size
    double wall_s = 0;        ///< from fork to exit, as seen by the parent
};

/// Runs argv[0] (searched in PATH) with argv; `unset` names environment variables removed for this child
/// only. Throws std::runtime_error when the process cannot be started.
ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::string>& unset = {});

/// The path of the running executable (/proc/self/exe).
std::string self_executable();

}  // namespace normdyn::cli::bench
