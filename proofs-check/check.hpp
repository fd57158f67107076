// The claim registry: every claim of spec §3–§6 (and the measured facts of §7–§9) as a named check that
// measures it and returns a report::Claim (the statement, regime, method, measured value with its
// uncertainty, prediction, tolerance, criterion and verdict). proofs-check/<family>.cpp each register their
// checks; `normdyn check` and `normdyn reproduce` run the same checks, and reproduce draws its figures from
// the studies the checks computed (Context::study: each study computed once per run).
#pragma once

#include "normdyn/model/scheme.hpp"
#include "normdyn/report/document.hpp"
#include "normdyn/report/json.hpp"

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace normdyn::checks {

/// quick: the CI tier (under 5 minutes on 2 cores); full: every check, with larger grids and more seeds.
enum class Tier { quick, full };
std::string to_string(Tier tier);

/// The studies of one run, by key: what several claims and the report's figures share, computed once.
class Studies {
public:
    /// The study stored under key, computing it with compute() the first time. Throws std::bad_any_cast
    /// when key was stored with another type.
    template <class T, class Compute> const T& get(const std::string& key, Compute&& compute) {
        auto found = values_.find(key);
        if (found == values_.end()) found = values_.emplace(key, std::make_shared<const T>(compute())).first;
        return *std::any_cast<const std::shared_ptr<const T>&>(found->second);
    }

private:
    std::map<std::string, std::any> values_;
};

/// What a check may be varied by. Normal runs use the default; the sabotage test breaks the model here.
struct Context {
    Tier tier = Tier::quick;
    /// The first seed of the random starts (`normdyn reproduce --seed`); a study uses seed, seed + 1, …
    std::uint64_t seed = 1;
    /// Applied to every scheme a check builds (empty: the spec's model). Used to break the model on purpose.
    std::function<void(model::Scheme<double>&)> modify_scheme;
    /// Shared by copies of this context: the checks of one run and the report's figures see the same studies.
    /// A copy given another modify_scheme needs fresh Studies (studies are keyed by tier and seed only).
    std::shared_ptr<Studies> studies = std::make_shared<Studies>();

    /// The scheme of the given kind with Mix-LN's τ and nGPT's constant α, after modify_scheme.
    model::Scheme<double> scheme(model::SchemeKind kind, double tau = 1, double alpha = 0.5) const;

    /// The study named key for this context's tier and seed, computed by compute() on first use.
    template <class T, class Compute> const T& study(const std::string& key, Compute&& compute) const {
        return studies->get<T>(key + "@" + to_string(tier) + "/seed" + std::to_string(seed), compute);
    }
};

struct CheckDefinition {
    std::string id;
    bool quick = true;  ///< part of the quick tier (every check is part of the full tier)
    std::function<report::Claim(const Context&)> run;
};

// Verdict rules (report::Verdict is the one verdict type).
/// pass when measured is finite and |measured − predicted| ≤ tolerance.
report::Verdict within(double measured, double predicted, double tolerance);
/// pass when measured is finite and measured ≥ bound.
report::Verdict at_least(double measured, double bound);
/// pass when measured is finite and measured ≤ bound.
report::Verdict at_most(double measured, double bound);
/// counterexample when found, fail otherwise.
report::Verdict exhibited(bool found);
/// fail if any is fail; else counterexample if any is; else pass.
report::Verdict combine(std::initializer_list<report::Verdict> verdicts);

/// Every check of every family, in a fixed order (ids are unique).
std::vector<CheckDefinition> registry();

/// Whether id matches PATTERN: a glob with '*' (any run of characters) when it has one, else a substring.
bool matches(const std::string& id, const std::string& pattern);

/// Progress: called before a check runs (result == nullptr) and after (with its result).
using Progress = std::function<void(std::size_t index, std::size_t total, const std::string& id,
                                    const report::Claim* result)>;

/// Runs the given checks of `tier` whose id matches `pattern` (empty: all), in order. A check that throws
/// becomes a fail with the exception's message in its details; a non-finite measured value is a fail.
std::vector<report::Claim> run_checks(const std::vector<CheckDefinition>& checks, Tier tier, const std::string& pattern,
                                      const Progress& progress, const Context& context);

/// run_checks over registry(): the entry point of `normdyn check` and `normdyn reproduce`, in registry order.
std::vector<report::Claim> run_all(Tier tier, const std::string& pattern = {}, const Progress& progress = {},
                                   const Context& context = {});

/// Whether every result succeeded (report::succeeded).
bool all_succeeded(const std::vector<report::Claim>& results);

/// {"tier", "pattern", "summary": {counts}, "checks": [report::to_json of each claim]}.
report::Json to_json(const std::vector<report::Claim>& results, Tier tier, const std::string& pattern);
/// proofs-check.md: a summary line, the table, then each check's claim, regime, method and details.
std::string to_markdown(const std::vector<report::Claim>& results, Tier tier, const std::string& pattern);
/// A fixed-width table for a terminal: id, measured ± uncertainty, predicted, tolerance, verdict.
std::string to_table(const std::vector<report::Claim>& results);

}  // namespace normdyn::checks
