// What every reproduce section shares: the Context it writes through, progress on stderr, and the
// scheme names and colours used in every figure.
#include "reproduce.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace normdyn::cli::reproduce {

namespace {

std::string clock_text(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", s / 60, s % 60);
    return buffer;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

Progress::Progress(double total_weight, bool terminal)
    : total_(std::max(total_weight, 1e-9)), terminal_(terminal), start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::begin_section(const std::string& id, double weight) {
    section_ = id;
    weight_ = weight;
    fraction_ = 0;
    note_.clear();
    if (!terminal_) std::cerr << "normdyn reproduce: section " << id << " ...\n";
    draw(true);
}

void Progress::update(double fraction, const std::string& note) {
    fraction_ = std::clamp(fraction, 0.0, 1.0);
    if (!note.empty()) note_ = note;
    draw(false);
}

void Progress::end_section() {
    done_ += weight_;
    weight_ = 0;
    fraction_ = 0;
}

void Progress::finish() {
    if (terminal_) std::cerr << "\r\033[K";
    std::cerr.flush();
}

void Progress::draw(bool force) {
    const auto now = std::chrono::steady_clock::now();
    const double since_last = std::chrono::duration<double>(now - last_).count();
    if (!force && since_last < (terminal_ ? 0.2 : 10.0)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double done = std::min(1.0, (done_ + weight_ * fraction_) / total_);
    const std::string left = done > 0.02 ? clock_text(elapsed * (1 - done) / done) : std::string("?");
    const int percent = static_cast<int>(std::lround(100 * done));
    if (terminal_) {
        const int width = 24, filled = static_cast<int>(std::lround(width * done));
        std::cerr << "\r\033[K[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << percent
                  << "% " << section_ << (note_.empty() ? "" : ": " + note_) << "  elapsed " << clock_text(elapsed)
                  << ", about " << left << " left" << std::flush;
    } else if (!force) {
        std::cerr << "normdyn reproduce: " << percent << "% " << section_ << (note_.empty() ? "" : ": " + note_)
                  << " (elapsed " << clock_text(elapsed) << ", about " << left << " left)\n";
    }
}

Context::Context(const checks::Context& claims, std::filesystem::path root, report::Section& section, Progress& progress)
    : claims_(claims), root_(std::move(root)), section_(section), progress_(progress) {}

void Context::paragraph(std::string text) { section_.paragraphs.push_back(std::move(text)); }

void Context::figure(const report::Figure& figure, std::string caption) {
    data(figure.name, report::figure_data(figure));
    const auto files = report::write_figure(figure, root_ / "figures");
    if (!files.drawn) figure_problems_.push_back(files.problem);
    section_.figures.push_back({figure.name, std::move(caption), files.drawn});
}

void Context::table(report::Table table, const report::Json& json) {
    if (!table.data_file.empty()) data(table.data_file, json);
    section_.tables.push_back(std::move(table));
}

// Whether a JSON number is NaN or infinite (nlohmann would write it as null).
static bool contains_non_finite(const report::Json& value) {
    if (value.is_number_float()) return !std::isfinite(value.get<double>());
    if (value.is_structured())
        for (const auto& item : value)
            if (contains_non_finite(item)) return true;
    return false;
}

void Context::data(const std::string& name, const report::Json& json) {
    if (report::contains_null(json) || contains_non_finite(json))
        throw std::logic_error("data " + name + " holds a null or a non-finite number (spell it with real_to_json)");
    write_text(root_ / "data" / (name + ".json"), report::to_text(json) + "\n");
}

void Context::progress(double fraction, const std::string& note) { progress_.update(fraction, note); }

std::string scheme_label(model::SchemeKind kind) { return std::string(model::scheme_row(kind).label); }

std::string scheme_color(model::SchemeKind kind) { return std::string(model::scheme_row(kind).color); }

std::string format_number(double x, int digits) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, x);
    return buffer;
}

}  // namespace normdyn::cli::reproduce
