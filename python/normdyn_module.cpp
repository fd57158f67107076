// The Python module `normdyn` (architecture: "Command line"; the same values from Python). Every function
// takes the command line's flags as keyword arguments (--t-end is t_end) and hands them to the command
// line's own parser and validation (analysis/cli_common, analysis/flags), so a value means the same and bad
// input fails with the same message (ValueError). simulate and equiangular then build the same
// model::Problem, solve::Method and solve::Sampling the command line builds and return a Trajectory whose
// NumPy arrays reference its buffers; order and check run their subcommand and return its JSON document.
#include "cli_common.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace py = pybind11;

namespace normdyn::cli {
CommandRunner order_command(CLI::App& command);
CommandRunner check_command(CLI::App& command);
}  // namespace normdyn::cli

namespace {

using namespace normdyn;

// ---------------------------------------------------------------------------------------------------------
// Keyword arguments → the command line's flags.

// A keyword's flag: t_end → --t-end.
std::string flag_of(const std::string& keyword) {
    std::string flag = "--" + keyword;
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

std::string keyword_of(const CLI::Option& option) {
    std::string keyword = option.get_lnames().front();
    std::replace(keyword.begin(), keyword.end(), '-', '_');
    return keyword;
}

bool is_switch(const CLI::Option& option) { return option.get_expected_min() == 0; }

// The options of a subcommand that Python exposes: every flag but --help and the output ones the module replaces.
std::vector<const CLI::Option*> exposed_options(const CLI::App& command, const std::set<std::string>& hidden) {
    std::vector<const CLI::Option*> options;
    for (const CLI::Option* option : command.get_options()) {
        if (option->get_lnames().empty() || option->get_lnames().front() == "help") continue;
        if (hidden.count(option->get_lnames().front()) > 0) continue;
        options.push_back(option);
    }
    return options;
}

// A value as the text the command line would have been given: str as is, int in decimal, a float (or
// anything with __float__, e.g. numpy.float64) by its shortest round-trip repr, a list or tuple comma-joined.
std::string flag_text(const std::string& keyword, py::handle value) {
    if (py::isinstance<py::str>(value)) return value.cast<std::string>();
    if (py::isinstance<py::bool_>(value))
        throw py::type_error(keyword + ": expected a number or a string, got a bool");
    if (py::isinstance<py::int_>(value)) return py::str(value).cast<std::string>();
    if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
        std::string text;
        for (py::handle item : value) text += (text.empty() ? "" : ",") + flag_text(keyword, item);
        return text;
    }
    if (py::hasattr(value, "__index__")) return py::str(py::int_(py::reinterpret_borrow<py::object>(value))).cast<std::string>();
    if (py::hasattr(value, "__float__")) return py::repr(py::float_(py::reinterpret_borrow<py::object>(value))).cast<std::string>();
    throw py::type_error(keyword + ": expected a number, a string or a list, got " +
                         py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>());
}

/// The command line a set of keywords stands for, as arguments after the subcommand's name.
std::vector<std::string> flag_arguments(const std::string& function, const CLI::App& command,
                                        const std::set<std::string>& hidden, const py::dict& keywords) {
    std::map<std::string, const CLI::Option*> by_keyword;
    for (const CLI::Option* option : exposed_options(command, hidden)) by_keyword[keyword_of(*option)] = option;
    std::vector<std::string> arguments;
    for (auto [key, value] : keywords) {
        const std::string keyword = key.cast<std::string>();
        const auto found = by_keyword.find(keyword);
        if (found == by_keyword.end())
            throw py::type_error(function + "() got an unexpected keyword argument '" + keyword + "'");
        if (value.is_none()) continue;  // None: not given, the command line's default
        if (is_switch(*found->second)) {
            if (py::isinstance<py::bool_>(value) ? value.cast<bool>() : false) arguments.push_back(flag_of(keyword));
            else if (!py::isinstance<py::bool_>(value)) throw py::type_error(keyword + ": expected True or False");
            continue;
        }
        arguments.push_back(flag_of(keyword));
        arguments.push_back(flag_text(keyword, value));
    }
    return arguments;
}

// Parses the arguments with the subcommand's CLI11 parser; a parse error is the command line's bad input.
void parse(CLI::App& app, const std::string& command, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), command);
    std::reverse(arguments.begin(), arguments.end());  // CLI11 reads a vector from the back
    try {
        app.parse(arguments);
    } catch (const CLI::ParseError& e) {
        throw py::value_error(e.what());
    }
}

std::string joined_command_line(const std::string& command, const std::vector<std::string>& arguments) {
    std::string line = "normdyn " + command + " (Python)";
    for (const auto& argument : arguments) line += " " + argument;
    return line;
}

// ---------------------------------------------------------------------------------------------------------
// Docstrings from the flags: help(normdyn.simulate) lists what `normdyn simulate --help` lists.

// A default as a Python literal: a number when the text is one, else a quoted string; None when there is none.
std::string python_literal(const std::string& text) {
    if (text.empty()) return "None";
    try {
        std::size_t used = 0;
        (void)std::stod(text, &used);
        if (used == text.size() && text.find_first_not_of("0123456789.eE+-") == std::string::npos) return text;
    } catch (const std::exception&) {
    }
    return "'" + text + "'";
}

struct ExtraParameter {
    std::string name, default_literal, description;
};

std::string docstring(const std::string& function, const std::string& summary, const CLI::App& command,
                      const std::set<std::string>& hidden, const std::vector<ExtraParameter>& extras,
                      const std::string& returns) {
    std::string signature = function + "($module, *";
    std::string parameters;
    for (const CLI::Option* option : exposed_options(command, hidden)) {
        const std::string keyword = keyword_of(*option);
        const std::string literal = is_switch(*option) ? "False" : python_literal(option->get_default_str());
        signature += ", " + keyword + "=" + literal;
        parameters += "    " + keyword + " (default " + literal + "): " + option->get_description() + "\n";
    }
    for (const auto& extra : extras) {
        if (hidden.count(extra.name) == 0 && command.get_option_no_throw(flag_of(extra.name)) != nullptr)
            continue;  // a flag of the command line now: listed above
        signature += ", " + extra.name + "=" + extra.default_literal;
        parameters += "    " + extra.name + " (default " + extra.default_literal + "): " + extra.description + "\n";
    }
    return signature + ")\n--\n\n" + summary +
           "\n\nKeyword arguments are the command line's flags (--t-end is t_end); a default shown is the command "
           "line's, and None (or leaving an argument out) means the flag is not given. Reals may be given as "
           "strings, read at the run's precision. Bad input raises ValueError with the command line's message.\n\n"
           "Parameters:\n" + parameters + "\nReturns: " + returns + "\n";
}

// ---------------------------------------------------------------------------------------------------------
// Ctrl-C: the solver polls SolveOptions::interrupted before each step; at most every 100 ms the poll takes
// the GIL and lets Python run its signal handlers (in the thread that called, the main thread for Ctrl-C).

class SignalPoll {
public:
    bool operator()() {
        const auto now = std::chrono::steady_clock::now();
        if (now < next_) return false;
        next_ = now + std::chrono::milliseconds(100);
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() == 0) return false;
        *raised_ = true;  // the exception (KeyboardInterrupt) stays set on this thread until re-raised
        return true;
    }
    std::shared_ptr<bool> raised_ = std::make_shared<bool>(false);

private:
    std::chrono::steady_clock::time_point next_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
};

// ---------------------------------------------------------------------------------------------------------
// The trajectory as Python sees it: float64 buffers NumPy arrays reference, plus the exact decimals of an
// extended precision.

struct PyTrajectory {
    std::string status, reason, precision;
    double t_reached = 0;
    std::string t_reached_exact;
    solve::SolveStats stats;
    std::vector<std::string> columns;
    std::size_t rows = 0;
    std::vector<double> values;               ///< column-major: column c at values[c * rows]
    std::vector<std::size_t> state_shape;     ///< (n, d) for particles, (2,) for the equiangular (u, r)
    std::vector<double> states;               ///< rows × state, contiguous; empty unless asked for
    bool has_states = false;
    std::vector<double> final_state;
    std::map<std::string, std::vector<std::string>> exact;  ///< extended precision: every value's digits
    std::vector<std::string> final_state_exact;
};

template <class T> std::shared_ptr<PyTrajectory> converted(solve::Trajectory<T>&& trajectory,
                                                           const model::Problem<T>& problem, bool states) {
    auto out = std::make_shared<PyTrajectory>();
    constexpr bool is_double = std::is_same_v<T, double>;
    out->status = solve::to_string(trajectory.status);
    out->reason = trajectory.reason;
    out->t_reached = to_double(trajectory.t_reached);
    out->stats = trajectory.stats;
    out->columns = trajectory.columns;
    out->rows = trajectory.rows.size();
    out->values.resize(out->columns.size() * out->rows);
    for (std::size_t r = 0; r < out->rows; ++r)
        for (std::size_t c = 0; c < out->columns.size(); ++c) out->values[c * out->rows + r] = to_double(trajectory.rows[r][c]);
    if constexpr (!is_double) {
        out->t_reached_exact = report::real_to_text(trajectory.t_reached);
        for (std::size_t c = 0; c < out->columns.size(); ++c) {
            auto& digits = out->exact[out->columns[c]];
            for (const auto& row : trajectory.rows) digits.push_back(report::real_to_text(row[c]));
        }
        for (const T& x : trajectory.final_state) out->final_state_exact.push_back(report::real_to_text(x));
    }
    if (problem.system == model::SystemKind::particles) out->state_shape = {problem.n, problem.d};
    else out->state_shape = {trajectory.final_state.size()};
    // The library keeps one vector per sampled state: they are gathered once into one block, each freed as it
    // is copied, so that no second copy of the series is alive (a large block is committed page by page).
    out->has_states = states;
    if (!trajectory.states.empty()) {
        const std::size_t size = trajectory.states.front().size();
        out->states.reserve(size * trajectory.states.size());
        for (auto& state : trajectory.states) {
            for (const T& x : state) out->states.push_back(to_double(x));
            model::State<T>().swap(state);
        }
    }
    out->final_state.reserve(trajectory.final_state.size());
    for (const T& x : trajectory.final_state) out->final_state.push_back(to_double(x));
    return out;
}

// A read-only array over part of a trajectory's buffer; its base is the Python Trajectory, which owns the buffer.
py::array view(const py::object& owner, const double* data, std::vector<py::ssize_t> shape) {
    std::vector<py::ssize_t> strides(shape.size());
    py::ssize_t stride = sizeof(double);
    for (std::size_t i = shape.size(); i-- > 0;) {
        strides[i] = stride;
        stride *= shape[i];
    }
    py::array array(py::dtype::of<double>(), shape, strides, data, owner);
    py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return array;
}

py::array column_view(const py::object& self, const std::string& name) {
    const auto& tr = self.cast<const PyTrajectory&>();
    const auto at = std::find(tr.columns.begin(), tr.columns.end(), name);
    if (at == tr.columns.end()) throw py::attribute_error("Trajectory has no column '" + name + "'");
    const auto c = std::size_t(at - tr.columns.begin());
    return view(self, tr.values.data() + c * tr.rows, {py::ssize_t(tr.rows)});
}

// The exact values: mpmath.mpf at the run's precision when mpmath imports, else the decimal strings.
py::object exact_values(const std::vector<std::string>& digits) {
    py::object mpf;
    try {
        mpf = py::module_::import("mpmath").attr("mpf");
    } catch (const py::error_already_set&) {
        return py::cast(digits);
    }
    const auto mp = py::module_::import("mpmath").attr("mp");
    const py::object saved = mp.attr("prec");
    std::size_t longest = 0;
    for (const auto& text : digits) longest = std::max(longest, text.size());
    mp.attr("prec") = py::int_(std::size_t(3.33 * double(longest)) + 16);  // every given digit kept
    py::list values;
    for (const auto& text : digits) values.append(mpf(text));
    mp.attr("prec") = saved;
    return values;
}

// ---------------------------------------------------------------------------------------------------------
// simulate and equiangular.

struct SharedCommand {
    CLI::App app{"normdyn"};
    CLI::App* command = nullptr;
    cli::SharedFlags flags;
    cli::Positions positions;
};

// The subcommand's flags as the command line registers them (analysis/simulate.cpp, analysis/equiangular.cpp).
std::unique_ptr<SharedCommand> shared_command(const std::string& name) {
    auto shared = std::make_unique<SharedCommand>();
    shared->command = shared->app.add_subcommand(name);
    shared->positions = name == "equiangular" ? cli::Positions::orthonormal_only : cli::Positions::free;
    if (name == "equiangular") shared->flags.n = 8;  // the equiangular command's own default
    cli::add_shared_flags(*shared->command, shared->flags, shared->positions);
    return shared;
}

const std::set<std::string> shared_hidden = {"out", "json"};

std::vector<ExtraParameter> shared_extras(cli::Positions positions) {
    std::vector<ExtraParameter> extras;
    if (positions == cli::Positions::free) {
        extras.push_back({"q", "None", "query weight Q, a d × d array (default: the identity)"});
        extras.push_back({"k", "None", "key weight K, a d × d array (default: the identity)"});
        extras.push_back({"v", "None", "value weight V, a d × d array (default: the identity)"});
    }
    extras.push_back({"observables", "None", "the columns to record besides t, a list or comma-separated "
                                             "(default: every one of the system's)"});
    extras.push_back({"states", "False", "keep the state at every sample (Trajectory.states, samples × n × d)"});
    extras.push_back({"strict", "False", "raise RuntimeError when the run stops early (status partial or failed)"});
    return extras;
}

std::optional<model::RowMatrix<double>> matrix_argument(const std::string& name, const py::object& value) {
    if (value.is_none()) return std::nullopt;
    const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
    if (!array || array.ndim() != 2) throw py::value_error("--" + name + ": must be a 2-D array of reals");
    model::RowMatrix<double> matrix(array.shape(0), array.shape(1));
    std::copy(array.data(), array.data() + array.size(), matrix.data());
    if (!matrix.allFinite()) throw py::value_error("--" + name + ": must hold finite numbers only");
    return matrix;
}

py::object run_shared(const std::string& name, py::args args, py::kwargs kwargs) {
    if (!args.empty()) throw py::type_error(name + "() takes keyword arguments only");
    auto shared = shared_command(name);
    const bool free = shared->positions == cli::Positions::free;
    py::dict flags_given;
    std::optional<model::RowMatrix<double>> start, query, key, value;
    solve::Sampling sampling_extra;
    bool strict = false;
    for (auto [key_handle, item] : kwargs) {
        const std::string keyword = key_handle.cast<std::string>();
        const auto object = py::reinterpret_borrow<py::object>(item);
        // A keyword the command line takes as a flag goes to its parser, unless it is an array (a start, a weight).
        const bool is_flag = shared->command->get_option_no_throw(flag_of(keyword)) != nullptr;
        const bool is_array = !object.is_none() && !py::isinstance<py::str>(object);
        if (keyword == "init" && free && is_array) {
            start = matrix_argument("init", object);
        } else if (free && (keyword == "q" || keyword == "k" || keyword == "v") && (is_array || !is_flag)) {
            (keyword == "q" ? query : keyword == "k" ? key : value) = matrix_argument(keyword, object);
        } else if (keyword == "observables" && !is_flag) {
            if (object.is_none()) continue;
            const std::string list = flag_text(keyword, object);
            sampling_extra.observables = [&] {
                try {
                    return cli::checked_list("--observables", list);
                } catch (const cli::BadInput& e) {
                    throw py::value_error(e.what());
                }
            }();
        } else if (keyword == "states") {
            sampling_extra.states = object.cast<bool>();
        } else if (keyword == "strict") {
            strict = object.cast<bool>();
        } else {
            flags_given[key_handle] = item;
        }
    }
    // An array start fixes n and d (as an init file does); explicit n or d must agree (Problem::validate).
    if (start) {
        if (!flags_given.contains("n")) flags_given["n"] = start->rows();
        if (!flags_given.contains("d")) flags_given["d"] = start->cols();
    }
    const auto arguments = flag_arguments(name, *shared->command, shared_hidden, flags_given);
    parse(shared->app, name, arguments);
    cli::RunConfig config;
    try {
        config = cli::validate(*shared->command, shared->flags, shared->positions, joined_command_line(name, arguments));
    } catch (const cli::BadInput& e) {
        throw py::value_error(e.what());
    }
    solve::Sampling sampling = cli::make_sampling(config);
    if (!sampling_extra.observables.empty()) sampling.observables = sampling_extra.observables;
    sampling.states = sampling.states || sampling_extra.states;
    const auto system = free ? model::SystemKind::particles : model::SystemKind::equiangular;

    SignalPoll poll;
    const auto raised = poll.raised_;
    std::shared_ptr<PyTrajectory> result;
    {
        py::gil_scoped_release release;
        try {
            result = cli::with_precision(config.method.precision, [&]<class T>() {
                auto problem = cli::make_problem<T>(config, system);
                const auto cast = [](const std::optional<model::RowMatrix<double>>& m) -> std::optional<model::RowMatrix<T>> {
                    if (!m) return std::nullopt;
                    return m->template cast<T>();
                };
                problem.positions = cast(start);
                problem.query = cast(query);
                problem.key = cast(key);
                problem.value = cast(value);
                solve::Method method = config.method;
                method.interrupted = poll;
                auto trajectory = solve::solve(problem, method, sampling);
                return converted(std::move(trajectory), problem, sampling.states);
            });
        } catch (const cli::BadInput& e) {
            throw py::value_error(e.what());
        } catch (const std::invalid_argument& e) {  // the library refusing the setup, as the command line's bad input
            throw py::value_error(e.what());
        }
    }
    if (*raised) throw py::error_already_set();  // KeyboardInterrupt (or what a signal handler raised)
    result->precision = config.method.precision.describe();
    if (strict && result->status != "done")
        throw std::runtime_error(name + ": " + result->status + ": stopped at t = " + report::real_to_text(result->t_reached) +
                                 ": " + result->reason);
    return py::cast(result);
}

// ---------------------------------------------------------------------------------------------------------
// order and check: the subcommand runs as on the command line with --json, its standard output is the document.

std::mutex stream_mutex;

py::object run_document(const std::string& name, cli::CommandSetup setup, py::args args, py::kwargs kwargs,
                        const std::set<std::string>& hidden) {
    if (!args.empty()) throw py::type_error(name + "() takes keyword arguments only");
    CLI::App app("normdyn");
    CLI::App* command = app.add_subcommand(name);
    const cli::CommandRunner runner = setup(*command);
    // out: the directory the command writes its files into; none given, order writes none and check writes
    // into a temporary directory removed afterwards.
    py::dict flags_given;
    py::object out_dir = py::none();
    for (auto [key, item] : kwargs) {
        if (key.cast<std::string>() == "out") out_dir = py::reinterpret_borrow<py::object>(item);
        else flags_given[key] = item;
    }
    auto arguments = flag_arguments(name, *command, hidden, flags_given);
    std::optional<py::object> scratch;
    if (out_dir.is_none() && name == "check") {
        scratch = py::module_::import("tempfile").attr("TemporaryDirectory")();
        out_dir = scratch->attr("name");
    }
    if (!out_dir.is_none()) {
        arguments.push_back("--out");
        arguments.push_back(py::str(out_dir).cast<std::string>());
    }
    arguments.push_back("--json");
    parse(app, name, arguments);
    std::ostringstream out, err;
    int code = 0;
    {
        py::gil_scoped_release release;
        std::lock_guard lock(stream_mutex);
        auto* saved_out = std::cout.rdbuf(out.rdbuf());
        auto* saved_err = std::cerr.rdbuf(err.rdbuf());
        try {
            code = runner(joined_command_line(name, arguments));
        } catch (const std::exception& e) {
            err << "normdyn: failed: " << e.what() << '\n';
            code = cli::exit_failed;
        }
        std::cout.rdbuf(saved_out);
        std::cerr.rdbuf(saved_err);
    }
    if (scratch) scratch->attr("cleanup")();
    // The last line on stderr is the command line's message, "normdyn NAME: ...".
    std::string message = err.str();
    while (!message.empty() && message.back() == '\n') message.pop_back();
    message = message.substr(message.rfind('\n') == std::string::npos ? 0 : message.rfind('\n') + 1);
    for (const std::string& prefix : {"normdyn " + name + ": ", std::string("normdyn: ")})
        if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    if (code == cli::exit_bad_input) throw py::value_error(message);
    if (out.str().empty()) throw std::runtime_error(name + ": " + message);
    py::object document = py::module_::import("json").attr("loads")(out.str());
    return document;
}

}  // namespace

PYBIND11_MODULE(normdyn, m) {
    m.doc() = "normdyn: normalized attention dynamics (tokens as particles on a sphere, layer-norm schemes as speed "
              "regulators), the engine of the `normdyn` command line with NumPy arrays out.";
    m.attr("__version__") = NORMDYN_VERSION;
    py::options options;
    options.disable_function_signatures();

    py::class_<PyTrajectory, std::shared_ptr<PyTrajectory>>(m, "Trajectory",
        "A solved run: status ('done', 'partial' or 'failed'), reason, t_reached, stats, and one read-only float64 "
        "array per sampled column (t, gamma_mean, var, ...; also tr['gamma_mean']) that references the "
        "trajectory's own buffer. states (samples × n × d) when asked for. Extended precisions: exact[column] "
        "holds every value's digits (mpmath.mpf when mpmath imports, else decimal strings).")
        .def_readonly("status", &PyTrajectory::status)
        .def_readonly("reason", &PyTrajectory::reason)
        .def_readonly("precision", &PyTrajectory::precision)
        .def_readonly("t_reached", &PyTrajectory::t_reached)
        .def_readonly("columns", &PyTrajectory::columns)
        .def_property_readonly("stats", [](const PyTrajectory& tr) {
            py::dict stats;
            stats["steps"] = tr.stats.steps;
            stats["rejected"] = tr.stats.rejected;
            stats["rhs_evals"] = tr.stats.rhs_evals;
            stats["wall_s"] = tr.stats.wall_s;
            return stats;
        })
        .def_property_readonly("states", [](const py::object& self) -> py::object {
            const auto& tr = self.cast<const PyTrajectory&>();
            if (!tr.has_states) return py::none();
            std::vector<py::ssize_t> shape = {py::ssize_t(tr.rows)};
            for (std::size_t extent : tr.state_shape) shape.push_back(py::ssize_t(extent));
            return view(self, tr.states.data(), shape);
        }, "The state at every sample, samples × n × d (equiangular: samples × 2, (u, r)); None unless states=True.")
        .def_property_readonly("final_state", [](const py::object& self) {
            const auto& tr = self.cast<const PyTrajectory&>();
            std::vector<py::ssize_t> shape;
            for (std::size_t extent : tr.state_shape) shape.push_back(py::ssize_t(extent));
            return view(self, tr.final_state.data(), shape);
        }, "The state at t_reached.")
        .def_property_readonly("exact", [](const PyTrajectory& tr) -> py::object {
            py::dict exact;
            if (tr.exact.empty()) return exact;
            for (const auto& [column, digits] : tr.exact) exact[py::str(column)] = exact_values(digits);
            exact["t_reached"] = exact_values({tr.t_reached_exact}).attr("__getitem__")(0);
            exact["final_state"] = exact_values(tr.final_state_exact);
            return exact;
        }, "Extended precision: every value's digits per column (and t_reached, final_state), as mpmath.mpf when "
           "mpmath imports, else decimal strings. Empty in double.")
        .def("exact_strings", [](const PyTrajectory& tr, const std::string& name) -> std::vector<std::string> {
            if (name == "t_reached") return {tr.t_reached_exact};
            if (name == "final_state") return tr.final_state_exact;
            const auto found = tr.exact.find(name);
            if (found == tr.exact.end()) throw py::key_error("no exact values of '" + name + "' (double runs have none)");
            return found->second;
        }, "The exact values of a column (or 't_reached', 'final_state') as decimal strings, as the JSON writes them.")
        .def("__getattr__", [](const py::object& self, const std::string& name) { return column_view(self, name); })
        .def("__getitem__", [](const py::object& self, const std::string& name) { return column_view(self, name); })
        .def("to_dict", [](const py::object& self) {
            py::dict columns;
            for (const auto& name : self.cast<const PyTrajectory&>().columns) columns[py::str(name)] = column_view(self, name);
            return columns;
        }, "Column name → array, e.g. for pandas.DataFrame(tr.to_dict()).")
        .def("__len__", [](const PyTrajectory& tr) { return tr.rows; })
        .def("__repr__", [](const PyTrajectory& tr) {
            return "<normdyn.Trajectory " + tr.status + ", t_reached=" + report::real_to_text(tr.t_reached) + ", " +
                   std::to_string(tr.rows) + " samples of " + std::to_string(tr.columns.size()) + " columns, " +
                   tr.precision + ">";
        });

    const std::string returns = "a Trajectory (status, reason, t_reached, stats, one array per column, states)";
    for (const std::string name : {"simulate", "equiangular"}) {
        auto shared = shared_command(name);
        const std::string summary = name == "simulate"
            ? "The full n-particle system (spec §2) from a chosen start (a NumPy array n × d, or init's forms), "
              "sampled with the observables at equally spaced times."
            : "The symmetric-start reduction of spec §4 in the state (u = 1 − gamma, r), the cheap high-precision "
              "oracle for the full system from the orthonormal start.";
        m.def(name.c_str(), [name](py::args args, py::kwargs kwargs) { return run_shared(name, std::move(args), std::move(kwargs)); },
              docstring(name, summary, *shared->command, shared_hidden, shared_extras(shared->positions), returns).c_str());
    }

    const std::vector<std::tuple<std::string, cli::CommandSetup, std::set<std::string>, std::string>> documents = {
        {"order", cli::order_command, {"json", "out"},
         "A convergence-order study of one scheme and start (`normdyn order`); out writes report.md, order.json and "
         "figures into a directory as the command line does. The study runs to its end: Ctrl-C takes effect when it "
         "returns."},
        {"check", cli::check_command, {"json", "out"},
         "The theorem checks of proofs-check (`normdyn check`); out keeps proofs-check.md and .json in a directory. The "
         "checks run to their end: Ctrl-C takes effect when they return."},
    };
    for (const auto& row : documents) {
        const std::string name = std::get<0>(row), summary = std::get<3>(row);
        const cli::CommandSetup setup = std::get<1>(row);
        const std::set<std::string> hidden = std::get<2>(row);
        CLI::App app("normdyn");
        CLI::App* command = app.add_subcommand(name);
        setup(*command);
        const std::vector<ExtraParameter> extras = {{"out", "None", "a directory for the command's files (default: none kept)"}};
        const std::string doc = docstring(name, summary, *command, hidden, extras, "the command's JSON document as a dict");
        m.def(name.c_str(), [name, setup, hidden](py::args args, py::kwargs kwargs) {
            return run_document(name, setup, std::move(args), std::move(kwargs), hidden);
        }, doc.c_str());
    }
}
