#include "output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace normdyn::cli {

namespace fs = std::filesystem;
using report::Json;

Series::Series(const std::vector<std::string>& columns) {
    for (const auto& name : columns) columns_[name] = Json::array();
}

void Series::append(const Json& row) {
    if (row.size() != columns_.size()) throw std::logic_error("series row with a different set of columns");
    for (auto& [name, column] : columns_.items()) column.push_back(row.at(name));
    ++rows_;
}

Json Series::last_row() const {
    Json row = Json::object();
    if (rows_ == 0) return row;
    for (const auto& [name, column] : columns_.items()) row[name] = column.back();
    return row;
}

Json summary_document(Json params, Json provenance, const RunOutcome& outcome, Json t_reached,
                      const Series& series) {
    Json summary;
    summary["params"] = std::move(params);
    summary["provenance"] = std::move(provenance);
    summary["status"] = outcome.status;
    summary["t_reached"] = std::move(t_reached);
    if (!outcome.reason.empty()) summary["reason"] = outcome.reason;
    summary["stats"] = {{"steps", outcome.stats.steps},
                        {"rejected", outcome.stats.rejected},
                        {"rhs_evals", outcome.stats.rhs_evals},
                        {"wall_s", outcome.stats.wall_s}};
    summary["final"] = series.last_row();
    summary["series"] = series.columns();
    return summary;
}

namespace {

// DIR without a trailing separator, absolute, so that its parent and its name are well defined.
fs::path normalized_target(const std::string& dir) {
    fs::path target = fs::absolute(fs::path(dir)).lexically_normal();
    if (!target.has_filename()) target = target.parent_path();
    return target;
}

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
    throw std::runtime_error(what + " '" + path.string() + "': " + std::strerror(error));
}

// Writes all of text to fd, flushes it to disk and closes it.
void write_all_and_close(int fd, const fs::path& path, const std::string& text, bool sync = true) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            fail("cannot write", path, error);
        }
        written += std::size_t(n);
    }
    if ((sync && ::fsync(fd) != 0) || ::close(fd) != 0) fail("cannot flush", path, errno);
}

// Writes, flushes to disk and closes one file (POSIX, so that the data is durable before the rename).
void write_durably(const fs::path& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot create", path, errno);
    write_all_and_close(fd, path, text);
}

// A fresh, empty sibling of target: ".NAME.tmp-XXXXXX".
fs::path temporary_sibling(const fs::path& target) {
    std::string name = ".";  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "." + string
    name += target.filename().string();
    name += ".tmp-XXXXXX";
    const std::string pattern = (target.parent_path() / name).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) fail("cannot create a directory beside", target, errno);
    return fs::path(buffer.data());
}

// Moves the finished files into place: the whole directory when target does not exist yet, else file by
// file (each rename replaces one file atomically).
void move_into_place(const fs::path& staging, const fs::path& target, const std::vector<std::string>& names) {
    std::error_code error;
    fs::rename(staging, target, error);
    if (!error) return;
    if (!fs::is_directory(target)) fail("cannot rename into", target, error.value());
    for (const auto& name : names) fs::rename(staging / name, target / name);
    fs::remove(staging);
}

}  // namespace

std::string output_directory_problem(const std::string& dir) {
    if (dir.empty()) return "--out: needs a directory name";
    std::error_code error;
    const fs::path target = normalized_target(dir);
    if (fs::exists(target, error) && !fs::is_directory(target, error))
        return "--out: '" + dir + "' exists and is not a directory";
    for (fs::path parent = target.parent_path(); !parent.empty(); parent = parent.parent_path()) {
        if (fs::exists(parent, error)) {
            if (!fs::is_directory(parent, error)) return "--out: '" + parent.string() + "' is not a directory";
            break;
        }
        if (parent == parent.root_path()) break;
    }
    return {};
}

std::string series_csv(const Json& series) {
    std::ostringstream csv;
    std::vector<const Json*> columns;
    bool first = true;
    for (const auto& [name, column] : series.items()) {
        csv << (first ? "" : ",") << name;
        columns.push_back(&column);
        first = false;
    }
    csv << '\n';
    const std::size_t rows = columns.empty() ? 0 : columns.front()->size();
    for (std::size_t row = 0; row < rows; ++row) {
        for (std::size_t c = 0; c < columns.size(); ++c) csv << (c ? "," : "") << report::cell_text((*columns[c])[row]);
        csv << '\n';
    }
    return csv.str();
}

void write_outputs(const std::string& dir, const Json& summary) {
    const fs::path target = normalized_target(dir);
    fs::create_directories(target.parent_path());
    const fs::path staging = temporary_sibling(target);
    try {
        write_durably(staging / "summary.json", report::to_text(summary) + "\n");
        write_durably(staging / "series.csv", series_csv(summary.at("series")));
        move_into_place(staging, target, {"summary.json", "series.csv"});
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(staging, ignored);
        throw;
    }
}

void replace_file(const std::string& path, const std::string& text) {
    const fs::path target(path);
    const fs::path staging = target.string() + ".tmp";
    std::error_code ignored;
    fs::remove(staging, ignored);
    write_durably(staging, text);
    fs::rename(staging, target);
}

void append_durably(const std::string& path, const std::string& text, bool sync) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot open", path, errno);
    write_all_and_close(fd, path, text, sync);
}

std::string human_summary(const std::string& command, const Json& summary) {
    std::ostringstream text;
    const auto& params = summary.at("params");
    text << "normdyn " << command << ": " << summary.at("status").get<std::string>() << " at t = "
         << report::cell_text(summary.at("t_reached")) << " of " << report::cell_text(params.at("t_end")) << " ("
         << params.at("scheme").get<std::string>() << ", n = " << params.at("n").dump();
    if (params.contains("d")) text << ", d = " << params.at("d").dump();
    text << ", beta = " << report::cell_text(params.at("beta")) << ", " << params.at("precision").get<std::string>()
         << ")\n";
    if (summary.contains("reason")) text << "  reason: " << summary.at("reason").get<std::string>() << '\n';
    for (const auto& [name, value] : summary.at("final").items())
        text << "  " << std::left << std::setw(16) << name << report::cell_text(value) << '\n';
    const auto& stats = summary.at("stats");
    text << "  " << stats.at("steps").dump() << " steps, " << stats.at("rejected").dump() << " rejected, "
         << stats.at("rhs_evals").dump() << " right-hand-side evaluations, " << stats.at("wall_s").get<double>()
         << " s\n";
    return text.str();
}

}  // namespace normdyn::cli
