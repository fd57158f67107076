// `normdyn reproduce`: the paper's figures and claims in one report. The claims are those of the registry
// (proofs-check/, the same checks `normdyn check` runs); each claim is shown by one section, which runs it
// and then draws its figures from the studies the claims computed (checks::Context::study), so every number
// is measured once. The driver runs the sections in order, writes REPORT.md, REPORT.json, figures/ and data/
// into a temporary sibling of the output directory and swaps it in at the end. Adding a section = one
// function and one registry row naming the claims it shows.
#pragma once

#include "proofs-check/check.hpp"

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

/// What a section sees: the claims' context (tier, first seed, the run's studies), its output folders, and
/// the section it adds to.
class Context {
public:
    Context(const checks::Context& claims, std::filesystem::path root, report::Section& section, Progress& progress);

    /// The context the section's claims ran in: its studies are the ones to draw.
    const checks::Context& claims() const { return claims_; }

    void paragraph(std::string text);
    /// Writes data/<name>.json and figures/<name>.{gp,png,svg}; adds the figure to the section.
    void figure(const report::Figure& figure, std::string caption);
    /// Writes data/<data_file>.json (when given) and adds the table.
    void table(report::Table table, const report::Json& data);
    /// Writes data/<name>.json.
    void data(const std::string& name, const report::Json& json);
    void progress(double fraction, const std::string& note = "");

    /// Problems drawing figures (gnuplot missing or failing); the run reports them and exits non-zero.
    const std::vector<std::string>& figure_problems() const { return figure_problems_; }

private:
    const checks::Context& claims_;
    std::filesystem::path root_;
    report::Section& section_;
    Progress& progress_;
    std::vector<std::string> figure_problems_;
};

struct SectionEntry {
    const char* id;
    const char* title;
    double quick_seconds, full_seconds;  ///< expected cost on one core, for the time-left estimate
    std::vector<std::string> claims;     ///< id patterns (checks::matches) of the claims it shows
    void (*run)(Context& context);       ///< draws its figures once its claims have run
};

/// The sections, in report order.
std::span<const SectionEntry> sections();
/// The checks of the registry whose claims `entry` shows: each claim is shown by the first section whose
/// patterns match its id (the last section matches every id).
std::vector<checks::CheckDefinition> section_checks(const SectionEntry& entry);

// Sections (one file each); the claims each shows are named in the registry (reproduce.cpp).
void symmetric_section(Context& context);          // figures 1, 3, 4: γ(t), terminal rates, r(t)/t
void initial_velocity_section(Context& context);   // figure 2
void small_attention_section(Context& context);    // figure 5: Theorem 4.2
void random_starts_section(Context& context);      // figure 6: d = 3 trajectories, clusters
void layers_to_collapse_section(Context& context); // figure 9
void peers_section(Context& context);              // figure 8: projected Euler versus the toolkit
void layers_section(Context& context);             // the discrete layers' figures
void order_section(Context& context);              // figure 7: `normdyn order`'s study
void checks_section(Context& context);             // the claims no figure shows

// Shared look and words.
std::string scheme_label(model::SchemeKind kind);   ///< "Post-LN", …
std::string scheme_color(model::SchemeKind kind);   ///< one colour per scheme in every figure
/// "1.234" with `digits` significant digits; "inf"/"nan" spelled out (never silently).
std::string format_number(double x, int digits = 4);

}  // namespace normdyn::cli::reproduce
