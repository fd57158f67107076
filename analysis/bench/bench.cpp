// `normdyn bench`: the performance benchmark, in one run. Every case runs in its own child
// process (its peak resident memory is its own); repeated cases are interleaved and reported as medians.
//   (a) the attention kernel alone: GFLOP/s (4 n² d flops per call) against the machine's DGEMM rate
//       measured in the same run (NumPy's matmul, OpenBLAS);
//   (b) Post-LN, Pre-LN, Peri-LN end to end (β = 1, t = 10, rtol 1e-10, atol 1e-12) beside the SciPy peer
//       (DOP853, same tolerances) from the peer's own initial state: normdyn's dopri5 in its max norm (the
//       benchmark's headline comparison, each program in its default norm) and normdyn's dop853 in the RMS norm (method for method), ratios of wall times
//       and the final observables of all three;
//   (c) the cost of one right-hand side against n, with the fitted exponent and its 95 % interval.
// Every child, normdyn's and Python's, runs in one environment: the bench's own less OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE, as the peer asks for a fair comparison. Both then load the same OpenBLAS, which picks its
// kernels for this CPU in each of them (the header names the pick of both).
#include "../cli_common.hpp"

#include "bench_cases.hpp"
#include "child_process.hpp"

#include "normdyn/measure/fit.hpp"
#include "normdyn/model/attention.hpp"
#include "normdyn/model/scheme.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace normdyn::cli {

namespace {

namespace fs = std::filesystem;
using report::Json;
using bench::ChildResult;
using bench::run_child;

const char* numpy_gemm_script = R"PY(
import ctypes, json, sys, time
import numpy as np
n, reps = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(1)
a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
a @ b
times = []
for _ in range(reps):
    t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)
times.sort()
core, threads = "unknown", 0
for line in open("/proc/self/maps"):
    if "blas" in line and ".so" in line:
        try:
            lib = ctypes.CDLL(line.split()[-1])
            lib.openblas_get_corename.restype = ctypes.c_char_p
            core, threads = lib.openblas_get_corename().decode(), lib.openblas_get_num_threads()
            break
        except Exception:
            pass
print(json.dumps(dict(median_s=times[len(times) // 2], core=core, threads=threads)))
)PY";

// The peer's initial state, drawn exactly as ../shared/peers/scipy_na.py draws it.
const char* peer_start_script = R"PY(
import sys
import numpy as np
start, n, d, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x0 = np.random.default_rng(0).standard_normal((n, d))
if start == "unit":
    x0 /= np.linalg.norm(x0, axis=1, keepdims=True)
np.savetxt(path, x0, delimiter=",", fmt="%.17g")
)PY";

/// Unset in every child: one environment for normdyn and the peer.
const std::vector<std::string> blas_env_unset = {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"};

struct Options {
    bool quick = false;
    int runs = 3;
    std::string peer = "../shared/peers/scipy_na.py";
    std::string python = "/usr/bin/python3";
    std::string work_dir;
    std::string case_spec;  // internal: run one case and print its JSON
};

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

std::string fixed(double v, int digits) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << v;
    return os.str();
}

std::string sci(double v, int digits = 2) {
    std::ostringstream os;
    os << std::scientific << std::setprecision(digits) << v;
    return os.str();
}

std::string load() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

Json parse_child(const ChildResult& r, const std::string& what) {
    if (r.exit_code != 0) throw std::runtime_error(what + " exited with code " + std::to_string(r.exit_code));
    const auto last = r.output.find_last_not_of("\n");
    const auto line_start = r.output.rfind('\n', last);
    return Json::parse(r.output.substr(line_start == std::string::npos ? 0 : line_start + 1));
}

struct Measured {
    std::vector<double> seconds;
    double peak_rss_mib = 0;
    Json last;
    void add(double s, double rss, Json j) {
        seconds.push_back(s);
        peak_rss_mib = std::max(peak_rss_mib, rss);
        last = std::move(j);
    }
};

class Bench {
public:
    explicit Bench(Options options) : options_(std::move(options)), self_(bench::self_executable()) {}

    int operator()() {
        std::cout << "# normdyn bench" << (options_.quick ? " --quick" : "") << "\n\n";
        std::cout << "Load average at start: " << load() << " (2 cores); kernel threads: " << normdyn::kernel_threads()
                  << "; kernel backend: " << normdyn::kernel_backend() << "; runs per case: " << options_.runs
                  << " (interleaved, medians)\n\n";
        kernel_section();
        std::cout << std::flush;
        integration_section();
        std::cout << std::flush;
        scaling_section();
        std::cout << "Load average at end: " << load() << "\n";
        if (!all_agree_) {
            std::cerr << "normdyn bench: normdyn and the peer reached different final states (see section b)\n";
            return exit_failed;
        }
        return exit_done;
    }

private:
    // One line per case on standard error: the whole benchmark takes minutes.
    static void progress(const std::string& what) { std::cerr << "normdyn bench: " << what << std::endl; }

    Json self_case(const std::string& spec, double& rss) {
        const auto r = run_child({self_, "bench", "--case", spec}, blas_env_unset);
        rss = r.peak_rss_mib;
        return parse_child(r, "normdyn bench --case " + spec);
    }

    // (a) ------------------------------------------------------------------------------------------------
    void kernel_section() {
        const std::vector<std::pair<int, int>> sizes =
            options_.quick ? std::vector<std::pair<int, int>>{{256, 256}}
                           : std::vector<std::pair<int, int>>{{1024, 1024}, {512, 128}, {1024, 256}, {4096, 64}};
        const int gemm_n = options_.quick ? 512 : 1024;
        const double budget = options_.quick ? 0.1 : 0.5;
        std::vector<Measured> kernel(sizes.size());
        Measured numpy, eigen;
        std::string core = "unknown", our_core = "unknown";
        int blas_threads = 0;
        for (int run = 0; run < options_.runs; ++run) {
            progress("(a) run " + std::to_string(run + 1) + "/" + std::to_string(options_.runs) + ": the kernel and DGEMM");
            for (std::size_t i = 0; i < sizes.size(); ++i) {
                double rss = 0;
                const Json j = self_case("kernel " + std::to_string(sizes[i].first) + " " +
                                             std::to_string(sizes[i].second) + " " + std::to_string(budget),
                                         rss);
                kernel[i].add(j["median_s"].get<double>(), rss, j);
                our_core = j["blas_core"].get<std::string>();
            }
            const auto r = run_child({options_.python, "-c", numpy_gemm_script, std::to_string(gemm_n),
                                      options_.quick ? "3" : "7"},
                                     blas_env_unset);
            const Json j = parse_child(r, "numpy matmul");
            numpy.add(j["median_s"].get<double>(), r.peak_rss_mib, j);
            core = j["core"].get<std::string>();
            blas_threads = j["threads"].get<int>();
            double rss = 0;
            const Json e = self_case("eigen-gemm " + std::to_string(gemm_n) + " " + std::to_string(budget), rss);
            eigen.add(e["median_s"].get<double>(), rss, e);
        }
        const double gemm_flops = 2.0 * std::pow(double(gemm_n), 3);
        const double dgemm_rate = gemm_flops / median(numpy.seconds) / 1e9;
        const double eigen_rate = gemm_flops / median(eigen.seconds) / 1e9;
        std::cout << "## (a) The attention kernel alone (Attention<double>::apply, β = 1, Q = K = V = I)\n\n"
                  << "Machine DGEMM rate, same run: NumPy " << gemm_n << "×" << gemm_n << " matmul = **"
                  << fixed(dgemm_rate, 1) << " GFLOP/s** (OpenBLAS core " << core << ", " << blas_threads
                  << " threads); normdyn's kernel: " << normdyn::kernel_backend() << " core " << our_core
                  << " (every child of this run, normdyn's and the peer's, with OPENBLAS_CORETYPE and "
                  << "OPENBLAS_L2_SIZE unset); Eigen's own GEMM (baseline x86-64 build, 1 thread) = "
                  << fixed(eigen_rate, 1) << " GFLOP/s.\n\n"
                  << "| n | d | median time per call | GFLOP/s (4 n² d) | fraction of DGEMM | peak RSS |\n"
                  << "|---:|---:|---:|---:|---:|---:|\n";
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            const double n = sizes[i].first, d = sizes[i].second;
            const double rate = 4 * n * n * d / median(kernel[i].seconds) / 1e9;
            std::cout << "| " << sizes[i].first << " | " << sizes[i].second << " | "
                      << fixed(median(kernel[i].seconds) * 1e3, 3) << " ms | " << fixed(rate, 1) << " | "
                      << fixed(100 * rate / dgemm_rate, 0) << " % | " << fixed(kernel[i].peak_rss_mib, 0)
                      << " MiB |\n";
        }
        std::cout << "\nTarget: at n = d = 1024, at least 60 % of the DGEMM rate.\n\n";
    }

    // (b) ------------------------------------------------------------------------------------------------
    struct Problem {
        std::string scheme;
        int n, d;
        double target;
    };

    void integration_section() {
        std::cout << "## (b) End to end beside the SciPy peer (β = 1, t = 0…10, rtol 1e-10, atol 1e-12)\n\n";
        if (!fs::exists(options_.peer)) {
            std::cout << "Peer not found at " << options_.peer << " (--peer PATH): section skipped.\n\n";
            return;
        }
        std::vector<Problem> problems;
        const std::vector<std::tuple<int, int, double>> sizes =
            options_.quick ? std::vector<std::tuple<int, int, double>>{{32, 64, 10}}
                           : std::vector<std::tuple<int, int, double>>{{32, 64, 10}, {512, 128, 3}, {1024, 256, 2}};
        for (const auto& [n, d, target] : sizes)
            for (const char* scheme : {"post-ln", "pre-ln", "peri-ln"}) problems.push_back({scheme, n, d, target});
        const fs::path dir = options_.work_dir.empty() ? fs::temp_directory_path() / ("normdyn-bench-" + std::to_string(getpid()))
                                                       : fs::path(options_.work_dir);
        fs::create_directories(dir);
        std::vector<Measured> ours(problems.size()), ours853(problems.size()), peer(problems.size());
        std::vector<std::string> csv(problems.size());
        for (std::size_t i = 0; i < problems.size(); ++i) {
            const auto& p = problems[i];
            csv[i] = (dir / (p.scheme + "-" + std::to_string(p.n) + "x" + std::to_string(p.d) + ".csv")).string();
            // The scheme's default start (spec §2): unit directions or a Gaussian cloud, as the peer draws it.
            const std::string start = model::starts_gaussian(model::parse_scheme(p.scheme)) ? "gaussian" : "unit";
            const auto r = run_child({options_.python, "-c", peer_start_script, start, std::to_string(p.n),
                                      std::to_string(p.d), csv[i]},
                                     blas_env_unset);
            if (r.exit_code != 0) throw std::runtime_error("writing the peer's initial state failed");
        }
        for (int run = 0; run < options_.runs; ++run)
            for (std::size_t i = 0; i < problems.size(); ++i) {
                const auto& p = problems[i];
                progress("(b) run " + std::to_string(run + 1) + "/" + std::to_string(options_.runs) + ": " + p.scheme +
                         ", n = " + std::to_string(p.n) + ", d = " + std::to_string(p.d));
                auto run_normdyn = [&](const std::string& method, Measured& into) {
                    double rss = 0;
                    const Json j = self_case("integrate " + p.scheme + " " + csv[i] + " 10 " + method, rss);
                    if (j["status"] != "done") throw std::runtime_error("normdyn stopped: " + j["reason"].get<std::string>());
                    into.add(j["wall_s"].get<double>(), rss, j);
                };
                auto run_headline = [&] { run_normdyn("dopri5 max", ours[i]); };
                auto run_like = [&] { run_normdyn("dop853 rms", ours853[i]); };
                auto run_peer = [&] {
                    const auto r = run_child({options_.python, options_.peer, p.scheme, std::to_string(p.n),
                                              std::to_string(p.d), "1", "10", "1e-10", "DOP853"},
                                             blas_env_unset);
                    const Json j = parse_child(r, "the peer");
                    peer[i].add(j["wall_s"].get<double>(), r.peak_rss_mib, j);
                };
                // Rotate the order, so that a drift in the machine's load cancels.
                if (run % 3 == 0) run_headline(), run_like(), run_peer();
                else if (run % 3 == 1) run_peer(), run_headline(), run_like();
                else run_like(), run_peer(), run_headline();
            }
        std::cout << "| scheme | n | d | peer DOP853 (RMS norm) | evals | normdyn dopri5, max norm | evals | speed-up "
                     "| normdyn dop853, RMS norm | evals | speed-up | target | same final state (max Δ) | peak RSS "
                     "normdyn / peer |\n"
                  << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n";
        for (std::size_t i = 0; i < problems.size(); ++i) {
            const auto& p = problems[i];
            const Json& b = peer[i].last;
            // Largest difference of the final observables from the peer's (γ_min, γ_mean; r̄ relative): two
            // different methods at rtol 1e-10 differ by their global errors.
            auto difference = [&](const Json& a) {
                return std::max({std::abs(a["gamma_min"].get<double>() - b["gamma_min"].get<double>()),
                                 std::abs(a["gamma_mean"].get<double>() - b["gamma_mean"].get<double>()),
                                 std::abs(a["radius_mean"].get<double>() - b["radius_mean"].get<double>()) /
                                     std::abs(b["radius_mean"].get<double>())});
            };
            const double peer_s = median(peer[i].seconds);
            const double ratio = peer_s / median(ours[i].seconds), ratio853 = peer_s / median(ours853[i].seconds);
            const double worst = std::max(difference(ours[i].last), difference(ours853[i].last));
            const bool agree = worst <= 1e-6;
            all_agree_ = all_agree_ && agree;
            std::cout << "| " << p.scheme << " | " << p.n << " | " << p.d << " | " << fixed(peer_s, 3) << " s | " << b["nfev"].get<std::size_t>() << " | " << fixed(median(ours[i].seconds), 3) << " s | "
                      << ours[i].last["rhs_evals"].get<std::size_t>() << " | " << fixed(ratio, 1) << "× | "
                      << fixed(median(ours853[i].seconds), 3) << " s | " << ours853[i].last["rhs_evals"].get<std::size_t>()
                      << " | **" << fixed(ratio853, 1) << "×** | ≥ " << fixed(p.target, 0) << "×: dopri5 "
                      << (ratio >= p.target ? "met" : "missed") << ", dop853 " << (ratio853 >= p.target ? "met" : "missed")
                      << " | " << (agree ? "yes" : "**NO**") << " (" << sci(worst) << ") | "
                      << fixed(std::max(ours[i].peak_rss_mib, ours853[i].peak_rss_mib), 0) << " / "
                      << fixed(peer[i].peak_rss_mib, 0) << " MiB |\n";
        }
        std::cout << "\nWall times are each program's own timer around its integration (no start-up, no I/O), medians "
                     "of interleaved runs; initial states: the peer's default_rng(0) draw, written to CSV with 17 "
                     "digits; β = 1, rtol 1e-10, atol 1e-12 for all three. The first speed-up is the headline "
                     "comparison, each program in its default norm: normdyn's dopri5 (5th order) with its default max norm (every component within "
                     "atol + rtol |x_i|) against the peer's DOP853 (8th order) in SciPy's RMS norm, which allows up to "
                     "sqrt(N) times larger single-component errors: it needs several times the peer's evaluations. "
                     "The second is method for method: normdyn's dop853 (Hairer's coefficients and controller, "
                     "`--stepper dop853 --error-norm rms`) against the same method in SciPy, so the ratio is the cost "
                     "of one step. Same final state: the largest of |Δγ_min|, |Δγ_mean| and |Δr̄|/r̄ against the peer, "
                     "over both normdyn runs, within 1e-6.\n\n";
        std::error_code ignored;
        if (options_.work_dir.empty()) fs::remove_all(dir, ignored);
    }

    // (c) ------------------------------------------------------------------------------------------------
    void scaling_section() {
        const int d = 64;
        std::vector<int> ns = options_.quick ? std::vector<int>{32, 64, 128, 256, 512}
                                             : std::vector<int>{32, 64, 128, 256, 512, 1024, 2048, 4096};
        const int fit_from = options_.quick ? 128 : 256;
        const double budget = options_.quick ? 0.1 : 0.4;
        std::vector<Measured> cost(ns.size());
        for (int run = 0; run < options_.runs; ++run) {
            progress("(c) run " + std::to_string(run + 1) + "/" + std::to_string(options_.runs) + ": one right-hand side, n = 32 … " + std::to_string(ns.back()));
            for (std::size_t i = 0; i < ns.size(); ++i) {
                double rss = 0;
                const Json j = self_case("rhs " + std::to_string(ns[i]) + " " + std::to_string(d) + " " +
                                             std::to_string(budget),
                                         rss);
                cost[i].add(j["median_s"].get<double>(), rss, j);
            }
        }
        std::cout << "## (c) Cost of one right-hand side against n (Pre-LN, d = " << d << ")\n\n"
                  << "| n | median time | GFLOP/s (4 n² d) | peak RSS |\n|---:|---:|---:|---:|\n";
        std::vector<double> log_n, log_t;
        for (std::size_t i = 0; i < ns.size(); ++i) {
            const double t = median(cost[i].seconds), n = ns[i];
            std::cout << "| " << ns[i] << " | " << sci(t, 3) << " s | " << fixed(4 * n * n * d / t / 1e9, 1) << " | "
                      << fixed(cost[i].peak_rss_mib, 0) << " MiB |\n";
            if (ns[i] >= fit_from) {
                log_n.push_back(std::log(n));
                log_t.push_back(std::log(t));
            }
        }
        const auto fit = measure::fit_line(log_n, log_t);
        std::cout << "\nFitted exponent for n ≥ " << fit_from << ": **" << fixed(fit.slope, 3) << "** (95 % CI "
                  << fixed(fit.slope_ci95[0], 3) << " … " << fixed(fit.slope_ci95[1], 3) << ", " << fit.points
                  << " points); target 1.9 – 2.1: " << (fit.slope >= 1.9 && fit.slope <= 2.1 ? "met" : "missed") << ".\n\n";
    }

    Options options_;
    std::string self_;
    bool all_agree_ = true;
};

}  // namespace

CommandRunner bench_command(CLI::App& command) {
    auto options = std::make_shared<Options>();
    command.add_flag("--quick", options->quick, "a smoke run: small sizes, one run per case");
    command.add_option("--runs", options->runs, "runs per case, interleaved (default 3; 1 with --quick)")
        ->check(CLI::Range(1, 99));
    command.add_option("--peer", options->peer, "the SciPy peer script (default ../shared/peers/scipy_na.py)");
    command.add_option("--python", options->python, "the Python that runs NumPy and the peer (default /usr/bin/python3)");
    command.add_option("--work-dir", options->work_dir, "keep the peer's initial states here (default: a temporary folder)");
    command.add_option("--case", options->case_spec, "internal: run one case in this process and print its JSON")
        ->group("");
    return [options, &command](const std::string&) {
        if (!options->case_spec.empty()) {
            try {
                std::cout << bench::run_case(options->case_spec).dump() << std::endl;
            } catch (const std::invalid_argument& e) {
                std::cerr << "normdyn: " << e.what() << '\n';
                return int(exit_bad_input);
            }
            return int(exit_done);
        }
        Options chosen = *options;
        if (chosen.quick && command.count("--runs") == 0) chosen.runs = 1;
        return Bench(chosen)();
    };
}

}  // namespace normdyn::cli
