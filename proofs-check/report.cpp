// The check results as JSON (proofs-check.json), Markdown (proofs-check.md) and a terminal table.
#include "check.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>

namespace normdyn::checks {

namespace {

std::string number(double x) {
    if (!is_finite(x)) return report::non_finite_name(x);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    return buffer;
}

struct Counts {
    std::size_t pass = 0, fail = 0, counterexample = 0;
};

Counts count(const std::vector<CheckResult>& results) {
    Counts c;
    for (const auto& r : results) {
        if (r.verdict == Verdict::pass) ++c.pass;
        else if (r.verdict == Verdict::counterexample) ++c.counterexample;
        else ++c.fail;
    }
    return c;
}

double total_seconds(const std::vector<CheckResult>& results) {
    double s = 0;
    for (const auto& r : results) s += r.wall_s;
    return s;
}

std::string summary_line(const std::vector<CheckResult>& results) {
    const Counts c = count(results);
    return std::to_string(results.size()) + " checks: " + std::to_string(c.pass) + " pass, " +
           std::to_string(c.counterexample) + " counterexample, " + std::to_string(c.fail) + " fail (" +
           number(total_seconds(results)) + " s)";
}

std::string measured_text(const CheckResult& r, const char* plus_minus = " ± ") {
    return r.uncertainty > 0 ? number(r.measured) + plus_minus + number(r.uncertainty) : number(r.measured);
}

}  // namespace

report::Json to_json(const CheckResult& r) {
    using report::real_to_json;
    report::Json j;
    j["id"] = r.id;
    j["verdict"] = to_string(r.verdict);
    j["claim"] = r.claim;
    j["regime"] = r.regime;
    j["method"] = r.method;
    j["measured"] = real_to_json(r.measured);
    j["uncertainty"] = real_to_json(r.uncertainty);
    j["predicted"] = real_to_json(r.predicted);
    j["tolerance"] = real_to_json(r.tolerance);
    j["criterion"] = r.criterion;
    j["details"] = r.details;
    j["wall_s"] = r.wall_s;
    return j;
}

report::Json to_json(const std::vector<CheckResult>& results, Tier tier, const std::string& pattern) {
    const Counts c = count(results);
    report::Json j;
    j["tier"] = to_string(tier);
    j["pattern"] = pattern;
    j["status"] = all_succeeded(results) ? "pass" : "fail";
    j["summary"] = {{"checks", results.size()}, {"pass", c.pass}, {"counterexample", c.counterexample},
                    {"fail", c.fail}, {"wall_s", total_seconds(results)}};
    j["checks"] = report::Json::array();
    for (const auto& r : results) j["checks"].push_back(to_json(r));
    return j;
}

std::string to_markdown(const std::vector<CheckResult>& results, Tier tier, const std::string& pattern) {
    std::ostringstream md;
    md << "# proofs-check: the paper's claims as checks\n\n";
    md << "Tier `" << to_string(tier) << "`" << (pattern.empty() ? "" : ", checks matching `" + pattern + "`")
       << ". " << summary_line(results) << ".\n\n";
    md << "Verdicts: `pass` (the claim holds within the tolerance), `fail`, `counterexample` (spec §6 lists the "
          "statement as false as printed; the check found and exhibits the counterexample).\n\n";
    md << "| check | measured | predicted | tolerance | verdict | s |\n|---|---|---|---|---|---|\n";
    for (const auto& r : results)
        md << "| `" << r.id << "` | " << measured_text(r) << " | " << number(r.predicted) << " | " << number(r.tolerance)
           << " | " << to_string(r.verdict) << " | " << number(r.wall_s) << " |\n";
    md << "\n## Details\n";
    for (const auto& r : results) {
        md << "\n### `" << r.id << "`: " << to_string(r.verdict) << "\n\n";
        md << "- claim: " << r.claim << "\n- regime: " << r.regime << "\n- method: " << r.method << "\n";
        md << "- measured " << measured_text(r) << ", predicted " << number(r.predicted) << ", tolerance "
           << number(r.tolerance) << "; rule: " << r.criterion << "\n";
        for (const auto& line : r.details) md << "- " << line << "\n";
    }
    return md.str();
}

std::string to_table(const std::vector<CheckResult>& results) {
    std::size_t width = 5;
    for (const auto& r : results) width = std::max(width, r.id.size());
    std::ostringstream out;
    out << std::left << std::setw(int(width)) << "check" << "  " << std::setw(29) << "measured" << std::setw(13)
        << "predicted" << std::setw(13) << "tolerance" << "verdict\n";
    for (const auto& r : results)
        out << std::setw(int(width)) << r.id << "  " << std::setw(29) << measured_text(r, " +- ") << std::setw(13)
            << number(r.predicted) << std::setw(13) << number(r.tolerance) << to_string(r.verdict) << '\n';
    out << summary_line(results) << '\n';
    return out.str();
}

}  // namespace normdyn::checks
