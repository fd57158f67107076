// `normdyn plot DIR`: the quick look after a run, through the report's figures (PNG, SVG, self-contained .gp).
//   a sweep's DIR (results.jsonl): per scheme, (β, t) heat maps of the mean number of clusters and of the
//     mean cosine γ_mean over the cells of each β (seeds, weights, …); and layers to collapse (the first
//     sample t with γ_min ≥ 0.999, one layer = one unit of t) against β, min / median / max over the cells
//     that collapse;
//   a simulate --out DIR (summary.json): cosines (γ min, mean, max), Var, radii and clusters against t.
#include "cli_common.hpp"

#include "normdyn/report/figure.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace normdyn::cli {

namespace {

namespace fs = std::filesystem;
using report::Json;

constexpr double collapsed_cosine = 0.999;

std::vector<double> column(const Json& series, const std::string& name) {
    std::vector<double> values;
    if (!series.contains(name)) return values;
    for (const auto& value : series.at(name)) values.push_back(report::real_from_json<double>(value));
    return values;
}

std::string label(double x) {
    std::ostringstream text;
    text << x;
    return text.str();
}

report::Panel lines_panel(const std::string& title, const Json& series, const std::vector<std::string>& names,
                          const std::string& y_label) {
    report::Panel panel;
    panel.title = title;
    panel.x.label = "t (layers)";
    panel.y.label = y_label;
    const auto t = column(series, "t");
    for (const auto& name : names) {
        auto y = column(series, name);
        if (y.size() != t.size() || y.empty()) continue;
        panel.series.push_back({name, t, y});
    }
    return panel;
}

std::vector<report::Figure> simulate_figures(const Json& summary) {
    const Json& series = summary.at("series");
    report::Figure figure;
    figure.name = "simulate";
    const auto& params = summary.at("params");
    figure.title = params.value("scheme", std::string("")) + ", n = " + params.at("n").dump() +
                   (params.contains("d") ? ", d = " + params.at("d").dump() : std::string()) +
                   ", beta = " + report::cell_text(params.at("beta"));
    figure.columns = 2;
    figure.height = 800;
    figure.panels = {lines_panel("cosines", series, {"gamma_min", "gamma_mean", "gamma_max"}, "<theta_j, theta_k>"),
                     lines_panel("Var", series, {"var"}, "Var"),
                     lines_panel("radii", series, {"radius_mean", "radius_min"}, "|x_j|"),
                     lines_panel("clusters", series, {"clusters"}, "clusters")};
    return {figure};
}

double median_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t m = values.size() / 2;
    return values.size() % 2 ? values[m] : 0.5 * (values[m - 1] + values[m]);
}

std::vector<report::Figure> sweep_figures(const std::vector<Json>& records) {
    // scheme → β → the cells' series (same sample times as the scheme's first cell)
    std::map<std::string, std::map<double, std::vector<const Json*>>> cells;
    std::map<std::string, std::vector<double>> times;
    for (const auto& record : records) {
        if (!record.contains("series") || !record.contains("params")) continue;
        const std::string scheme = record["params"].value("scheme", std::string("?"));
        const auto t = column(record["series"], "t");
        if (!times.count(scheme)) times[scheme] = t;
        if (t != times[scheme]) continue;  // another horizon or sampling: not on this map's grid
        cells[scheme][report::real_from_json<double>(record["params"]["beta"])].push_back(&record["series"]);
    }
    std::vector<report::Figure> figures;
    for (const auto& [scheme, by_beta] : cells) {
        const auto& t = times[scheme];
        report::Figure maps;
        maps.name = "sweep_" + scheme + "_heat";
        maps.title = scheme + ": mean over the cells of each beta";
        maps.columns = 2;
        maps.width = 1400;
        std::vector<report::Panel> panels;
        for (const auto& [name, title] : {std::pair{"clusters", "number of clusters"}, {"gamma_mean", "mean cosine"}}) {
            report::HeatMap map;
            map.value_label = title;
            map.annotate = false;
            for (double x : t) map.column_labels.push_back(label(x));
            for (const auto& [beta, series] : by_beta) {
                map.row_labels.push_back(label(beta));
                std::vector<double> mean(t.size(), 0.0);
                for (const Json* s : series) {
                    const auto values = column(*s, name);
                    for (std::size_t k = 0; k < mean.size() && k < values.size(); ++k) mean[k] += values[k] / double(series.size());
                }
                map.values.push_back(mean);
            }
            report::Panel panel;
            panel.title = title;
            panel.x.label = "t (layers)";
            panel.y.label = "beta";
            panel.heat_map = map;
            panel.key = "off";
            panels.push_back(panel);
        }
        maps.panels = panels;
        figures.push_back(maps);

        report::Series median{"median over the cells that collapse; bars: min, max", {}, {}, {}, {},
                              report::SeriesStyle::error_bars};
        for (const auto& [beta, series] : by_beta) {
            std::vector<double> collapse;
            for (const Json* s : series) {
                const auto gamma_min = column(*s, "gamma_min");
                for (std::size_t k = 0; k < gamma_min.size() && k < t.size(); ++k)
                    if (gamma_min[k] >= collapsed_cosine) {
                        collapse.push_back(t[k]);
                        break;
                    }
            }
            if (collapse.empty()) continue;
            median.x.push_back(beta);
            median.y.push_back(median_of(collapse));
            median.y_low.push_back(*std::min_element(collapse.begin(), collapse.end()));
            median.y_high.push_back(*std::max_element(collapse.begin(), collapse.end()));
        }
        if (median.x.empty()) continue;  // no cell of this scheme collapsed within its horizon
        report::Figure collapse;
        collapse.name = "sweep_" + scheme + "_collapse";
        report::Panel panel;
        panel.title = scheme + ": layers to collapse (first sample with gamma_min >= 0.999), min/median/max";
        panel.x.label = "beta";
        panel.y.label = "t (layers)";
        panel.y.min = 0;  // the error bars' lower ends inside the frame
        panel.series.push_back(median);
        collapse.panels = {panel};
        figures.push_back(collapse);
    }
    return figures;
}

}  // namespace

CommandRunner plot_command(CLI::App& command) {
    auto dir = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    command.add_option("DIR", *dir, "a sweep's --out (results.jsonl) or a simulate --out (summary.json)")->required();
    command.add_option("--out", *out, "where the figures go (default: DIR/figures)")->type_name("DIR");
    return [dir, out](const std::string&) -> int {
        std::vector<report::Figure> figures;
        const fs::path results = fs::path(*dir) / "results.jsonl", summary = fs::path(*dir) / "summary.json";
        try {
            if (fs::exists(results)) {
                std::vector<Json> records;
                std::ifstream in(results);
                for (std::string line; std::getline(in, line);) records.push_back(Json::parse(line));
                figures = sweep_figures(records);
            } else if (fs::exists(summary)) {
                std::ifstream in(summary);
                figures = simulate_figures(Json::parse(in));
            } else {
                throw BadInput("DIR: '" + *dir + "' holds neither results.jsonl (sweep) nor summary.json (simulate)");
            }
            if (figures.empty()) throw BadInput("DIR: '" + *dir + "' holds no series to draw");
            for (const auto& figure : figures) report::validate(figure);
        } catch (const BadInput& e) {
            return report_bad_input("plot", e.what());
        } catch (const std::exception& e) {
            return report_bad_input("plot", "DIR: cannot read '" + *dir + "': " + e.what());
        }
        const fs::path target = out->empty() ? fs::path(*dir) / "figures" : fs::path(*out);
        fs::create_directories(target);
        for (const auto& figure : figures) {
            const auto files = report::write_figure(figure, target);
            std::cout << "normdyn plot: " << files.script.string()
                      << (files.drawn ? " (+ .png, .svg)" : " (no images: " + files.problem + ")") << '\n';
        }
        return exit_done;
    };
}

}  // namespace normdyn::cli
