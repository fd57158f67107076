// `normdyn reproduce`: the paper's figures and claims in one report. A registry of sections, each a
// function that computes its numbers, draws its figures and states its claims through a Context; the
// driver runs them in order, writes REPORT.md, REPORT.json, figures/ and data/ into a temporary sibling of
// the output directory and swaps it in at the end. Adding a section = one function and one registry row.
#pragma once

#include "normdyn/model/scheme.hpp"
#include "normdyn/report/document.hpp"
#include "normdyn/report/figure.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace normdyn::cli::reproduce {

/// Progress on stderr: a bar with the section and the time left on a terminal, plain lines otherwise.
class Progress {
public:
    Progress(double total_weight, bool terminal);
    void begin_section(const std::string& id, double weight);
    void update(double fraction, const std::string& note);  ///< fraction of the current section
    void end_section();
    void finish();

private:
    void draw(bool force);
    double total_, done_ = 0, weight_ = 0, fraction_ = 0;
    bool terminal_;
    std::string section_, note_;
    std::chrono::steady_clock::time_point start_, last_;
};

/// What a section sees: its tier, seeds, output folders, and the document it adds to.
class Context {
public:
    Context(bool quick, std::uint64_t seed, std::filesystem::path root, report::Section& section,
            std::vector<report::Claim>& claims, Progress& progress);

    bool quick() const { return quick_; }
    std::uint64_t seed() const { return seed_; }
    /// The seeds a section uses: seed, seed + 1, …
    std::vector<std::uint64_t> seeds(std::size_t count) const;

    void paragraph(std::string text);
    /// Writes data/<name>.json and figures/<name>.{gp,png,svg}; adds the figure to the section.
    void figure(const report::Figure& figure, std::string caption);
    /// Writes data/<data_file>.json (when given) and adds the table.
    void table(report::Table table, const report::Json& data);
    /// Writes data/<name>.json.
    void data(const std::string& name, const report::Json& json);
    void claim(report::Claim claim);
    void progress(double fraction, const std::string& note = "");

    /// Problems drawing figures (gnuplot missing or failing); the run reports them and exits non-zero.
    const std::vector<std::string>& figure_problems() const { return figure_problems_; }

private:
    bool quick_;
    std::uint64_t seed_;
    std::filesystem::path root_;
    report::Section& section_;
    std::vector<report::Claim>& claims_;
    Progress& progress_;
    std::vector<std::string> figure_problems_;
};

struct SectionEntry {
    const char* id;
    const char* title;
    double quick_seconds, full_seconds;  ///< expected cost on one core, for the time-left estimate
    void (*run)(Context& context);
};

/// The sections, in report order.
std::span<const SectionEntry> sections();

// Sections (one file each).
void symmetric_section(Context& context);          // figures 1, 3, 4: γ(t), terminal rates, r(t)/t
void initial_velocity_section(Context& context);   // figure 2
void small_attention_section(Context& context);    // figure 5: Theorem 4.2
void random_starts_section(Context& context);      // figure 6: d = 3 trajectories, clusters
void peers_section(Context& context);              // figure 8: projected Euler versus the toolkit
void layers_to_collapse_section(Context& context); // figure 9
void order_section(Context& context);              // figure 7 (issue 3: normdyn order)
void checks_section(Context& context);             // the proofs-check ids (issue 4: normdyn check)

// Shared look and words.
std::string scheme_label(model::SchemeKind kind);   ///< "Post-LN", …
std::string scheme_color(model::SchemeKind kind);   ///< one colour per scheme in every figure
/// "1.234" with `digits` significant digits; "inf"/"nan" spelled out (never silently).
std::string format_number(double x, int digits = 4);
/// Log-spaced times: `per_decade` points per decade from t_lo to t_hi, both included.
std::vector<double> log_times(double t_lo, double t_hi, int per_decade);

}  // namespace normdyn::cli::reproduce
