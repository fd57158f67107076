// `normdyn sweep`: many problems of `simulate` at once, a grid over every Problem and Method flag (scheme × β ×
// n × d × seeds × weights × horizon × …), each cell one Problem solved with its own error control.
//
// The one flag parser: a cell is the argument list of `normdyn simulate` (the flags given, one value each, and
// the cell's own --seed), parsed and validated by the same add_shared_flags / add_attention_flags / validate as
// simulate, and solved by the same solve_and_summarise; so `normdyn simulate` with a record's "simulate"
// arguments reproduces its params, stats, final and series bit for bit.
//
// Cells: the flags' values in the order simulate registers its flags, the last varying fastest, then the seed
// index (--seeds K) innermost. Cell i's seed is splitmix64(splitmix64(master seed) + i): a counter-based rule,
// so a cell's result depends neither on the number of threads or processes nor on the order cells run in.
//
// Output: DIR/manifest.json (configuration, fingerprint, provenance; written before the first record) and
// DIR/results.jsonl, one record per line, each appended in one write as it finishes (flushed to disk at
// least once a second); at the end the file is rewritten in cell order. --resume reads the records back,
// keeps those that parse and match their cell's arguments (a line cut by a crash is dropped), and runs only
// the missing cells.
#include "cli_common.hpp"
#include "sweep_farm.hpp"

#include "normdyn/model/init.hpp"
#include "normdyn/runtime.hpp"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <mutex>
#include <thread>

namespace normdyn::cli {

namespace {

namespace fs = std::filesystem;
using report::Json;

// The options of simulate that a sweep varies: every Problem and Method flag but --seed (the cells' seeds are
// derived), --out and --json (the sweep writes its own files).
bool sweepable(const std::string& name) {
    return name != "--help" && name != "--seed" && name != "--out" && name != "--json";
}

struct SweepFlags {
    std::vector<std::string> names;              ///< simulate's sweepable options, in its order
    std::map<std::string, std::string> values;   ///< option → text as given (a comma list; reals also a:b:N)
    std::map<std::string, bool> switches;        ///< flags without a value (--causal)
    std::string config, out;
    long long seeds = 1;
    std::uint64_t seed = 0;
    long long jobs = 0;
    bool resume = false;
};

// One axis of the grid: an option and its values (text, one simulate argument each).
struct Axis {
    std::string flag;
    std::vector<std::string> values;
    bool is_switch = false;  ///< values "true"/"false": the flag present or absent
};

struct Grid {
    std::vector<Axis> axes;
    std::uint64_t master_seed = 0;
    std::size_t seeds = 1;
    std::size_t cells() const {
        std::size_t count = seeds;
        for (const auto& axis : axes) count *= axis.values.size();
        return count;
    }
    /// Cell i's seed: splitmix64(splitmix64(master) + i).
    std::uint64_t seed_of(std::size_t cell) const { return model::splitmix64(model::splitmix64(master_seed) + cell); }
    /// Cell i's arguments of `normdyn simulate` (without the program and command names).
    std::vector<std::string> arguments(std::size_t cell) const {
        std::vector<std::size_t> index(axes.size());
        std::size_t rest = cell / seeds;
        for (std::size_t a = axes.size(); a-- > 0;) {
            index[a] = rest % axes[a].values.size();
            rest /= axes[a].values.size();
        }
        std::vector<std::string> args;
        for (std::size_t a = 0; a < axes.size(); ++a) {
            const std::string& value = axes[a].values[index[a]];
            if (axes[a].is_switch) {
                if (value == "true") args.push_back(axes[a].flag);
                continue;
            }
            args.push_back(axes[a].flag);
            args.push_back(value);
        }
        args.push_back("--seed");
        args.push_back(std::to_string(seed_of(cell)));
        return args;
    }
    Json to_json() const {
        Json config;
        Json axes_json = Json::array();
        for (const auto& axis : axes) axes_json.push_back({{"flag", axis.flag}, {"values", axis.values}});
        config["axes"] = axes_json;
        config["seed"] = master_seed;
        config["seeds"] = seeds;
        config["cells"] = cells();
        config["cell_seed"] = "splitmix64(splitmix64(seed) + cell)";
        return config;
    }
};

// The shortest decimal text that reads back as x.
std::string shortest(double x) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}

// A real option's item "a:b:N": N equally spaced values from a to b, both ends exact (N = 1: a).
std::vector<std::string> expanded_range(const std::string& flag, const std::string& item) {
    const auto first = item.find(':'), second = item.find(':', first + 1);
    if (second == std::string::npos || item.find(':', second + 1) != std::string::npos)
        throw BadInput(flag + ": a range is a:b:N (N values from a to b), got '" + item + "'");
    const std::string a = item.substr(0, first), b = item.substr(first + 1, second - first - 1);
    const std::string count_text = item.substr(second + 1);
    long long count = 0;
    const auto parsed_count = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (parsed_count.ec != std::errc() || parsed_count.ptr != count_text.data() + count_text.size() || count < 1)
        throw BadInput(flag + ": the range '" + item + "' needs a count N >= 1 after its second ':'");
    checked_real(flag, a, Range::non_negative);
    checked_real(flag, b, Range::non_negative);
    if (count == 1) return {a};
    const double from = std::stod(a), to = std::stod(b);
    std::vector<std::string> values{a};
    for (long long i = 1; i + 1 < count; ++i) values.push_back(shortest(from + (to - from) * double(i) / double(count - 1)));
    values.push_back(b);
    return values;
}

// --config FILE.json: an object of option names without "--" (and "seeds", "seed") → a value or a list of
// values; the command line's flags win over it.
void merge_config_file(const CLI::App& command, SweepFlags& flags) {
    std::ifstream in(flags.config);
    if (!in) throw BadInput("--config: cannot read '" + flags.config + "'");
    Json config;
    try {
        config = Json::parse(in);
    } catch (const std::exception& e) {
        throw BadInput("--config: '" + flags.config + "' is not JSON: " + e.what());
    }
    if (!config.is_object()) throw BadInput("--config: '" + flags.config + "' must hold a JSON object");
    const auto text_of = [&](const std::string& key, const Json& value) -> std::string {
        if (value.is_string()) return value.get<std::string>();
        if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
        if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
        if (value.is_number_float()) return shortest(value.get<double>());
        throw BadInput("--config: key '" + key + "' takes a string, a number, a boolean or a list of them");
    };
    for (const auto& [key, value] : config.items()) {
        std::string text;
        if (value.is_array()) {
            if (value.empty()) throw BadInput("--config: key '" + key + "' has an empty list");
            for (const auto& item : value) text += (text.empty() ? "" : ",") + text_of(key, item);
        } else {
            text = text_of(key, value);
        }
        const std::string flag = "--" + key;
        const bool known = key == "seeds" || key == "seed" || flags.values.count(flag) > 0;
        if (!known) {
            std::string allowed = "seeds, seed";
            for (const auto& name : flags.names) allowed += ", " + name.substr(2);
            throw BadInput("--config: unknown key '" + key + "' (allowed: " + allowed + ")");
        }
        if (command.count(flag) > 0) continue;  // the command line wins
        if (key == "seeds") {
            flags.seeds = parsed("--config: seeds", [&] { return std::stoll(text); });
        } else if (key == "seed") {
            flags.seed = parsed("--config: seed", [&] { return std::stoull(text); });
        } else {
            flags.values[flag] = text;  // for a switch (--causal), a list of true/false
        }
    }
}

Grid make_grid(const CLI::App& command, SweepFlags flags, const std::set<std::string>& real_options) {
    if (!flags.config.empty()) merge_config_file(command, flags);
    Grid grid;
    grid.master_seed = flags.seed;
    grid.seeds = checked_count("--seeds", flags.seeds, 1);
    for (const auto& name : flags.names) {
        const bool is_switch = flags.switches.count(name) > 0;
        const std::string& text = flags.values[name];
        if (is_switch) {
            const bool given = command.count(name) > 0 || !text.empty();
            if (!given) continue;
            Axis axis{name, {}, true};
            for (const auto& item : checked_list(name, text.empty() ? "true" : text)) {
                if (item != "true" && item != "false")
                    throw BadInput(name + ": takes true or false, got '" + item + "'");
                axis.values.push_back(item);
            }
            grid.axes.push_back(axis);
            continue;
        }
        if (command.count(name) == 0 && text.empty()) continue;
        Axis axis{name, {}, false};
        for (const auto& item : checked_list(name, text)) {
            if (real_options.count(name) > 0 && item.find(':') != std::string::npos) {
                for (auto& value : expanded_range(name, item)) axis.values.push_back(value);
            } else {
                axis.values.push_back(item);
            }
        }
        if (name == "--digits" && axis.values.size() > 1)
            throw BadInput("--digits: one value per sweep (MPFR's precision is set for the whole process)");
        grid.axes.push_back(axis);
    }
    return grid;
}

// A cell's run configuration: its arguments through simulate's own flags and validation.
RunConfig cell_config(const std::vector<std::string>& args, const std::string& command_line) {
    CLI::App app("cell", "simulate");
    SharedFlags flags;
    add_shared_flags(app, flags, Positions::free);
    add_attention_flags(app, flags);
    std::vector<const char*> argv{"simulate"};
    for (const auto& arg : args) argv.push_back(arg.c_str());
    try {
        app.parse(int(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        throw BadInput(e.what());
    }
    return validate(app, flags, Positions::free, command_line);
}

}  // namespace

// One cell solved: the summary of `simulate` without its provenance (the manifest holds the sweep's), its
// index and its simulate arguments first. A cell the library refuses or that throws is a failed record.
std::string sweep_record(std::size_t cell, const std::vector<std::string>& args, const RunConfig& config) {
    Json record;
    record["cell"] = cell;
    record["simulate"] = args;
    Json summary;
    try {
        summary = with_precision(config.method.precision, [&]<class T>() {
            return solve_and_summarise<T>(config, model::SystemKind::particles);
        });
    } catch (const std::exception& e) {
        summary = with_precision(config.method.precision, [&]<class T>() {
            Json failed;
            failed["params"] = shared_params<T>(config);
            failed["status"] = "failed";
            failed["reason"] = e.what();
            return failed;
        });
    }
    for (const auto& [key, value] : summary.items())
        if (key != "provenance") record[key] = value;
    return record.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

namespace {

std::string fingerprint_of(const Json& config) {
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a 64 of the configuration's text
    for (unsigned char c : config.dump()) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

// The records of results.jsonl that are whole and belong to their cell; the rest (a line cut by a kill, a
// foreign or repeated cell) are dropped.
std::map<std::size_t, std::string> read_records(const fs::path& path, const Grid& grid) {
    std::map<std::size_t, std::string> records;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (in.eof()) break;  // no newline: cut short
        Json record;
        try {
            record = Json::parse(line);
        } catch (const std::exception&) {
            continue;
        }
        if (!record.is_object() || !record.contains("cell") || !record["cell"].is_number_unsigned()) continue;
        const std::size_t cell = record["cell"].get<std::size_t>();
        if (cell >= grid.cells() || records.count(cell) > 0) continue;
        if (!record.contains("simulate") || record["simulate"] != Json(grid.arguments(cell))) continue;
        if (!record.contains("status") || !record.contains("params") || !record.contains("series")) continue;
        records[cell] = line + "\n";
    }
    return records;
}

std::string all_records(const std::map<std::size_t, std::string>& records) {
    std::string text;
    for (const auto& [cell, line] : records) text += line;
    return text;
}

// Cells done, failures and the time left, on one rewritten line on a terminal, as plain lines otherwise.
class Progress {
public:
    Progress(std::size_t total, std::size_t done) : total_(total), done_(done), start_done_(done) {}
    void finished(bool ok) {
        const std::lock_guard lock(mutex_);
        ++done_;
        if (!ok) ++not_done_;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double eta = elapsed / double(done_ - start_done_) * double(total_ - done_);
        char line[160];
        std::snprintf(line, sizeof line, "normdyn sweep: %zu/%zu cells, %zu not done, %.0f s, ETA %.0f s", done_,
                      total_, not_done_, elapsed, eta);
        if (terminal_) {
            std::cerr << '\r' << line << (done_ == total_ ? "\n" : "") << std::flush;
        } else if (done_ == total_ || done_ * 20 / total_ != (done_ - 1) * 20 / total_) {
            std::cerr << line << '\n';
        }
    }

private:
    std::mutex mutex_;
    std::size_t total_, done_, start_done_, not_done_ = 0;
    bool terminal_ = ::isatty(2) != 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

bool record_done(const std::string& line) { return line.find("\"status\":\"done\"") != std::string::npos; }

}  // namespace

CommandRunner sweep_command(CLI::App& command) {
    auto flags = std::make_shared<SweepFlags>();
    auto real_options = std::make_shared<std::set<std::string>>();
    {
        CLI::App simulate_template;
        SharedFlags defaults;
        add_shared_flags(simulate_template, defaults, Positions::free);
        add_attention_flags(simulate_template, defaults);
        for (const CLI::Option* option : simulate_template.get_options()) {
            const std::string name = option->get_name();
            if (!sweepable(name)) continue;
            flags->names.push_back(name);
            if (option->get_type_size_max() == 0) {
                flags->switches[name] = false;
                flags->values[name];
                command.add_flag(name, flags->switches[name], option->get_description() +
                                                                 " (every cell; --config takes a list of true/false)");
                continue;
            }
            if (option->get_type_name() == "REAL") real_options->insert(name);
            command.add_option(name, flags->values[name],
                               option->get_description() + " — one value or a comma list" +
                                   (option->get_type_name() == "REAL" ? "; a:b:N is N equally spaced values" : ""))
                ->type_name(option->get_type_name());
        }
    }
    command.add_option("--seeds", flags->seeds, "seeds per grid point: cell i's seed is "
                                                "splitmix64(splitmix64(--seed) + i)")->capture_default_str();
    command.add_option("--seed", flags->seed, "master seed of the cells' seeds")->capture_default_str();
    command.add_option("--config", flags->config, "a JSON object of flags (without --) to values or lists; the "
                                                  "command line's flags win")->type_name("FILE");
    command.add_option("--out", flags->out, "directory of manifest.json and results.jsonl")->type_name("DIR")->required();
    command.add_option("--jobs", flags->jobs, "cells at once on this machine (default: every core; the kernels "
                                              "run one thread per cell)");
    command.add_flag("--resume", flags->resume, "finish the missing cells of DIR (refused when its fingerprint differs)");
    return [flags, real_options, &command](const std::string& command_line) -> int {
        Grid grid;
        std::vector<RunConfig> configs;
        std::string fingerprint;
        Json manifest;
        const fs::path dir(flags->out), results = fs::path(flags->out) / "results.jsonl",
            manifest_path = fs::path(flags->out) / "manifest.json";
        std::size_t jobs = 0;
        try {
            grid = make_grid(command, *flags, *real_options);
            jobs = flags->jobs > 0 ? std::size_t(flags->jobs) : std::max(1u, std::thread::hardware_concurrency());
            if (command.count("--jobs") > 0) checked_count("--jobs", flags->jobs, 1);
            // Every cell validated before anything is written (one bad cell: exit 2, no files).
            for (std::size_t cell = 0; cell < grid.cells(); ++cell)
                configs.push_back(cell_config(grid.arguments(cell), command_line));
            if (const auto problem = output_directory_problem(flags->out); !problem.empty()) throw BadInput(problem);
            const Json config = grid.to_json();
            fingerprint = fingerprint_of(config);
            if (flags->resume) {
                std::ifstream in(manifest_path);
                if (!in) throw BadInput("--resume: '" + manifest_path.string() + "' does not exist (nothing to resume)");
                Json old;
                try {
                    old = Json::parse(in);
                } catch (const std::exception&) {
                    throw BadInput("--resume: '" + manifest_path.string() + "' is not a sweep's manifest");
                }
                if (old.value("fingerprint", std::string()) != fingerprint)
                    throw BadInput("--resume: the configuration's fingerprint " + fingerprint + " differs from " +
                                   old.value("fingerprint", std::string("none")) + " in " + manifest_path.string() +
                                   " (another sweep's directory)");
            } else if (fs::exists(manifest_path) || fs::exists(results)) {
                throw BadInput("--out: '" + flags->out + "' holds a sweep already (--resume continues it)");
            }
            manifest["config"] = config;
            manifest["fingerprint"] = fingerprint;
            RunConfig first = configs.front();
            first.command = "sweep";
            manifest["provenance"] = provenance(first);
        } catch (const BadInput& e) {
            return report_bad_input("sweep", e.what());
        }
        SweepFarm farm;
        std::map<std::size_t, std::string> records;
        if (farm.is_manager()) {
            fs::create_directories(dir);
            if (flags->resume) {
                records = read_records(results, grid);
                replace_file(results.string(), all_records(records));  // whole records only, before appending
            } else {
                replace_file(manifest_path.string(), report::to_text(manifest) + "\n");
            }
        }
        std::vector<std::size_t> todo;
        for (std::size_t cell = 0; cell < grid.cells(); ++cell)
            if (records.count(cell) == 0) todo.push_back(cell);
        set_kernel_threads(1);  // one thread per cell: no oversubscription with the kernels' own threads
        Progress progress(grid.cells(), records.size());
        std::mutex write_mutex;
        // Each record reaches the file in one write() (a killed process cannot cut it); the disk is flushed
        // at most once a second (about 3 ms per fsync here: once per record held the cells' threads back).
        auto last_sync = std::chrono::steady_clock::now();
        const auto deliver = [&](std::size_t cell, std::string line) {
            const std::lock_guard lock(write_mutex);
            const auto now = std::chrono::steady_clock::now();
            const bool sync = now - last_sync >= std::chrono::seconds(1);
            if (sync) last_sync = now;
            append_durably(results.string(), line, sync);
            progress.finished(record_done(line));
            records[cell] = std::move(line);
        };
        const auto solve_cell = [&](std::size_t cell) { return sweep_record(cell, grid.arguments(cell), configs[cell]); };
        farm.run(todo, jobs, solve_cell, deliver);
        if (!farm.is_manager()) return exit_done;
        replace_file(results.string(), all_records(records));  // cell order
        std::size_t not_done = 0;
        for (const auto& [cell, line] : records) not_done += record_done(line) ? 0 : 1;
        std::cout << "normdyn sweep: " << records.size() << " cells (" << todo.size() << " run now), " << not_done
                  << " not done; wrote " << results.string() << " and " << manifest_path.string() << '\n';
        return not_done == 0 ? exit_done : exit_partial;
    };
}

}  // namespace normdyn::cli
