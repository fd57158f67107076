// `normdyn order`: a convergence-order study (measure/order_study.hpp) of one scheme and start, written as
// report.md, order.json and two figures (error against step; work–precision) into --out DIR, and/or the
// JSON on stdout (--json).
#include "cli_common.hpp"
#include "order_report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace normdyn::cli {

namespace {

namespace fs = std::filesystem;

struct OrderFlags {
    std::string scheme = "post-ln", system = "full", init = "default";
    std::string steppers = "euler,rk4,cash-karp54,dopri5,rkf78";
    long long n = 6, d = 4;
    std::string beta = "1", r0 = "1", tau = "1", alpha = "1", t_end = "2";
    std::uint64_t seed = 0;
    bool no_breakpoints = false, quick = false, json = false;
    double ratio = 2;
    long long rungs = 0;
    std::string precision = "mp50", work_precision = "double", tolerances, out, reference = "bulirsch-stoer";
};

struct OrderRun {
    measure::OrderProblem problem;
    measure::StudyOptions options;
};

OrderRun validated(const CLI::App& command, const OrderFlags& f) {
    OrderRun run;
    auto& p = run.problem;
    p.scheme = parsed("--scheme", [&] { return model::parse_scheme(f.scheme); });
    p.system = parsed("--system", [&] { return measure::parse_system(f.system); });
    if (f.n < 1 || f.d < 1) throw BadInput(f.n < 1 ? "--n: must be an integer >= 1" : "--d: must be an integer >= 1");
    p.n = std::size_t(f.n), p.d = std::size_t(f.d);
    p.beta = checked_real("--beta", f.beta, Range::non_negative);
    p.r0 = checked_real("--r0", f.r0, Range::positive);
    p.tau = checked_real("--tau", f.tau, Range::non_negative);
    p.alpha = checked_real("--alpha", f.alpha, Range::positive);
    p.t_end = checked_real("--t-end", f.t_end, Range::positive);
    p.seed = f.seed;
    p.stop_at_breakpoints = !f.no_breakpoints;
    p.init = parsed("--init", [&] { return model::parse_init(f.init); });
    if (p.system == measure::SystemKind::equiangular) {
        if (p.init.kind != model::InitKind::scheme_default && p.init.kind != model::InitKind::orthonormal)
            throw BadInput("--init: the equiangular system starts orthonormal only, got '" + f.init + "'");
        if (p.n < 2) throw BadInput("--n: the equiangular reduction needs n >= 2");
        p.init.kind = model::InitKind::orthonormal;
    } else {
        if (p.init.kind == model::InitKind::scheme_default)
            p.init.kind = model::starts_gaussian(p.scheme) ? model::InitKind::gaussian : model::InitKind::uniform;
        if (p.init.kind == model::InitKind::orthonormal && p.d < p.n)
            throw BadInput("--init orthonormal: needs d >= n, got n = " + std::to_string(p.n) + ", d = " +
                           std::to_string(p.d) + " (or use --system equiangular)");
        if (p.init.kind == model::InitKind::antipodal && p.n != 2) throw BadInput("--init antipodal: needs --n 2");
        if (p.init.kind == model::InitKind::file) {
            const auto tokens = parsed("--init", [&] { return model::read_tokens_csv(p.init.path); });
            p.n = std::size_t(tokens.rows()), p.d = std::size_t(tokens.cols());
        }
    }
    auto& o = run.options;
    for (const auto& name : checked_list("--stepper", f.steppers))
        o.steppers.push_back(parsed("--stepper", [&] { return solve::parse_stepper(name); }));
    if (!(f.ratio > 1) || !std::isfinite(f.ratio)) throw BadInput("--ratio: must be a finite number > 1");
    o.ratio = f.ratio;
    if (f.rungs != 0 && f.rungs < 3) throw BadInput("--rungs: must be an integer >= 3 (0: the default ladder)");
    o.rungs = std::size_t(f.rungs);
    o.quick = f.quick;
    const auto names = solve::precision_names();
    for (const auto& [flag, value] : {std::pair{"--precision", f.precision}, {"--work-precision", f.work_precision}})
        if (std::find(names.begin(), names.end(), value) == names.end())
            throw BadInput(std::string(flag) + ": unknown precision '" + value + "'");
    o.precision = f.precision, o.work_precision_precision = f.work_precision;
    if (command.count("--tolerances") > 0)
        for (const auto& text : checked_list("--tolerances", f.tolerances))
            o.tolerances.push_back(std::stod(checked_real("--tolerances", text, Range::positive)));
    if (o.quick) o.timing_repeats = 1;
    o.reference_stepper = parsed("--reference", [&] { return solve::parse_stepper(f.reference); });
    return run;
}

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
    throw std::runtime_error(what + " '" + path.string() + "': " + std::strerror(errno));
}

// Writes every file into a fresh sibling of DIR, then renames it into place (file by file when DIR
// exists), so that an interrupted run leaves no partial report.
void write_study(const std::string& dir, const measure::Study& study, const report::Json& document,
                 const std::string& command_line, std::vector<std::string>& warnings) {
    fs::path target = fs::absolute(fs::path(dir)).lexically_normal();
    if (!target.has_filename()) target = target.parent_path();
    fs::create_directories(target.parent_path());
    std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("cannot create a directory beside", target);
    const fs::path staging(pattern);
    try {
        std::vector<std::string> names = {"report.md", "order.json"};
        const auto write_text = [&](const std::string& name, const std::string& text) {
            std::ofstream out(staging / name, std::ios::binary);
            out << text;
            out.close();
            if (!out) fail("cannot write", staging / name);
        };
        write_text("report.md", study_markdown(study, command_line));
        write_text("order.json", report::to_text(document) + "\n");
        std::vector<report::Figure> figures = {error_vs_step_figure(study)};
        if (!study.work_precision.empty()) figures.push_back(work_precision_figure(study));
        for (const auto& figure : figures) {
            const auto files = report::write_figure(figure, staging);
            names.push_back(files.script.filename().string());
            if (files.drawn) names.insert(names.end(), {files.png.filename().string(), files.svg.filename().string()});
            else warnings.push_back(files.problem);
        }
        std::error_code error;
        fs::rename(staging, target, error);
        if (error) {
            for (const auto& name : names) fs::rename(staging / name, target / name);
            fs::remove(staging);
        }
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(staging, ignored);
        throw;
    }
}

int run_order(const CLI::App& command, const OrderFlags& flags, const std::string& command_line) {
    OrderRun run;
    try {
        run = validated(command, flags);
        if (command.count("--out") > 0)
            if (const auto problem = output_directory_problem(flags.out); !problem.empty()) throw BadInput(problem);
    } catch (const BadInput& e) {
        return report_bad_input("order", e.what());
    }
    measure::Study study;
    try {
        study = measure::run_study(run.problem, run.options);
    } catch (const std::invalid_argument& e) {
        return report_bad_input("order", e.what());
    }
    RunConfig config;  // for the shared provenance block
    config.command = "order";
    config.command_line = command_line;
    config.seed = run.problem.seed;
    config.method.precision.name = run.options.precision;
    const auto document = study_json(study, provenance(config), command_line);
    std::vector<std::string> warnings;
    if (command.count("--out") > 0) {
        try {
            write_study(flags.out, study, document, command_line, warnings);
        } catch (const std::exception& e) {
            std::cerr << "normdyn order: --out: " << e.what() << '\n';
            return exit_failed;
        }
    }
    for (const auto& warning : warnings) std::cerr << "normdyn order: " << warning << '\n';
    if (flags.json) std::cout << report::to_text(document) << '\n';
    else {
        std::cout << "normdyn order: " << model::to_string(run.problem.scheme) << " ("
                  << measure::system_name(run.problem.system) << ", " << model::to_string(run.problem.init)
                  << ", breakpoints " << (run.problem.stop_at_breakpoints ? "on" : "off") << ")\n";
        for (const auto& row : study.orders)
            std::cout << "  " << solve::to_string(row.stepper) << ": nominal " << row.nominal << ", observed "
                      << row.fit.observed << " [" << row.fit.ci95[0] << ", " << row.fit.ci95[1] << "]\n";
        if (command.count("--out") > 0) std::cout << "  wrote report.md, order.json and figures into " << flags.out << '\n';
    }
    return study_status(study) == "done" ? exit_done : exit_partial;
}

}  // namespace

CommandRunner order_command(CLI::App& command) {
    auto f = std::make_shared<OrderFlags>();
    command.add_option("--scheme", f->scheme, model::scheme_names("|"))->capture_default_str();
    command.add_option("--stepper", f->steppers, "comma-separated: euler,rk4,cash-karp54,dopri5,rkf78,dop853,bulirsch-stoer "
                                                 "(bulirsch-stoer: work-precision only; dop853: --precision double "
                                                 "or long-double)")->capture_default_str();
    command.add_option("--system", f->system, "full|equiangular")->capture_default_str();
    command.add_option("--init", f->init, "default|orthonormal|uniform|gaussian|cone:DELTA|antipodal|file:PATH "
                                          "(full system; default: the scheme's own start)")->capture_default_str();
    command.add_option("--n", f->n, "number of tokens")->capture_default_str();
    command.add_option("--d", f->d, "dimension (full system)")->capture_default_str();
    command.add_option("--beta", f->beta, "inverse temperature beta >= 0")->capture_default_str();
    command.add_option("--r0", f->r0, "initial radius r0 > 0")->capture_default_str();
    command.add_option("--tau", f->tau, "Mix-LN switch time tau >= 0")->capture_default_str();
    command.add_option("--alpha", f->alpha, "nGPT step alpha > 0")->capture_default_str();
    command.add_option("--seed", f->seed, "seed of the random start (mt19937_64)")->capture_default_str();
    command.add_option("--t-end", f->t_end, "final time > 0")->capture_default_str();
    command.add_flag("--no-breakpoints", f->no_breakpoints, "step across Mix-LN's tau (shows the order collapse)");
    command.add_flag("--quick", f->quick, "short ladders and tolerance sets (CI)");
    command.add_option("--ratio", f->ratio, "refinement ratio of the step ladders (> 1, any real)")->capture_default_str();
    command.add_option("--rungs", f->rungs, "rungs per ladder (0: per method default)")->capture_default_str();
    command.add_option("--precision", f->precision, "fixed-step runs: double|long-double|mp50 (not above the mp50 "
                                                    "reference)")->capture_default_str();
    command.add_option("--work-precision", f->work_precision, "precision of the adaptive work-precision runs")
        ->capture_default_str();
    command.add_option("--tolerances", f->tolerances, "comma-separated rtol = atol of the work-precision runs "
                                                      "(default 1e-3..1e-12)");
    command.add_option("--reference", f->reference, "method of the mp50 reference: bulirsch-stoer|taylor")
        ->capture_default_str();
    command.add_option("--out", f->out, "write report.md, order.json and figures into DIR")->type_name("DIR");
    command.add_flag("--json", f->json, "print the study JSON on stdout");
    return [f, &command](const std::string& command_line) { return run_order(command, *f, command_line); };
}

}  // namespace normdyn::cli
