// `normdyn reproduce [--quick] [--out DIR] [--only SECTION] [--seed S]`: runs the registered sections and
// writes REPORT.md, REPORT.json, figures/ and data/ into DIR (default reports/) atomically.
#include "reproduce.hpp"

#include "cli_common.hpp"

#include <boost/version.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

namespace normdyn::cli {

namespace reproduce {

// The registry. Costs are measured seconds on this machine (one core), used only for the time left; claims
// are the id patterns of the claims each section shows (the last section shows the rest).
const SectionEntry registry[] = {
    {"symmetric", "Theorem 4.1: the symmetric experiment (figures 1, 3, 4)", 10, 20,
     {"thm4.1/terminal-law/*", "thm4.1/radius-over-t/*"}, symmetric_section},
    {"initial-velocity", "Theorem 4.1: initial velocity against beta and n (figure 2)", 3, 8, {"thm4.1/initial-velocity/*"},
     initial_velocity_section},
    {"small-attention", "Theorem 4.2: attention is small at a random start (figure 5)", 8, 60, {"thm4.2/*"},
     small_attention_section},
    {"random-starts", "Theorem 3.1: random starts in d = 3 (figure 6)", 10, 20, {}, random_starts_section},
    {"layers-to-collapse", "Theorem 3.1: layers to collapse against beta (figure 9)", 30, 60, {"thm3.1/*"},
     layers_to_collapse_section},
    {"peers", "Numerics: projected forward Euler versus the toolkit (figure 8)", 10, 40, {"peers/*"}, peers_section},
    {"layers", "Discrete layers: continuum limit and Pre-LN norm growth", 1, 25, {"layers/*"}, layers_section},
    {"order", "Numerics: convergence orders and work-precision (figure 7)", 30, 120, {"order/*"}, order_section},
    {"checks", "Theorem 4.3, the energy and the published statements that fail (no figure)", 30, 60, {"*"}, checks_section},
};

std::span<const SectionEntry> sections() { return registry; }

std::vector<checks::CheckDefinition> section_checks(const SectionEntry& entry) {
    std::vector<checks::CheckDefinition> shown;
    for (auto& check : checks::registry()) {
        const auto owner = std::find_if(std::begin(registry), std::end(registry), [&](const SectionEntry& section) {
            return std::any_of(section.claims.begin(), section.claims.end(),
                               [&](const std::string& pattern) { return checks::matches(check.id, pattern); });
        });
        if (owner == &entry) shown.push_back(std::move(check));
    }
    return shown;
}

}  // namespace reproduce

namespace {

using reproduce::SectionEntry;
namespace fs = std::filesystem;

struct ReproduceFlags {
    bool quick = false;
    std::string out = "reports";
    std::string only;
    std::uint64_t seed = 1;
};

std::string section_names() {
    std::string names;
    for (const auto& entry : reproduce::sections()) names += (names.empty() ? "" : ", ") + std::string(entry.id);
    return names;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown";
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buffer;
}

report::Json run_provenance(const ReproduceFlags& flags, const std::string& command_line) {
    RunConfig config;
    config.command = "reproduce";
    config.command_line = command_line;
    config.seed = flags.seed;
    report::Json p = provenance(config);
    const std::string gnuplot = report::gnuplot_version();
    p["gnuplot"] = gnuplot.empty() ? "not found" : gnuplot;
    utsname machine{};
    if (uname(&machine) == 0)
        p["machine"] = std::string(machine.sysname) + " " + machine.release + " " + machine.machine;
    p["cpu"] = cpu_model();
    p["hardware_threads"] = std::thread::hardware_concurrency();
    p["tier"] = flags.quick ? "quick" : "full";
    p["first_seed"] = flags.seed;
    p["started_utc"] = utc_now();
    return p;
}

// Removes temporary siblings left by interrupted runs whose process is gone.
void remove_stale_temporaries(const fs::path& parent, const std::string& prefix) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(parent, error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), error);
    }
}

// Puts the finished directory in place of `out`: an atomic exchange when `out` exists (the old report
// stays whole until the new one is complete), a rename otherwise.
void swap_in(const fs::path& fresh, const fs::path& out) {
    if (!fs::exists(out)) {
        fs::rename(fresh, out);
        return;
    }
    if (renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
        fs::remove_all(fresh);  // now holds the previous report
        return;
    }
    const fs::path old = fresh.string() + "-previous";  // file systems without RENAME_EXCHANGE
    fs::rename(out, old);
    fs::rename(fresh, out);
    fs::remove_all(old);
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

int run(const ReproduceFlags& flags, const std::string& command_line) {
    std::vector<const SectionEntry*> chosen;
    for (const auto& entry : reproduce::sections())
        if (flags.only.empty() || flags.only == entry.id) chosen.push_back(&entry);
    if (chosen.empty()) return report_bad_input("reproduce", "--only: unknown section '" + flags.only + "'; allowed: " + section_names());
    if (flags.out.empty()) return report_bad_input("reproduce", "--out: must name a directory");
    const fs::path out = fs::absolute(flags.out).lexically_normal();
    const fs::path target = out.filename().empty() ? out.parent_path() : out;
    if (fs::exists(target) && !fs::is_directory(target))
        return report_bad_input("reproduce", "--out: '" + flags.out + "' exists and is not a directory");
    if (!fs::is_directory(target.parent_path()))
        return report_bad_input("reproduce", "--out: the parent of '" + flags.out + "' is not an existing directory");

    const auto started = std::chrono::steady_clock::now();
    const std::string prefix = "." + target.filename().string() + ".reproduce-tmp-";
    remove_stale_temporaries(target.parent_path(), prefix);
    const fs::path fresh = target.parent_path() / (prefix + std::to_string(getpid()));
    fs::remove_all(fresh);
    fs::create_directories(fresh / "figures");
    fs::create_directories(fresh / "data");

    report::Document document;
    document.title = "normdyn: reproduction of \"Normalization in Attention Dynamics\"";
    document.introduction = {
        "Karagodin, Ge, Polyanskiy, Rigollet (NeurIPS 2025). Every number, table and figure below was computed by "
        "the run recorded in the provenance block (`" + command_line + "`); figures/ holds each figure as PNG, SVG "
        "and a self-contained gnuplot script with its data inline, data/ the JSON behind every table and figure.",
        std::string("Tier: ") + (flags.quick ? "**quick** (smaller n, shorter horizons, fewer seeds)." : "**full**.") +
            " Not in this report: the performance benchmark (`normdyn bench`), whose timings depend on the machine."};
    document.provenance = run_provenance(flags, command_line);

    double total = 0;
    for (const auto* entry : chosen) total += flags.quick ? entry->quick_seconds : entry->full_seconds;
    reproduce::Progress progress(total, isatty(STDERR_FILENO) != 0);
    checks::Context claims;
    claims.tier = flags.quick ? checks::Tier::quick : checks::Tier::full;
    claims.seed = flags.seed;
    std::vector<std::string> problems;
    bool failed = false;
    for (const auto* entry : chosen) {
        report::Section& section = document.sections.emplace_back();
        section.id = entry->id;
        section.title = entry->title;
        progress.begin_section(entry->id, flags.quick ? entry->quick_seconds : entry->full_seconds);
        const auto t0 = std::chrono::steady_clock::now();
        reproduce::Context context(claims, fresh, section, progress);
        try {
            // The section's claims first (they compute the studies), then its figures from those studies.
            const checks::Progress claim_progress = [&](std::size_t index, std::size_t total, const std::string& id,
                                                        const report::Claim*) {
                context.progress(0.9 * double(index) / double(total), id);
            };
            for (auto& claim : checks::run_checks(reproduce::section_checks(*entry), claims.tier, "", claim_progress, claims)) {
                claim.section = entry->id;
                document.claims.push_back(std::move(claim));
            }
            entry->run(context);
        } catch (const std::exception& e) {
            section.status = std::string("failed: ") + e.what();
            failed = true;
        }
        section.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        problems.insert(problems.end(), context.figure_problems().begin(), context.figure_problems().end());
        progress.end_section();
    }
    progress.finish();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    document.provenance["wall_s_total"] = wall;
    write_file(fresh / "REPORT.md", report::to_markdown(document));
    write_file(fresh / "REPORT.json", report::to_text(report::to_json(document)) + "\n");
    swap_in(fresh, target);

    std::size_t passed = 0;
    for (const auto& claim : document.claims) passed += report::succeeded(claim.verdict);
    std::cout << "normdyn reproduce: wrote " << (target / "REPORT.md").string() << " (" << document.sections.size()
              << " sections, " << passed << " of " << document.claims.size() << " claims pass or are exhibited, "
              << reproduce::format_number(wall, 3) << " s)\n";
    for (const auto& section : document.sections)
        if (section.status != "done") std::cerr << "normdyn reproduce: section " << section.id << ": " << section.status << '\n';
    if (!problems.empty()) {
        std::cerr << "normdyn reproduce: " << problems.size() << " figure(s) not drawn; data and .gp scripts written. "
                  << problems.front() << '\n';
        return exit_failed;
    }
    return failed ? exit_failed : exit_done;
}

}  // namespace

CommandRunner reproduce_command(CLI::App& command) {
    auto flags = std::make_shared<ReproduceFlags>();
    command.add_flag("--quick", flags->quick, "a few minutes: smaller n, shorter horizons, fewer seeds");
    command.add_option("--out", flags->out, "output directory (replaced atomically at the end)")->capture_default_str();
    command.add_option("--only", flags->only, "run one section: " + section_names());
    command.add_option("--seed", flags->seed, "first seed of the random starts")->capture_default_str();
    return [flags](const std::string& command_line) { return run(*flags, command_line); };
}

}  // namespace normdyn::cli
