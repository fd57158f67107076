// The claims of `normdyn check` as JSON (proofs-check.json), Markdown (proofs-check.md) and a terminal table.
#include "check.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>

namespace normdyn::checks {

namespace {

using report::Claim;
using report::Verdict;

std::string number(double x) { return report::format_real(x); }

struct Counts {
    std::size_t pass = 0, fail = 0, counterexample = 0;
};

Counts count(const std::vector<Claim>& results) {
    Counts c;
    for (const auto& r : results) {
        if (r.verdict == Verdict::fail) ++c.fail;
        else if (r.verdict == Verdict::counterexample) ++c.counterexample;
        else ++c.pass;  // pass or certified
    }
    return c;
}

double total_seconds(const std::vector<Claim>& results) {
    double s = 0;
    for (const auto& r : results) s += r.wall_s;
    return s;
}

std::string summary_line(const std::vector<Claim>& results) {
    const Counts c = count(results);
    return std::to_string(results.size()) + " checks: " + std::to_string(c.pass) + " pass, " +
           std::to_string(c.counterexample) + " counterexample, " + std::to_string(c.fail) + " fail (" +
           number(total_seconds(results)) + " s)";
}

}  // namespace

report::Json to_json(const std::vector<Claim>& results, Tier tier, const std::string& pattern) {
    const Counts c = count(results);
    report::Json j;
    j["tier"] = to_string(tier);
    j["pattern"] = pattern;
    j["status"] = all_succeeded(results) ? "pass" : "fail";
    j["summary"] = {{"checks", results.size()}, {"pass", c.pass}, {"counterexample", c.counterexample},
                    {"fail", c.fail}, {"wall_s", total_seconds(results)}};
    j["checks"] = report::Json::array();
    for (const auto& r : results) j["checks"].push_back(report::to_json(r));
    return j;
}

std::string to_markdown(const std::vector<Claim>& results, Tier tier, const std::string& pattern) {
    std::ostringstream md;
    md << "# proofs-check: the paper's claims as checks\n\n";
    md << "Tier `" << to_string(tier) << "`" << (pattern.empty() ? "" : ", checks matching `" + pattern + "`")
       << ". " << summary_line(results) << ".\n\n";
    md << "Verdicts: `pass` (the claim holds within the tolerance), `fail`, `counterexample` (spec §6 lists the "
          "statement as false as printed; the check found and exhibits the counterexample).\n\n";
    md << "| check | measured | predicted | tolerance | verdict | s |\n|---|---|---|---|---|---|\n";
    for (const auto& r : results)
        md << "| `" << r.id << "` | " << report::measured_text(r) << " | " << number(r.predicted) << " | " << number(r.tolerance)
           << " | " << to_string(r.verdict) << " | " << number(r.wall_s) << " |\n";
    md << "\n## Details\n";
    for (const auto& r : results) {
        md << "\n### `" << r.id << "`: " << to_string(r.verdict) << "\n\n";
        md << "- claim: " << r.statement << "\n- regime: " << r.regime << "\n- method: " << r.method << "\n";
        md << "- measured " << report::measured_text(r) << ", predicted " << number(r.predicted) << ", tolerance "
           << number(r.tolerance) << "; rule: " << r.criterion << "\n";
        for (const auto& line : r.details) md << "- " << line << "\n";
    }
    return md.str();
}

std::string to_table(const std::vector<Claim>& results) {
    std::size_t width = 5;
    for (const auto& r : results) width = std::max(width, r.id.size());
    std::ostringstream out;
    out << std::left << std::setw(int(width)) << "check" << "  " << std::setw(29) << "measured" << std::setw(13)
        << "predicted" << std::setw(13) << "tolerance" << "verdict\n";
    for (const auto& r : results)
        out << std::setw(int(width)) << r.id << "  " << std::setw(29) << report::measured_text(r, " +- ") << std::setw(13)
            << number(r.predicted) << std::setw(13) << number(r.tolerance) << to_string(r.verdict) << '\n';
    out << summary_line(results) << '\n';
    return out.str();
}

}  // namespace normdyn::checks
