// The summary document of a run and where it goes: summary.json and series.csv written atomically into
// --out DIR, the JSON on stdout (--json), or a short human-readable summary.
#pragma once

#include "normdyn/report/json.hpp"
#include "normdyn/solve/solver.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace normdyn::cli {

/// Observables over time: one column per observable, one row per sample, values already in their JSON
/// representation (report/json.hpp). The columns are fixed up front, so even an empty series has them.
class Series {
public:
    explicit Series(const std::vector<std::string>& columns);
    /// row: an object of column name → value with exactly the series' columns (in any order).
    void append(const report::Json& row);
    std::size_t rows() const { return rows_; }
    /// An object of column name → array (empty object before the first row).
    const report::Json& columns() const { return columns_; }
    /// The last row as an object (empty object when there is none).
    report::Json last_row() const;

private:
    report::Json columns_ = report::Json::object();
    std::size_t rows_ = 0;
};

/// How the integration ended.
struct RunOutcome {
    std::string status;  ///< "done", "partial" or "failed"
    std::string reason;  ///< empty when done
    solve::SolveStats stats;
};

/// The summary document: params, provenance, status, t_reached, reason (unless done), stats, final
/// (the last sample) and series.
report::Json summary_document(report::Json params, report::Json provenance, const RunOutcome& outcome,
                              report::Json t_reached, const Series& series);

/// Empty when DIR can become the output directory; otherwise what is wrong with it. Creates nothing.
std::string output_directory_problem(const std::string& dir);

/// series.csv: a header of column names, then one line per sample, every value with all its digits.
std::string series_csv(const report::Json& series);

/// Writes summary.json and series.csv into DIR atomically: both files are written and flushed in a
/// temporary sibling directory, which is then renamed to DIR (or, when DIR already exists, each file is
/// renamed into it). On failure no partial file is left behind. Throws std::runtime_error.
void write_outputs(const std::string& dir, const report::Json& summary);

/// Replaces the file at `path` by `text` atomically: written and flushed to disk beside it, then renamed over
/// it (a crash leaves the old file or the new one). Throws std::runtime_error.
void replace_file(const std::string& path, const std::string& text);
/// Appends `text` (whole records, each ending in a newline) to `path` in one write: once write() returns, a
/// killed process cannot lose or cut it. With `sync` it is flushed to disk too (against a machine's crash).
/// Throws std::runtime_error.
void append_durably(const std::string& path, const std::string& text, bool sync = true);

/// A few lines for a person: status, t_reached, the final observables, the solver statistics.
std::string human_summary(const std::string& command, const report::Json& summary);

}  // namespace normdyn::cli
