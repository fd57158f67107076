// A report as one document model, written both as Markdown (for people) and as JSON (for programs):
// a summary table of claims with verdicts, sections with paragraphs, tables and figures, and provenance.
// Also the JSON form of a figure's data, so that every figure has the numbers behind it in data/.
#pragma once

#include "normdyn/report/figure.hpp"
#include "normdyn/report/json.hpp"

#include <string>
#include <vector>

namespace normdyn::report {

/// pass: the measurement agrees with the prediction; fail: it does not; counterexample: a published
/// statement is refuted by an exhibited case; certified: proved by an interval computation.
enum class Verdict { pass, fail, counterexample, certified };
std::string to_string(Verdict verdict);

/// One row of the summary table.
struct Claim {
    std::string claim{};      ///< the paper's statement, in its words
    Verdict verdict = Verdict::fail;
    std::string measured{};   ///< the number the run computed (with its interval)
    std::string predicted{};  ///< what the theorem says
    std::string figure{};     ///< figure name (figures/<name>.png), or empty
    std::string check_id{};   ///< id of the check (normdyn check / data file key), or empty
    std::string section{};    ///< id of the section that measured it
};

struct Table {
    std::string caption{};
    std::vector<std::string> header{};
    std::vector<std::vector<std::string>> rows{};  ///< each as long as header
    std::string data_file{};  ///< data/<file>.json holding its numbers, or empty
};

struct FigureReference {
    std::string name{};     ///< figures/<name>.{png,svg,gp}, data/<name>.json
    std::string caption{};  ///< two or three sentences on what it shows
    bool drawn = true;    ///< false: only the script and the data exist (gnuplot missing or failed)
};

struct Section {
    std::string id{}, title{};
    std::string status = "done";  ///< "done", or what went wrong / what it waits for
    double wall_s = 0;
    std::vector<std::string> paragraphs{};
    std::vector<Table> tables{};
    std::vector<FigureReference> figures{};
};

struct Document {
    std::string title{};
    std::vector<std::string> introduction{};
    std::vector<Claim> claims{};
    std::vector<Section> sections{};
    Json provenance = Json::object();
};

/// Throws std::invalid_argument when a table row does not match its header.
std::string to_markdown(const Document& document);
Json to_json(const Document& document);

/// Every series and heat map of a figure as JSON (title, axes, legends, x, y, intervals).
Json figure_data(const Figure& figure);

}  // namespace normdyn::report
