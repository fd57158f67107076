// Tests of the figure and document modules (report/figure.hpp, report/document.hpp): a figure is a value,
// its script is self-contained, invalid data is refused before anything is written, and gnuplot draws it.
#include <catch2/catch.hpp>

#include "normdyn/report/document.hpp"
#include "normdyn/report/figure.hpp"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace normdyn::report;

fs::path scratch(const std::string& stem) {
    const fs::path dir = fs::temp_directory_path() / ("normdyn_test_figure_" + std::to_string(::getpid()) + "_" + stem);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

Figure decay_figure() {
    Figure figure{"decay", "1 - gamma against t"};
    Panel panel{"", {"t (layers)", true}, {"1 - gamma", true}};
    Series series{"Post-LN", {}, {}};
    for (int i = 1; i <= 20; ++i) {
        series.x.push_back(i);
        series.y.push_back(std::exp(-2.0 * i));
    }
    panel.series.push_back(series);
    figure.panels.push_back(panel);
    return figure;
}

}  // namespace

TEST_CASE("a figure script carries its data inline and draws PNG and SVG") {
    const std::string script = gnuplot_script(decay_figure());
    CHECK(script.find("$p1s1 << EOD") != std::string::npos);
    CHECK(script.find("set logscale y") != std::string::npos);
    CHECK(script.find("set output 'decay.png'") != std::string::npos);
    CHECK(script.find("set output 'decay.svg'") != std::string::npos);
    CHECK(script.find("title 'Post-LN'") != std::string::npos);
    CHECK(script.find("2.0611536224385579e-09") != std::string::npos);  // e^{-20}, all 17 digits
}

TEST_CASE("a quote in a legend cannot break the script") {
    Figure figure = decay_figure();
    figure.panels[0].series[0].legend = "it's";
    CHECK(gnuplot_script(figure).find("title 'it''s'") != std::string::npos);
}

TEST_CASE("a non-finite value, a value <= 0 on a log axis or a bad name is refused") {
    Figure nan = decay_figure();
    nan.panels[0].series[0].y[3] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(validate(nan), FigureError);
    Figure zero = decay_figure();
    zero.panels[0].series[0].y[3] = 0;
    CHECK_THROWS_WITH(validate(zero), Catch::Contains("logarithmic"));
    Figure name = decay_figure();
    name.name = "../escape";
    CHECK_THROWS_AS(validate(name), FigureError);
    Figure empty = decay_figure();
    empty.panels[0].series.clear();
    CHECK_THROWS_AS(validate(empty), FigureError);
    const fs::path dir = scratch("refused");
    CHECK_THROWS_AS(write_figure(nan, dir), FigureError);
    CHECK(fs::is_empty(dir));  // nothing written
}

TEST_CASE("gnuplot draws a multi-panel figure with a heat map and error bars") {
    if (!gnuplot_available()) {
        WARN("gnuplot not installed: drawing not tested");
        return;
    }
    Figure figure = decay_figure();
    figure.name = "panels";
    figure.columns = 2;
    Panel heat{"heat", {"d"}, {"n"}};
    heat.heat_map = HeatMap{{"8", "16"}, {"32", "64", "128"}, {{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}}, "ratio"};
    Panel bars{"bars", {"beta"}, {"layers", true}};
    bars.series.push_back({"spread", {1, 2, 3}, {10, 100, 1000}, {5, 50, 500}, {20, 200, 2000}, SeriesStyle::error_bars});
    figure.panels.push_back(heat);
    figure.panels.push_back(bars);
    const fs::path dir = scratch("draw");
    const auto files = write_figure(figure, dir);
    INFO(files.problem);
    CHECK(files.drawn);
    CHECK(is_png_file(files.png));
    CHECK(is_svg_file(files.svg));
    CHECK_FALSE(is_png_file(files.svg));
    CHECK_FALSE(is_svg_file(files.script));
}

TEST_CASE("a document is written as Markdown with its summary table, figures and provenance") {
    Document document;
    document.title = "report";
    Claim claim;
    claim.id = "thm4.1/terminal-law/post-ln";
    claim.statement = "claim with | pipe";
    claim.measured = 2.0001;
    claim.uncertainty = 3e-5;
    claim.predicted = 2;
    claim.criterion = "|rate - 2| <= 0.01";
    claim.verdict = Verdict::pass;
    claim.figure = "decay";
    claim.section = "symmetric";
    document.claims.push_back(claim);
    Section section{"symmetric", "Symmetric start"};
    section.paragraphs.push_back("What it shows.");
    section.figures.push_back({"decay", "Caption.", true});
    section.tables.push_back({"A table.", {"a", "b"}, {{"1", "2"}}, "table_data"});
    document.sections.push_back(section);
    document.provenance["git_commit"] = "abc";
    const std::string markdown = to_markdown(document);
    CHECK(markdown.find("| [`thm4.1/terminal-law/post-ln`](#symmetric) | claim with \\| pipe | 2.0001 ± 3e-05 | 2 | "
                        "\\|rate - 2\\| <= 0.01 | pass | [decay](figures/decay.png) |") != std::string::npos);
    CHECK(markdown.find("1 of 1 claims pass or are exhibited") != std::string::npos);
    CHECK(markdown.find("![decay](figures/decay.png)") != std::string::npos);
    CHECK(markdown.find("[data](data/table_data.json)") != std::string::npos);
    CHECK(markdown.find("| git_commit | abc |") != std::string::npos);
    const Json json = to_json(document);
    CHECK(json.at("claims").at(0).at("verdict") == "pass");
    CHECK(json.at("claims").at(0).at("measured") == 2.0001);
    CHECK(json.at("claims").at(0).at("id") == "thm4.1/terminal-law/post-ln");
    CHECK_FALSE(contains_null(json));
    document.sections[0].tables[0].rows[0].push_back("3");
    CHECK_THROWS_AS(to_markdown(document), std::invalid_argument);
}

TEST_CASE("figure data holds every series") {
    const Json data = figure_data(decay_figure());
    CHECK(data.at("panels").at(0).at("series").at(0).at("y").size() == 20);
    CHECK(data.at("panels").at(0).at("y").at("log") == true);
}
