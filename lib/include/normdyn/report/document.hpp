// A report as one document model, written both as Markdown (for people) and as JSON (for programs):
// a summary table of every claim (the one claim table), sections with paragraphs, tables and figures, and provenance.
// Also the JSON form of a figure's data, so that every figure has the numbers behind it in data/.
#pragma once

#include "normdyn/report/figure.hpp"
#include "normdyn/report/json.hpp"

#include <limits>
#include <string>
#include <vector>

namespace normdyn::report {

/// pass: the measurement agrees with the prediction; fail: it does not; counterexample: a published
/// statement is refuted by an exhibited case (a success: the spec lists the statement as false as printed);
/// certified: proved by an interval computation.
enum class Verdict { pass, fail, counterexample, certified };
std::string to_string(Verdict verdict);
/// Whether a verdict is a success (anything but fail).
inline bool succeeded(Verdict verdict) { return verdict != Verdict::fail; }

/// One claim of the paper (or of the spec's §6, §8, §9) as measured by one run: the one row type of
/// `normdyn check`, of the report's summary and of their JSON. Numbers stay numbers; the writers format them.
struct Claim {
    std::string id{};         ///< e.g. "thm4.1/terminal-law/pre-ln/beta1-n8"
    std::string statement{};  ///< the claim, in the paper's words
    std::string regime{};     ///< the parameters
    std::string method{};     ///< how it was measured
    double measured = std::numeric_limits<double>::quiet_NaN();
    double uncertainty = 0;   ///< half-width of the measured value's interval (95 % CI, or a stated bound)
    double predicted = std::numeric_limits<double>::quiet_NaN();
    double tolerance = 0;     ///< what the verdict allows (see `criterion`)
    std::string criterion{};  ///< the verdict rule in words, e.g. "|measured − predicted| ≤ tolerance"
    Verdict verdict = Verdict::fail;
    std::vector<std::string> details{};  ///< windows, winning laws, solver statistics, caveats
    double wall_s = 0;
    std::string figure{};     ///< figures/<name>.png drawn from the same study, or empty
    std::string section{};    ///< id of the report section that shows it, or empty
};

/// "%.6g" of a real, non-finite values spelled out ("NaN", "Infinity", "-Infinity").
std::string format_real(double x);
/// The measured value with its uncertainty: "2.00041 ± 5.4e-05" (plus_minus between them), or the value alone.
std::string measured_text(const Claim& claim, const char* plus_minus = " ± ");
/// The claim as JSON (reals as numbers, non-finite ones spelled out, never null).
Json to_json(const Claim& claim);

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
