// `normdyn bench-precision`: how cheap many digits are. The equiangular γ(2) for Post-LN, n = 8, β = 1
// (spec §4) by the Taylor method and by Bulirsch–Stoer in MPFR, timed (median of --repeats runs) and scored
// in correct digits against a reference computed in the same run at many more digits; the full n-particle
// system (n = d = 8, orthonormal start) against the equiangular reduction; and, with --mpmath-script, the
// independent mpmath reference (scripts/reference_equiangular.py) timed on the same problem.
#include "cli_common.hpp"

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <sys/resource.h>
#include <time.h>

namespace normdyn::cli {

namespace {

using R = mp_digits;
constexpr std::size_t tokens = 8;
const char* const beta_text = "1";
const char* const t_end_text = "2";

double median(std::vector<double> s) {
    std::sort(s.begin(), s.end());
    return s.empty() ? 0.0 : (s[(s.size() - 1) / 2] + s[s.size() / 2]) / 2;
}

// CPU seconds of this process, or of its finished children: on a shared machine the wall clock measures the
// other jobs too, so both are reported.
double cpu_seconds(bool children = false) {
    if (children) {
        rusage usage{};
        getrusage(RUSAGE_CHILDREN, &usage);
        return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               1e-6 * double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
    }
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

struct Timed {
    std::string gamma, r;         // decimal, every digit
    std::vector<std::string> also;  // further values of γ to score (the full system's pair cosines)
    std::vector<double> seconds, cpu;
    solve::SolveStats stats;
};

/// Times one call of `run` into `timed` (wall and CPU seconds).
template <class Run> void timed_call(Timed& timed, Run&& run, bool children = false) {
    const double cpu_start = cpu_seconds(children);
    const auto start = std::chrono::steady_clock::now();
    run();
    timed.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    timed.cpu.push_back(cpu_seconds(children) - cpu_start);
}

// The method of these runs: the stepper at rtol = atol = 10^-tolerance_digits in `working_digits` digits.
solve::Method method(solve::Stepper stepper, unsigned working_digits, unsigned tolerance_digits) {
    solve::Method method;
    method.stepper = stepper;
    method.rtol = method.atol = "1e-" + std::to_string(tolerance_digits);
    method.precision = {scalar_name<R>(), working_digits};
    return method;
}

// Only the final state is kept: one output time, no observables.
solve::Sampling final_state_only() {
    solve::Sampling sampling;
    sampling.samples = 1;
    sampling.observables = {"t"};
    return sampling;
}

// γ(2) and r(2) of the equiangular system at `working_digits`, tolerance 10^-tolerance_digits.
Timed equiangular_gamma(solve::Stepper stepper, unsigned working_digits, unsigned tolerance_digits, int repeats) {
    set_runtime_digits(working_digits);
    Timed timed;
    for (int i = 0; i < repeats; ++i) {
        solve::Trajectory<R> solution;
        timed_call(timed, [&] {
            model::Problem<R> problem;
            problem.system = model::SystemKind::equiangular;
            problem.n = tokens;
            problem.beta = R(beta_text);
            problem.t_end = R(t_end_text);
            solution = solve::solve(problem, method(stepper, working_digits, tolerance_digits), final_state_only());
        });
        if (solution.status != solve::SolveStatus::done) throw std::runtime_error("bench: " + solution.reason);
        timed.gamma = to_decimal(R(1 - solution.final_state[0]));
        timed.r = to_decimal(solution.final_state[1]);
        timed.stats = solution.stats;
    }
    return timed;
}

// The full system from the orthonormal start: γ is every pair's <θ_j, θ_k> (all scored, the worst reported).
Timed particles_gamma(unsigned working_digits, unsigned tolerance_digits, int repeats) {
    set_runtime_digits(working_digits);
    Timed timed;
    for (int i = 0; i < repeats; ++i) {
        solve::Trajectory<R> solution;
        timed_call(timed, [&] {
            model::Problem<R> problem;  // Post-LN from the orthonormal start, n = d
            problem.n = problem.d = tokens;
            problem.beta = R(beta_text);
            problem.init.kind = model::InitKind::orthonormal;
            problem.t_end = R(t_end_text);
            solution = solve::solve(problem, method(solve::Stepper::taylor, working_digits, tolerance_digits),
                                    final_state_only());
        });
        if (solution.status != solve::SolveStatus::done) throw std::runtime_error("bench: " + solution.reason);
        Eigen::Map<const model::RowMatrix<R>> x(solution.final_state.data(), tokens, tokens);
        timed.also.clear();
        for (Eigen::Index j = 0; j < x.rows(); ++j)
            for (Eigen::Index k = j + 1; k < x.rows(); ++k)
                timed.also.push_back(to_decimal(R(x.row(j).dot(x.row(k)) / (x.row(j).norm() * x.row(k).norm()))));
        timed.gamma = timed.also.front();
        timed.r = to_decimal(R(x.row(0).norm()));
        timed.stats = solution.stats;
    }
    return timed;
}

// −log10 |a − b| / |b|, read at the reference's precision.
double correct_digits(const std::string& value, const std::string& reference, unsigned reference_digits) {
    set_runtime_digits(reference_digits);
    using std::abs;
    using std::log10;
    const R error = abs(R(value) - R(reference)) / abs(R(reference));
    if (error == 0) return double(reference_digits);
    return -to_double(log10(error));
}

struct Flags {
    int repeats = 5;
    std::string mpmath_script;
    bool json = false;
};

// Runs the mpmath reference once per repeat for `digits`; its seconds include Python's start-up and its two
// passes (dps D + 10 and D + 25).
Timed mpmath_gamma(const std::string& script, unsigned digits, int repeats) {
    Timed timed;
    const std::string command = "python3 '" + script + "' --scheme post-ln --n 8 --beta 1 --t-end 2 --digits " +
                                std::to_string(digits) + " 2>/dev/null";
    for (int i = 0; i < repeats; ++i) {
        std::string out;
        timed_call(
            timed,
            [&] {
                std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
                if (!pipe) throw std::runtime_error("bench: cannot run python3");
                char buffer[4096];
                while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, got);
            },
            true);
        if (out.empty()) throw std::runtime_error("bench: the mpmath script gave no output");
        const auto line = report::Json::parse(out);
        timed.gamma = line.at("gamma").get<std::string>();
    }
    return timed;
}

report::Json row(const std::string& method, unsigned target, unsigned working, const Timed& timed,
                 const std::string& reference, unsigned reference_digits) {
    report::Json r;
    r["method"] = method;
    r["target_digits"] = target;
    r["working_digits"] = working;
    r["median_cpu_s"] = median(timed.cpu);
    r["median_wall_s"] = median(timed.seconds);
    r["runs_cpu_s"] = timed.cpu;
    double digits = correct_digits(timed.gamma, reference, reference_digits);
    for (const auto& value : timed.also) digits = std::min(digits, correct_digits(value, reference, reference_digits));
    r["correct_digits"] = std::floor(digits * 10) / 10;
    r["steps"] = timed.stats.steps;
    r["rhs_evals"] = timed.stats.rhs_evals;
    r["gamma"] = timed.gamma;
    return r;
}

int run_bench(const Flags& flags) {
    if (flags.repeats < 1) return report_bad_input("bench-precision", "--repeats: must be >= 1");
    if (!flags.mpmath_script.empty() && !std::filesystem::is_regular_file(flags.mpmath_script))
        return report_bad_input("bench-precision", "--mpmath-script: no such file '" + flags.mpmath_script + "'");
    constexpr unsigned reference_digits = 160;
    const Timed reference = equiangular_gamma(solve::Stepper::taylor, reference_digits, reference_digits - 10, 1);
    report::Json rows = report::Json::array();
    for (unsigned target : {50u, 100u})  // working precision and tolerance a few digits beyond the target
        rows.push_back(row("taylor", target, target + 8, equiangular_gamma(solve::Stepper::taylor, target + 8, target + 3,
                                                                           flags.repeats),
                           reference.gamma, reference_digits));
    rows.push_back(row("bulirsch-stoer", 50, 58,
                       equiangular_gamma(solve::Stepper::bulirsch_stoer, 58, 53, flags.repeats), reference.gamma,
                       reference_digits));
    rows.push_back(row("taylor, n-particle system (n = d = 8)", 50, 58, particles_gamma(58, 53, flags.repeats),
                       reference.gamma, reference_digits));
    if (!flags.mpmath_script.empty())
        for (unsigned target : {50u, 100u})
            rows.push_back(row("mpmath reference script (Taylor jets, two passes)", target, target + 25,
                               mpmath_gamma(flags.mpmath_script, target, flags.repeats), reference.gamma,
                               reference_digits));
    report::Json document;
    document["problem"] = "equiangular gamma(2), post-ln, n = 8, beta = 1, r0 = 1 (spec section 4)";
    document["reference"] = {{"method", "taylor"}, {"working_digits", reference_digits}, {"gamma", reference.gamma}};
    document["repeats"] = flags.repeats;
    document["rows"] = rows;
    if (flags.json) {
        std::cout << report::to_text(document) << '\n';
        return exit_done;
    }
    std::printf("%-52s %6s %7s %9s %9s %7s %8s\n", "method", "target", "correct", "cpu_s", "wall_s", "steps",
                "rhs/pass");
    for (const auto& r : rows)
        std::printf("%-52s %6u %7.1f %9.4f %9.4f %7zu %8zu\n", r["method"].get<std::string>().c_str(),
                    r["target_digits"].get<unsigned>(), r["correct_digits"].get<double>(),
                    r["median_cpu_s"].get<double>(), r["median_wall_s"].get<double>(), r["steps"].get<std::size_t>(),
                    r["rhs_evals"].get<std::size_t>());
    std::printf("medians of %d runs; correct digits against the Taylor reference at %u digits\n", flags.repeats,
                reference_digits);
    return exit_done;
}

}  // namespace

CommandRunner bench_precision_command(CLI::App& command) {
    auto flags = std::make_shared<Flags>();
    command.add_option("--repeats", flags->repeats, "timed runs per method (the median is reported)")
        ->capture_default_str();
    command.add_option("--mpmath-script", flags->mpmath_script,
                       "also time scripts/reference_equiangular.py (python3 + mpmath) on the same problem")
        ->type_name("PATH");
    command.add_flag("--json", flags->json, "print the results as JSON");
    return [flags](const std::string&) { return run_bench(*flags); };
}

}  // namespace normdyn::cli
