// `normdyn check`: runs the claims of proofs-check/ (the registry `normdyn reproduce` runs too), prints a
// table (progress on stderr), writes proofs-check.md and proofs-check.json into --out DIR, and exits 1 when
// any claim fails.
#include "cli_common.hpp"

#include "proofs-check/check.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace normdyn::cli {

namespace {

namespace fs = std::filesystem;

struct CheckFlags {
    bool quick = false;
    std::string only;
    std::string out = ".";
    bool json = false;
};

// Each file is written beside its final name and renamed into place, so a reader never sees half a file.
void write_atomically(const fs::path& path, const std::string& text) {
    const fs::path staging = path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream file(staging, std::ios::binary | std::ios::trunc);
        file << text;
        file.flush();
        if (!file) {
            std::error_code ignored;
            fs::remove(staging, ignored);
            throw std::runtime_error("cannot write '" + staging.string() + "'");
        }
    }
    fs::rename(staging, path);
}

int run_checks(const CheckFlags& flags, const std::string& command_line) {
    const checks::Tier tier = flags.quick ? checks::Tier::quick : checks::Tier::full;
    std::size_t selected = 0;
    for (const auto& check : checks::registry())
        if ((tier == checks::Tier::full || check.quick) && checks::matches(check.id, flags.only)) ++selected;
    if (selected == 0) return report_bad_input("check", "--only: no " + checks::to_string(tier) + "-tier check matches '" + flags.only + "'");
    if (const auto problem = output_directory_problem(flags.out); !problem.empty()) return report_bad_input("check", problem);

    const checks::Progress progress = [](std::size_t i, std::size_t total, const std::string& id,
                                         const report::Claim* result) {
        if (!result) std::cerr << "[" << i + 1 << "/" << total << "] " << id << " ..." << std::endl;
        else std::cerr << "[" << i + 1 << "/" << total << "] " << id << ": " << report::to_string(result->verdict) << " ("
                       << result->wall_s << " s)" << std::endl;
    };
    const auto results = checks::run_all(tier, flags.only, progress);
    auto document = checks::to_json(results, tier, flags.only);
    document["command"] = command_line;
    fs::create_directories(flags.out);
    write_atomically(fs::path(flags.out) / "proofs-check.json", report::to_text(document) + "\n");
    write_atomically(fs::path(flags.out) / "proofs-check.md", checks::to_markdown(results, tier, flags.only));
    if (flags.json) std::cout << report::to_text(document) << '\n';
    else std::cout << checks::to_table(results);
    return checks::all_succeeded(results) ? exit_done : exit_failed;
}

}  // namespace

CommandRunner check_command(CLI::App& command) {
    auto flags = std::make_shared<CheckFlags>();
    command.add_flag("--quick", flags->quick, "the CI tier (under 5 minutes on 2 cores); default: the full tier");
    command.add_option("--only", flags->only, "run the checks whose id matches PATTERN (a substring, or a glob with *)");
    command.add_option("--out", flags->out, "directory for proofs-check.md and proofs-check.json (default: .)");
    command.add_flag("--json", flags->json, "print the results as JSON on stdout instead of the table");
    return [flags](const std::string& command_line) { return run_checks(*flags, command_line); };
}

}  // namespace normdyn::cli
