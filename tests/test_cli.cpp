// Tests of the `normdyn` command line (architecture: "Command line"): the built executable is run with
// its output redirected to files, and its exit code, stderr, stdout JSON and output files are checked.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef NORMDYN_EXE
#error "NORMDYN_EXE (the path of the built normdyn executable) must be defined by the build"
#endif

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct Invocation {
    int exit_code = -1;
    std::string out, err;
};

// A scratch directory of this test process, and fresh names inside it.
fs::path fresh_path(const std::string& stem) {
    static const fs::path scratch = [] {
        const fs::path dir = fs::temp_directory_path() / ("normdyn_test_cli_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        return dir;
    }();
    static int counter = 0;
    return scratch / (stem + "_" + std::to_string(++counter));
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path write_text(const std::string& stem, const std::string& text) {
    const fs::path path = fresh_path(stem);
    std::ofstream(path) << text;
    return path;
}

// Runs `LAUNCHER normdyn ARGUMENTS` (e.g. mpirun) the same way.
Invocation normdyn_via(const std::string& launcher, const std::string& arguments) {
    const fs::path out = fresh_path("stdout"), err = fresh_path("stderr");
    const std::string command = launcher + "'" + NORMDYN_EXE + "' " + arguments + " >'" + out.string() + "' 2>'" +
                                err.string() + "'";
    const int status = std::system(command.c_str());
    Invocation run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_text(out);
    run.err = read_text(err);
    return run;
}

// Runs `normdyn ARGUMENTS` through the shell, stdout and stderr into files.
Invocation normdyn(const std::string& arguments) { return normdyn_via("", arguments); }

std::size_t line_count(const std::string& text) {
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    return lines + (!text.empty() && text.back() != '\n');
}

bool contains_null(const Json& value) {
    if (value.is_null()) return true;
    if (value.is_structured())
        for (const auto& item : value)
            if (contains_null(item)) return true;
    return false;
}

// Bad input: exit code 2, exactly one line on stderr, nothing on stdout, and no --out directory.
void require_rejected(const std::string& arguments) {
    const fs::path out = fresh_path("out");
    const auto run = normdyn(arguments + " --out '" + out.string() + "'");
    INFO("normdyn " << arguments << "\nstderr: " << run.err);
    CHECK(run.exit_code == 2);
    CHECK(line_count(run.err) == 1);
    CHECK(run.out.empty());
    CHECK_FALSE(fs::exists(out));
}

const std::vector<std::string> simulate_series_keys = {"t",          "gamma_min",   "gamma_mean", "gamma_max",
                                                       "var",        "energy",      "radius_mean", "radius_min",
                                                       "speed_max",  "clusters",    "norm_drift"};

}  // namespace

TEST_CASE("every bad argument exits 2 with one line on stderr and writes no files", "[cli]") {
    const std::vector<std::string> bad = {
        "simulate --n 0",
        "simulate --n -3",
        "simulate --d 0",
        "simulate --n 8 --d 4 --init orthonormal",
        "simulate --beta nan",
        "simulate --beta inf",
        "simulate --beta -1",
        "simulate --beta abc",
        "simulate --rtol 0",
        "simulate --rtol -1e-8",
        "simulate --atol -1",
        "simulate --dt -0.1",
        "simulate --t-end -1",
        "simulate --scheme layer-norm",
        "simulate --stepper midpoint",
        "simulate --scheme mix-ln --tau -1",
        "simulate --scheme ngpt --alpha 0",
        "simulate --samples 0",
        "simulate --observables gamma",
        "simulate --observables var,,energy",
        "simulate --observables ''",
        "equiangular --observables var",
        "simulate --stepper euler",
        "simulate --stepper rk4",
        "simulate --stepper bulirsch-stoer --dt 0.1",
        "simulate --init antipodal --n 3",
        "simulate --init spiral",
        "simulate --precision quad",
        "simulate --no-such-flag",
        "simulate --n",
        "equiangular --n 1",
        "equiangular --beta -2",
        "equiangular --digits 60 --stepper dop853",
        "order --tolerances ''",
        "order --tolerances 1e-3,,1e-5",
        "order --stepper ''",
        "layers --h 0x10",
        "frobnicate",
        "",
    };
    for (const auto& arguments : bad) require_rejected(arguments);
}

TEST_CASE("a missing or malformed init file exits 2 naming --init", "[cli]") {
    const auto wrong_columns = write_text("columns.csv", "1,0,0\n0,1\n");
    const auto not_a_number = write_text("word.csv", "1,0,0\n0,one,0\n");
    const auto zero_vector = write_text("zero.csv", "1,0,0\n0,0,0\n");
    for (const auto& path : {wrong_columns, not_a_number, zero_vector, fresh_path("missing.csv")}) {
        require_rejected("simulate --init 'file:" + path.string() + "'");
        const auto run = normdyn("simulate --init 'file:" + path.string() + "'");
        CHECK(run.err.find("--init") != std::string::npos);
    }
}

TEST_CASE("an init file fixes n and d and a conflicting --n or --d is rejected", "[cli]") {
    const auto three_tokens = write_text("tokens.csv", "1,0,0\n0,1,0\n0.6,0.8,0\n");
    const std::string init = "--init 'file:" + three_tokens.string() + "'";
    require_rejected("simulate " + init + " --n 4");
    require_rejected("simulate " + init + " --d 2");
    const auto run = normdyn("simulate " + init + " --n 3 --d 3 --t-end 1 --samples 3 --json");
    REQUIRE(run.exit_code == 0);
    const auto summary = Json::parse(run.out);
    CHECK(summary["params"]["n"] == 3);
    CHECK(summary["params"]["d"] == 3);
}

TEST_CASE("equiangular Post-LN with n = 2 and beta = 0 follows gamma = tanh(t)", "[cli]") {
    const auto run = normdyn("equiangular --scheme post-ln --n 2 --beta 0 --t-end 1 --json");
    REQUIRE(run.exit_code == 0);
    const auto summary = Json::parse(run.out);
    CHECK(summary["status"] == "done");
    CHECK(summary["final"]["gamma"].get<double>() == Approx(std::tanh(1.0)).margin(1e-10));
    const auto& series = summary["series"];
    for (const char* key : {"t", "gamma", "one_minus_gamma", "gamma_dot", "r"}) REQUIRE(series.contains(key));
    for (std::size_t i = 0; i < series["t"].size(); ++i) {
        const double t = series["t"][i];
        CHECK(series["gamma"][i].get<double>() == Approx(std::tanh(t)).margin(1e-10));
        CHECK(series["gamma_dot"][i].get<double>() == Approx(1 - std::tanh(t) * std::tanh(t)).margin(1e-9));
    }
}

TEST_CASE("equiangular --digits 60 alone runs Taylor at rtol 1e-58 and says so in its params", "[cli]") {
    const auto run = normdyn("equiangular --scheme post-ln --n 2 --beta 0 --t-end 1 --digits 60 --json");
    REQUIRE(run.exit_code == 0);
    const auto params = Json::parse(run.out)["params"];
    CHECK(params["stepper"] == "taylor");
    CHECK(params["error_norm"] == "max");
    CHECK(params["precision"] == "mpfr");
    CHECK(params["digits"] == 60);
    CHECK(std::stod(params["rtol"].get<std::string>()) == Approx(1e-58));
    CHECK(std::stod(params["atol"].get<std::string>()) == Approx(1e-58));
    const auto named = Json::parse(normdyn("equiangular --n 2 --t-end 1 --digits 60 --stepper bulirsch-stoer --rtol 1e-30 --json").out);
    CHECK(named["params"]["stepper"] == "bulirsch-stoer");
    CHECK(std::stod(named["params"]["rtol"].get<std::string>()) == Approx(1e-30));
}

TEST_CASE("simulate --json is valid JSON with every series key of equal length", "[cli]") {
    const auto run = normdyn("simulate --json");
    REQUIRE(run.exit_code == 0);
    CHECK(run.err.empty());
    const auto summary = Json::parse(run.out);
    for (const char* key : {"params", "provenance", "status", "t_reached", "stats", "final", "series"})
        CHECK(summary.contains(key));
    for (const char* key : {"steps", "rejected", "rhs_evals", "wall_s"}) CHECK(summary["stats"].contains(key));
    CHECK(summary["status"] == "done");
    CHECK(summary["t_reached"].get<double>() == 10.0);
    const auto samples = summary["params"]["samples"].get<std::size_t>();
    for (const auto& key : simulate_series_keys) {
        INFO(key);
        REQUIRE(summary["series"].contains(key));
        CHECK(summary["series"][key].size() == samples);
        CHECK(summary["final"][key] == summary["series"][key].back());
    }
    CHECK_FALSE(contains_null(summary));
}

TEST_CASE("Flag --observables writes only the chosen columns, with the values of a run that writes every one", "[cli]") {
    // Each observable is computed from the same Θ and Gram matrix whichever others are asked for, and the
    // solver's steps do not depend on them: the chosen columns are bit for bit those of the full run.
    for (const std::string scheme : {"post-ln", "peri-ln", "mix-ln"}) {
        CAPTURE(scheme);
        const std::string arguments = "simulate --scheme " + scheme + " --n 9 --d 5 --t-end 3 --samples 7 --json";
        const auto all = Json::parse(normdyn(arguments).out);
        for (const std::string chosen : {"var", "energy", "clusters,gamma_max", "speed_max,energy", "spread,norm_drift,radius_min"}) {
            CAPTURE(chosen);
            const auto some = Json::parse(normdyn(arguments + " --observables " + chosen).out);
            CHECK(some["stats"]["rhs_evals"] == all["stats"]["rhs_evals"]);
            std::size_t columns = 1;
            for (const auto& [key, values] : some["series"].items()) {
                CAPTURE(key);
                CHECK(values == all["series"][key]);
            }
            for (char c : chosen) columns += c == ',';
            CHECK(some["series"].size() == columns + 1);
            CHECK(some["params"]["observables"].size() == columns);
        }
    }
}

TEST_CASE("the same seed gives identical output and another seed does not", "[cli]") {
    const std::string arguments = "simulate --scheme pre-ln --n 6 --d 4 --beta 2 --t-end 3 --samples 7 --json";
    const auto first = Json::parse(normdyn(arguments + " --seed 42").out);
    const auto second = Json::parse(normdyn(arguments + " --seed 42").out);
    const auto other = Json::parse(normdyn(arguments + " --seed 43").out);
    CHECK(first["series"] == second["series"]);
    CHECK(first["final"] == second["final"]);
    CHECK(first["params"] == second["params"]);
    CHECK(first["stats"]["steps"] == second["stats"]["steps"]);
    CHECK(first["series"] != other["series"]);
}

TEST_CASE("Peri-LN antipodal pair at beta = 0 stops partial at the singular speed factor", "[cli]") {
    const fs::path out = fresh_path("out");
    const auto run =
        normdyn("simulate --scheme peri-ln --init antipodal --n 2 --d 3 --beta 0 --json --out '" + out.string() + "'");
    CHECK(run.exit_code == 3);
    CHECK(line_count(run.err) == 1);
    const auto summary = Json::parse(run.out);
    CHECK(summary["status"] == "partial");
    CHECK(summary["t_reached"].get<double>() == 0.0);
    CHECK(summary["reason"].get<std::string>().find("singular speed factor") != std::string::npos);
    CHECK(run.out.find("NaN") == std::string::npos);
    CHECK_FALSE(contains_null(summary));
    // What was computed is kept: both files, with the same status.
    REQUIRE(fs::exists(out / "summary.json"));
    REQUIRE(fs::exists(out / "series.csv"));
    CHECK(Json::parse(read_text(out / "summary.json"))["status"] == "partial");
    CHECK(read_text(out / "summary.json").find("NaN") == std::string::npos);
}

TEST_CASE("Flag --out writes summary.json and series.csv with one row per sample", "[cli]") {
    const fs::path out = fresh_path("out");
    const auto run = normdyn("simulate --n 5 --d 3 --t-end 2 --samples 11 --out '" + out.string() + "'");
    REQUIRE(run.exit_code == 0);
    const auto summary = Json::parse(read_text(out / "summary.json"));
    CHECK(summary["status"] == "done");
    std::istringstream csv(read_text(out / "series.csv"));
    std::string header, line, last_line;
    std::getline(csv, header);
    CHECK(header.rfind("t,", 0) == 0);
    for (const auto& key : simulate_series_keys) CHECK(header.find(key) != std::string::npos);
    const auto columns = std::count(header.begin(), header.end(), ',') + 1;
    std::size_t rows = 0;
    while (std::getline(csv, line)) {
        ++rows;
        CHECK(std::count(line.begin(), line.end(), ',') + 1 == columns);
        last_line = line;
    }
    CHECK(rows == 11);
    // Full precision: the CSV's last time and final gamma_mean are the JSON's digits.
    CHECK(last_line.rfind("2.0,", 0) == 0);
    const std::string gamma_mean_cell = std::string(",").append(summary["final"]["gamma_mean"].dump()).append(",");
    CHECK(last_line.find(gamma_mean_cell) != std::string::npos);
}

TEST_CASE("Flag --out replaces the files of an earlier run and leaves no temporary directory", "[cli]") {
    const fs::path out = fresh_path("out");
    REQUIRE(normdyn("equiangular --t-end 1 --samples 3 --out '" + out.string() + "'").exit_code == 0);
    REQUIRE(normdyn("equiangular --t-end 2 --samples 5 --out '" + out.string() + "'").exit_code == 0);
    CHECK(Json::parse(read_text(out / "summary.json"))["series"]["t"].size() == 5);
    for (const auto& entry : fs::directory_iterator(out.parent_path()))
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("extended precisions write reals as decimal strings with every digit", "[cli]") {
    for (const auto& [precision, digits] : {std::pair{"long-double", 18}, std::pair{"mp50", 48}}) {
        INFO(precision);
        const auto run = normdyn(std::string("equiangular --n 2 --beta 0 --t-end 1 --samples 3 --json --precision ") +
                                 precision);
        REQUIRE(run.exit_code == 0);
        const auto summary = Json::parse(run.out);
        const auto& gamma = summary["final"]["gamma"];
        REQUIRE(gamma.is_string());
        CHECK(gamma.get<std::string>().size() >= std::size_t(digits));
        CHECK(std::stod(gamma.get<std::string>()) == Approx(std::tanh(1.0)).margin(1e-10));
        CHECK(summary["params"]["beta"].is_string());
        CHECK(summary["params"]["precision"] == precision);
    }
}

TEST_CASE("Flag --help and --version exit 0 and a human summary is printed by default", "[cli]") {
    for (const char* arguments : {"--help", "--version", "simulate --help", "equiangular --help"}) {
        INFO(arguments);
        const auto run = normdyn(arguments);
        CHECK(run.exit_code == 0);
        CHECK_FALSE(run.out.empty());
    }
    const auto run = normdyn("equiangular");
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("done") != std::string::npos);
    CHECK(run.out.find("gamma") != std::string::npos);
}

// `normdyn bench` runs each case in a child `normdyn bench --case ...`: the integration case must reach the
// same final state with dopri5 (max norm) and dop853 (rms norm), report both evaluation counts, and reject a
// malformed case with one line and exit code 2. (Speed is measured by the benchmark, never asserted here.)
TEST_CASE("bench --case integrate runs dopri5/max and dop853/rms to the same final state; bad cases exit 2",
          "[cli][bench]") {
    std::ostringstream csv;
    csv.precision(17);
    for (int j = 0; j < 6; ++j) {
        std::vector<double> row(4);
        double norm = 0;
        for (int c = 0; c < 4; ++c) row[std::size_t(c)] = std::sin(1.3 * j + 0.7 * c * c + 0.1), norm += row[std::size_t(c)] * row[std::size_t(c)];
        for (int c = 0; c < 4; ++c) csv << (c ? "," : "") << row[std::size_t(c)] / std::sqrt(norm);
        csv << "\n";
    }
    const fs::path start = write_text("start.csv", csv.str());
    std::vector<Json> results;
    for (const std::string method : {"dopri5 max", "dop853 rms"}) {
        const auto run = normdyn("bench --case 'integrate post-ln " + start.string() + " 3 " + method + "'");
        INFO(method << "\nstderr: " << run.err);
        REQUIRE(run.exit_code == 0);
        const Json j = Json::parse(run.out);
        CHECK(j["status"] == "done");
        CHECK(j["rhs_evals"].get<std::size_t>() > 0);
        results.push_back(j);
    }
    CHECK(std::abs(results[0]["gamma_min"].get<double>() - results[1]["gamma_min"].get<double>()) <= 1e-8);
    CHECK(std::abs(results[0]["gamma_mean"].get<double>() - results[1]["gamma_mean"].get<double>()) <= 1e-8);
    CHECK(std::abs(results[0]["radius_mean"].get<double>() - 1) <= 1e-9);  // Post-LN keeps |x_j| = 1
    for (const std::string& bad : std::vector<std::string>{"'integrate post-ln'", "'integrate post-ln " + start.string() + " 3 dopri5 l2'",
                                  "'kernel 0 4 0.1'", "'frobnicate'"}) {
        const auto run = normdyn("bench --case " + bad);
        INFO("bench --case " << bad << "\nstderr: " << run.err);
        CHECK(run.exit_code == 2);
        CHECK(line_count(run.err) == 1);
    }
}

// ---------------------------------------------------------------------------------------------------------
// `normdyn sweep` (analysis/sweep.cpp).

namespace {

// results.jsonl without its timing field (stats.wall_s), for byte comparison.
std::string without_timings(const std::string& text) {
    std::string out;
    std::size_t at = 0;
    for (std::size_t key; (key = text.find("\"wall_s\":", at)) != std::string::npos;) {
        out += text.substr(at, key - at);
        at = text.find_first_of(",}", key);
    }
    return out + text.substr(at);
}

// Post-LN and Pre-LN, three beta, 2 seeds, 2 weight kinds: 24 cells of 10 tokens in d = 4.
const std::string small_sweep = "sweep --scheme post-ln,pre-ln --beta 0.5:6:3 --n 10 --d 4 --seeds 2 --weights "
                                "identity,gpt2 --t-end 8 --samples 5 --seed 7";

}  // namespace

TEST_CASE("sweep: results.jsonl is byte-identical (timings aside) for 1 and 2 threads and mpirun -np 3; every "
          "record has simulate's keys; three cells equal `normdyn simulate` of their arguments bit for bit",
          "[cli][sweep]") {
    const fs::path one = fresh_path("sweep1"), two = fresh_path("sweep2");
    const auto run1 = normdyn(small_sweep + " --jobs 1 --out '" + one.string() + "'");
    INFO("stderr: " << run1.err);
    REQUIRE(run1.exit_code == 0);
    const auto run2 = normdyn(small_sweep + " --jobs 2 --out '" + two.string() + "'");
    REQUIRE(run2.exit_code == 0);
    const std::string text1 = read_text(one / "results.jsonl");
    REQUIRE(line_count(text1) == 24);
    CHECK(without_timings(text1) == without_timings(read_text(two / "results.jsonl")));
    CHECK(without_timings(text1) != text1);  // the timing field was there to remove
    const Json manifest = Json::parse(read_text(one / "manifest.json"));
    CHECK(manifest["config"]["cells"] == 24);
    CHECK(manifest["fingerprint"].get<std::string>().size() == 16);

    std::vector<Json> records;
    std::istringstream lines(text1);
    for (std::string line; std::getline(lines, line);) records.push_back(Json::parse(line));
    for (std::size_t i = 0; i < records.size(); ++i) {
        CHECK(records[i]["cell"] == i);  // cell order
        for (const char* key : {"params", "status", "stats", "final", "series"}) CHECK(records[i].contains(key));
    }
    CHECK(records[0]["params"]["seed"] != records[1]["params"]["seed"]);  // each cell its own seed
    CHECK(records[1]["params"]["q"] == "identity");  // the seed index varies fastest, then the weights
    CHECK(records[2]["params"]["q"] == "gpt2");
    CHECK(records[2].contains("hypotheses"));
    CHECK_FALSE(records[0].contains("hypotheses"));
    for (std::size_t cell : {3, 14, 23}) {
        std::string args;
        for (const auto& arg : records[cell]["simulate"]) args += " '" + arg.get<std::string>() + "'";
        const auto simulate = normdyn("simulate" + args + " --json");
        REQUIRE(simulate.exit_code == 0);
        Json summary = Json::parse(simulate.out), record = records[cell];
        summary["stats"].erase("wall_s");
        record["stats"].erase("wall_s");
        INFO("cell " << cell);
        for (const char* key : {"params", "status", "t_reached", "stats", "final", "series"}) CHECK(summary[key] == record[key]);
    }

#ifdef NORMDYN_MPIEXEC
    const fs::path mpi = fresh_path("sweep_mpi");
    const auto run3 = normdyn_via(std::string("'") + NORMDYN_MPIEXEC + "' --allow-run-as-root --oversubscribe -np 3 ",
                                  small_sweep + " --out '" + mpi.string() + "'");
    INFO("mpirun stderr: " << run3.err);
    REQUIRE(run3.exit_code == 0);
    CHECK(without_timings(text1) == without_timings(read_text(mpi / "results.jsonl")));
#else
    WARN("built without MPI: the mpirun comparison is not run");
#endif
}

TEST_CASE("sweep: after SIGKILL and a cut line, --resume finishes the missing cells only and gives the same "
          "results; a changed configuration is refused; bad configurations exit 2 with nothing written",
          "[cli][sweep]") {
    const fs::path reference = fresh_path("sweep_ref"), killed = fresh_path("sweep_killed");
    const std::string sweep = "sweep --scheme pre-ln,post-ln --beta 1:9:4 --n 48 --d 16 --seeds 3 --t-end 200 "
                              "--rtol 1e-13 --samples 3 --jobs 1";
    REQUIRE(normdyn(sweep + " --out '" + reference.string() + "'").exit_code == 0);
    const std::string expected = without_timings(read_text(reference / "results.jsonl"));
    // Started in the background, killed with SIGKILL once a few records are in.
    const std::string results = (killed / "results.jsonl").string();
    const std::string script = "'" + std::string(NORMDYN_EXE) + "' " + sweep + " --out '" + killed.string() +
                               "' 2>/dev/null >/dev/null & pid=$!; "
                               "while [ \"$(cat '" + results + "' 2>/dev/null | wc -l)\" -lt 3 ]; do sleep 0.01; done; "
                               "kill -9 $pid; wait $pid 2>/dev/null; true";
    REQUIRE(std::system(script.c_str()) == 0);
    const std::size_t kept = line_count(read_text(killed / "results.jsonl"));
    INFO("records before the kill: " << kept);
    REQUIRE(kept < 24);
    std::ofstream(results, std::ios::app) << "{\"cell\":23,\"simulate\":[\"--sch";  // a record cut short
    const auto changed = normdyn(sweep + " --seed 1 --resume --out '" + killed.string() + "'");
    CHECK(changed.exit_code == 2);
    CHECK(changed.err.find("fingerprint") != std::string::npos);
    CHECK(line_count(changed.err) == 1);
    const auto resumed = normdyn(sweep + " --resume --out '" + killed.string() + "'");
    INFO("stderr: " << resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(without_timings(read_text(killed / "results.jsonl")) == expected);

    for (const std::string bad : {"--beta 1:2:0", "--beta 1,,2", "--init orthonormal --n 8 --d 4", "--heads 3 --d 4",
                                  "--frobnicate 1", "--weights xavier"}) {
        const fs::path out = fresh_path("sweep_bad");
        const auto run = normdyn("sweep " + bad + " --out '" + out.string() + "'");
        INFO(bad << "\nstderr: " << run.err);
        CHECK(run.exit_code == 2);
        CHECK(line_count(run.err) == 1);
        CHECK_FALSE(fs::exists(out));
    }
    const fs::path config = write_text("sweep.json", "{\"beta\": [0.5, 2], \"seeds\": 2, \"colour\": \"red\"}");
    const fs::path out = fresh_path("sweep_bad_config");
    const auto unknown = normdyn("sweep --config '" + config.string() + "' --out '" + out.string() + "'");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("colour") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    const fs::path good = write_text("sweep.json", "{\"beta\": [0.5, 2], \"seeds\": 2, \"n\": 6, \"d\": 3, \"t-end\": 2}");
    const auto from_config = normdyn("sweep --config '" + good.string() + "' --out '" + out.string() + "'");
    CHECK(from_config.exit_code == 0);
    CHECK(line_count(read_text(out / "results.jsonl")) == 4);
}

TEST_CASE("plot: a sweep's directory gives per-scheme heat maps and the collapse figure; a simulate --out "
          "directory its four panels; a directory with neither exits 2", "[cli][plot]") {
    const fs::path sweep = fresh_path("plot_sweep"), simulate = fresh_path("plot_simulate");
    REQUIRE(normdyn("sweep --scheme post-ln,pre-ln --n 8 --d 4 --beta 1,8 --seeds 2 --t-end 20 --samples 6 --out '" +
                    sweep.string() + "'").exit_code == 0);
    const auto plot = normdyn("plot '" + sweep.string() + "'");
    INFO("stderr: " << plot.err);
    REQUIRE(plot.exit_code == 0);
    for (const char* name : {"sweep_post-ln_heat.gp", "sweep_pre-ln_heat.gp", "sweep_post-ln_collapse.gp"})
        CHECK(fs::exists(sweep / "figures" / name));
    CHECK(read_text(sweep / "figures" / "sweep_post-ln_heat.gp").find("clusters") != std::string::npos);
    REQUIRE(normdyn("simulate --n 8 --d 4 --t-end 5 --out '" + simulate.string() + "'").exit_code == 0);
    CHECK(normdyn("plot '" + simulate.string() + "'").exit_code == 0);
    CHECK(fs::exists(simulate / "figures" / "simulate.gp"));
    const auto missing = normdyn("plot '" + fresh_path("plot_missing").string() + "'");
    CHECK(missing.exit_code == 2);
    CHECK(line_count(missing.err) == 1);
}
