// The report document written as Markdown and as JSON, and figure data as JSON.
#include "normdyn/report/document.hpp"

#include <cstdio>
#include <stdexcept>

namespace normdyn::report {

std::string to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::counterexample: return "counterexample";
    case Verdict::certified: return "certified";
    }
    return "fail";
}

std::string format_real(double x) {
    if (!is_finite(x)) return non_finite_name(x);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    return buffer;
}

std::string measured_text(const Claim& claim, const char* plus_minus) {
    if (!(claim.uncertainty > 0)) return format_real(claim.measured);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.2g", claim.uncertainty);
    return format_real(claim.measured) + plus_minus + buffer;
}

Json to_json(const Claim& claim) {
    Json j;
    j["id"] = claim.id;
    j["verdict"] = to_string(claim.verdict);
    j["statement"] = claim.statement;
    j["regime"] = claim.regime;
    j["method"] = claim.method;
    j["measured"] = real_to_json(claim.measured);
    j["uncertainty"] = real_to_json(claim.uncertainty);
    j["predicted"] = real_to_json(claim.predicted);
    j["tolerance"] = real_to_json(claim.tolerance);
    j["criterion"] = claim.criterion;
    j["details"] = claim.details;
    j["wall_s"] = claim.wall_s;
    j["figure"] = claim.figure;
    j["section"] = claim.section;
    return j;
}

namespace {

// A Markdown table cell: no pipe or newline may break the row.
std::string cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out.empty() ? " " : out;
}

std::string table_row(const std::vector<std::string>& cells) {
    std::string row = "|";
    for (const auto& text : cells) {
        row += ' ';
        row += cell(text);
        row += " |";
    }
    return row + "\n";
}

std::string markdown_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::string out = table_row(header);
    out += "|";
    for (std::size_t i = 0; i < header.size(); ++i) out += "---|";
    out += "\n";
    for (const auto& row : rows) {
        if (row.size() != header.size())
            throw std::invalid_argument("document: a table row has " + std::to_string(row.size()) + " cells, header " +
                                        std::to_string(header.size()));
        out += table_row(row);
    }
    return out;
}

std::string verdict_badge(Verdict verdict) {
    switch (verdict) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "**FAIL**";
    case Verdict::counterexample: return "**counterexample**";
    case Verdict::certified: return "certified";
    }
    return "**FAIL**";
}

std::string seconds(double s) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f s", s);
    return buffer;
}

// The one claim table: each claim once, with its number, prediction, rule and verdict; the claim's id
// links to the section that shows its study.
void write_summary(std::string& out, const Document& document) {
    out += "## Summary\n\n";
    if (document.claims.empty()) {
        out += "No claim was measured in this run.\n\n";
        return;
    }
    std::size_t counts[4] = {0, 0, 0, 0};
    for (const Claim& claim : document.claims) ++counts[static_cast<int>(claim.verdict)];
    out += std::to_string(document.claims.size() - counts[static_cast<int>(Verdict::fail)]) + " of " +
           std::to_string(document.claims.size()) + " claims pass or are exhibited (" +
           std::to_string(counts[static_cast<int>(Verdict::pass)]) + " pass, " +
           std::to_string(counts[static_cast<int>(Verdict::counterexample)]) + " counterexample, " +
           std::to_string(counts[static_cast<int>(Verdict::certified)]) + " certified, " +
           std::to_string(counts[static_cast<int>(Verdict::fail)]) + " fail). Each measured number appears here "
           "only; the sections show the figures drawn from the same studies, REPORT.json each claim's regime, "
           "method and details.\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const Claim& claim : document.claims) {
        const std::string id = "`" + claim.id + "`";
        const std::string figure = claim.figure.empty() ? "" : "[" + claim.figure + "](figures/" + claim.figure + ".png)";
        rows.push_back({claim.section.empty() ? id : "[" + id + "](#" + claim.section + ")", claim.statement,
                        measured_text(claim), format_real(claim.predicted), claim.criterion,
                        verdict_badge(claim.verdict), figure});
    }
    out += markdown_table({"claim", "statement", "measured", "predicted", "rule", "verdict", "figure"}, rows) + "\n";
}

void write_section(std::string& out, const Section& section) {
    out += "<a id=\"" + section.id + "\"></a>\n\n## " + section.title + "\n\n";
    if (section.status != "done") out += "**Status:** " + section.status + "\n\n";
    for (const auto& paragraph : section.paragraphs) out += paragraph + "\n\n";
    for (const auto& figure : section.figures) {
        const std::string stem = "figures/" + figure.name;
        if (figure.drawn) out += "![" + cell(figure.name) + "](" + stem + ".png)\n\n";
        else out += "*(figure `" + figure.name + "` not drawn: gnuplot was not available; run its script)*\n\n";
        out += "**Figure `" + figure.name + "`.** " + figure.caption + " [SVG](" + stem + ".svg) · [gnuplot script](" +
               stem + ".gp) · [data](data/" + figure.name + ".json)\n\n";
    }
    for (const auto& table : section.tables) {
        out += "**" + table.caption + "**";
        if (!table.data_file.empty()) out += " ([data](data/" + table.data_file + ".json))";
        out += "\n\n" + markdown_table(table.header, table.rows) + "\n";
    }
}

void write_provenance(std::string& out, const Document& document) {
    out += "## Provenance\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, value] : document.provenance.items()) {
        if (value.is_object()) continue;
        rows.push_back({key, value.is_string() ? value.get<std::string>() : value.dump()});
    }
    out += markdown_table({"item", "value"}, rows) + "\n";
    std::vector<std::vector<std::string>> times;
    for (const Section& section : document.sections) times.push_back({section.id, seconds(section.wall_s), section.status});
    out += "Wall time per section:\n\n" + markdown_table({"section", "wall time", "status"}, times) + "\n";
}

Json axis_json(const Axis& axis) {
    Json json{{"label", axis.label}, {"log", axis.log}};
    if (axis.min) json["min"] = *axis.min;
    if (axis.max) json["max"] = *axis.max;
    return json;
}

}  // namespace

std::string to_markdown(const Document& document) {
    std::string out = "# " + document.title + "\n\n";
    for (const auto& paragraph : document.introduction) out += paragraph + "\n\n";
    write_summary(out, document);
    for (const Section& section : document.sections) write_section(out, section);
    write_provenance(out, document);
    return out;
}

Json to_json(const Document& document) {
    Json json;
    json["title"] = document.title;
    json["claims"] = Json::array();
    for (const Claim& claim : document.claims) json["claims"].push_back(to_json(claim));
    json["sections"] = Json::array();
    for (const Section& section : document.sections) {
        Json s{{"id", section.id}, {"title", section.title}, {"status", section.status}, {"wall_s", section.wall_s},
               {"paragraphs", section.paragraphs}, {"tables", Json::array()}, {"figures", Json::array()}};
        for (const Table& table : section.tables)
            s["tables"].push_back({{"caption", table.caption}, {"header", table.header}, {"rows", table.rows},
                                   {"data_file", table.data_file}});
        for (const FigureReference& figure : section.figures)
            s["figures"].push_back({{"name", figure.name}, {"caption", figure.caption}, {"drawn", figure.drawn}});
        json["sections"].push_back(std::move(s));
    }
    json["provenance"] = document.provenance;
    return json;
}

Json figure_data(const Figure& figure) {
    validate(figure);
    Json json{{"name", figure.name}, {"title", figure.title}, {"panels", Json::array()}};
    for (const Panel& panel : figure.panels) {
        Json p{{"title", panel.title}, {"x", axis_json(panel.x)}, {"y", axis_json(panel.y)}, {"series", Json::array()}};
        for (const Series& series : panel.series) {
            Json s{{"legend", series.legend}, {"x", series.x}, {"y", series.y}};
            if (series.style == SeriesStyle::error_bars) {
                s["y_low"] = series.y_low;
                s["y_high"] = series.y_high;
            }
            p["series"].push_back(std::move(s));
        }
        if (panel.heat_map)
            p["heat_map"] = {{"column_labels", panel.heat_map->column_labels},
                             {"row_labels", panel.heat_map->row_labels},
                             {"value_label", panel.heat_map->value_label},
                             {"values", panel.heat_map->values}};
        json["panels"].push_back(std::move(p));
    }
    return json;
}

}  // namespace normdyn::report
