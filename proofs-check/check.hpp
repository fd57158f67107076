// The theorem-check framework (issue 4): every claim of spec §3–§6 (and the measured facts of §8–§9) as a
// named check with the claim in words, the regime, the method, the measured value with its uncertainty, the
// predicted value, the tolerance and a verdict. proofs-check/<family>.cpp each add their checks to the
// registry; `normdyn check` and `normdyn reproduce` run them through run_all.
#pragma once

#include "normdyn/model/scheme.hpp"
#include "normdyn/report/json.hpp"

#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace normdyn::checks {

/// pass / fail; counterexample: the spec lists the statement as false as printed and the check found and
/// exhibited the counterexample (a passing outcome). A later issue adds certified (interval arithmetic).
enum class Verdict { pass, fail, counterexample };
std::string to_string(Verdict verdict);
/// Whether a verdict is a success (pass or counterexample).
inline bool succeeded(Verdict verdict) { return verdict != Verdict::fail; }

/// quick: the CI tier (under 5 minutes on 2 cores); full: every check, with larger grids and more seeds.
enum class Tier { quick, full };
std::string to_string(Tier tier);

struct CheckResult {
    std::string id;         ///< e.g. "thm4.1/terminal-law/pre-ln/beta1-n8"
    std::string claim;      ///< the statement, in words
    std::string regime;     ///< the parameters
    std::string method;     ///< how it was measured
    double measured = std::numeric_limits<double>::quiet_NaN();
    double uncertainty = 0; ///< half-width of the measured value's interval (95 % CI, or a stated bound)
    double predicted = std::numeric_limits<double>::quiet_NaN();
    double tolerance = 0;   ///< what the verdict allows (see `criterion`)
    std::string criterion;  ///< the verdict rule in words, e.g. "|measured − predicted| ≤ tolerance"
    Verdict verdict = Verdict::fail;
    std::vector<std::string> details;  ///< windows, winning laws, solver statistics, caveats
    double wall_s = 0;
};

/// What a check may be varied by. Normal runs use the default; the sabotage test breaks the model here.
struct Context {
    Tier tier = Tier::quick;
    /// Applied to every scheme a check builds (empty: the spec's model). Used to break the model on purpose.
    std::function<void(model::Scheme<double>&)> modify_scheme;

    /// The scheme of the given kind with Mix-LN's τ and nGPT's constant α, after modify_scheme.
    model::Scheme<double> scheme(model::SchemeKind kind, double tau = 1, double alpha = 0.5) const;
};

struct CheckDefinition {
    std::string id;
    bool quick = true;  ///< part of the quick tier (every check is part of the full tier)
    std::function<CheckResult(const Context&)> run;
};

// Verdict rules.
/// pass when measured is finite and |measured − predicted| ≤ tolerance.
Verdict within(double measured, double predicted, double tolerance);
/// pass when measured is finite and measured ≥ bound.
Verdict at_least(double measured, double bound);
/// pass when measured is finite and measured ≤ bound.
Verdict at_most(double measured, double bound);
/// counterexample when found, fail otherwise.
Verdict exhibited(bool found);
/// fail if any is fail; else counterexample if any is; else pass.
Verdict combine(std::initializer_list<Verdict> verdicts);

/// Every check of every family, in a fixed order (ids are unique).
std::vector<CheckDefinition> registry();

/// Whether id matches PATTERN: a glob with '*' (any run of characters) when it has one, else a substring.
bool matches(const std::string& id, const std::string& pattern);

/// Progress: called before a check runs (result == nullptr) and after (with its result).
using Progress = std::function<void(std::size_t index, std::size_t total, const std::string& id,
                                    const CheckResult* result)>;

/// Runs the given checks of `tier` whose id matches `pattern` (empty: all), in order. A check that throws
/// becomes a fail with the exception's message in its details; a non-finite measured value is a fail.
std::vector<CheckResult> run_checks(const std::vector<CheckDefinition>& checks, Tier tier, const std::string& pattern,
                                    const Progress& progress, const Context& context);

/// run_checks over registry(): the entry point of `normdyn check` and `normdyn reproduce`, in registry order.
std::vector<CheckResult> run_all(Tier tier, const std::string& pattern = {}, const Progress& progress = {},
                                 const Context& context = {});

/// Whether every result succeeded (pass or counterexample).
bool all_succeeded(const std::vector<CheckResult>& results);

/// One JSON object per check (reals as numbers; non-finite values spelled out, never null).
report::Json to_json(const CheckResult& result);
/// {"tier", "pattern", "summary": {counts}, "checks": [...]}.
report::Json to_json(const std::vector<CheckResult>& results, Tier tier, const std::string& pattern);
/// proofs-check.md: a summary line, the table, then each check's claim, regime, method and details.
std::string to_markdown(const std::vector<CheckResult>& results, Tier tier, const std::string& pattern);
/// A fixed-width table for a terminal: id, measured ± uncertainty, predicted, tolerance, verdict.
std::string to_table(const std::vector<CheckResult>& results);

}  // namespace normdyn::checks
