// The claim registry: verdict rules, the registry of every family, and the runner (check.hpp).
#include "check.hpp"

#include "families.hpp"

#include <chrono>
#include <cmath>
#include <exception>
#include <set>
#include <stdexcept>

namespace normdyn::checks {

using report::Claim;
using report::Verdict;

std::string to_string(Tier tier) { return tier == Tier::quick ? "quick" : "full"; }

model::Scheme<double> Context::scheme(model::SchemeKind kind, double tau, double alpha) const {
    model::Scheme<double> scheme;
    scheme.kind = kind;
    scheme.tau = tau;
    scheme.alpha = alpha;
    if (modify_scheme) modify_scheme(scheme);
    return scheme;
}

Verdict within(double measured, double predicted, double tolerance) {
    return std::isfinite(measured) && std::abs(measured - predicted) <= tolerance ? Verdict::pass : Verdict::fail;
}

Verdict at_least(double measured, double bound) {
    return std::isfinite(measured) && measured >= bound ? Verdict::pass : Verdict::fail;
}

Verdict at_most(double measured, double bound) {
    return std::isfinite(measured) && measured <= bound ? Verdict::pass : Verdict::fail;
}

Verdict exhibited(bool found) { return found ? Verdict::counterexample : Verdict::fail; }

Verdict combine(std::initializer_list<Verdict> verdicts) {
    Verdict out = Verdict::pass;
    for (Verdict v : verdicts) {
        if (v == Verdict::fail) return Verdict::fail;
        if (v == Verdict::counterexample) out = Verdict::counterexample;
    }
    return out;
}

std::vector<CheckDefinition> registry() {
    std::vector<CheckDefinition> all;
    add_theorem31_checks(all);
    add_theorem41_checks(all);
    add_theorem42_checks(all);
    add_theorem43_checks(all);
    add_energy_checks(all);
    add_section6_checks(all);
    add_peers_checks(all);
    add_layers_checks(all);
    add_order_checks(all);
    add_certified_checks(all);
    std::set<std::string> seen;
    for (const auto& check : all)
        if (!seen.insert(check.id).second) throw std::logic_error("duplicate check id " + check.id);
    return all;
}

// Glob with '*' only; iterative matching with backtracking to the last star.
bool matches(const std::string& id, const std::string& pattern) {
    if (pattern.empty()) return true;
    if (pattern.find('*') == std::string::npos) return id.find(pattern) != std::string::npos;
    std::size_t i = 0, p = 0, star = std::string::npos, mark = 0;
    while (i < id.size()) {
        if (p < pattern.size() && pattern[p] == '*') star = p++, mark = i;
        else if (p < pattern.size() && pattern[p] == id[i]) ++p, ++i;
        else if (star != std::string::npos) p = star + 1, i = ++mark;
        else return false;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::vector<Claim> run_all(Tier tier, const std::string& pattern, const Progress& progress, const Context& context) {
    return run_checks(registry(), tier, pattern, progress, context);
}

std::vector<Claim> run_checks(const std::vector<CheckDefinition>& checks, Tier tier, const std::string& pattern,
                              const Progress& progress, const Context& context) {
    Context ctx = context;
    ctx.tier = tier;
    std::vector<const CheckDefinition*> selected;
    for (const auto& check : checks)
        if ((tier == Tier::full || check.quick) && matches(check.id, pattern)) selected.push_back(&check);
    std::vector<Claim> results;
    for (std::size_t i = 0; i < selected.size(); ++i) {
        const auto& check = *selected[i];
        if (progress) progress(i, selected.size(), check.id, nullptr);
        const auto start = std::chrono::steady_clock::now();
        Claim result;
        try {
            result = check.run(ctx);
        } catch (const std::exception& e) {
            result.verdict = Verdict::fail;
            result.details.push_back(std::string("the check threw: ") + e.what());
        }
        result.id = check.id;
        result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!std::isfinite(result.measured) && result.verdict != Verdict::fail) {
            result.verdict = Verdict::fail;  // never a silent NaN
            result.details.push_back("measured value is not finite");
        }
        results.push_back(std::move(result));
        if (progress) progress(i, selected.size(), check.id, &results.back());
    }
    return results;
}

bool all_succeeded(const std::vector<Claim>& results) {
    for (const auto& r : results)
        if (!report::succeeded(r.verdict)) return false;
    return true;
}

}  // namespace normdyn::checks
