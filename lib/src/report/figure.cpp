// Figures: validation, the self-contained gnuplot script, and drawing through gnuplot-iostream.
#include "normdyn/report/figure.hpp"

#include <gnuplot-iostream.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace normdyn::report {

namespace {

std::string where(std::size_t panel, const Series& series) {
    return "panel " + std::to_string(panel + 1) + ", series '" + series.legend + "'";
}

void check_values(const std::vector<double>& values, bool log, const std::string& what) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i]))
            throw FigureError("figure: " + what + ": point " + std::to_string(i) + " is not finite");
        if (log && !(values[i] > 0))
            throw FigureError("figure: " + what + ": point " + std::to_string(i) + " is " +
                              std::to_string(values[i]) + ", not > 0, on a logarithmic axis");
    }
}

void validate_heat_map(const HeatMap& map, std::size_t panel) {
    const std::string what = "panel " + std::to_string(panel + 1) + ", heat map";
    if (map.row_labels.size() != map.values.size() || map.values.empty())
        throw FigureError("figure: " + what + ": one row label per row of values, at least one row");
    for (const auto& row : map.values) {
        if (row.size() != map.column_labels.size() || row.empty())
            throw FigureError("figure: " + what + ": one column label per value in every row");
        check_values(row, false, what);
    }
}

// A gnuplot string literal: single quotes, a quote doubled.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// A POSIX shell word: single quotes, a quote written as '\''.
std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", x);
    return buffer;
}

std::string block_name(std::size_t panel, std::size_t series) {
    return "$p" + std::to_string(panel + 1) + "s" + std::to_string(series + 1);
}

void write_datablocks(std::ostream& out, const Figure& figure) {
    for (std::size_t p = 0; p < figure.panels.size(); ++p) {
        const Panel& panel = figure.panels[p];
        if (panel.heat_map) {
            out << "$p" << p + 1 << "heat << EOD\n";
            const HeatMap& map = *panel.heat_map;
            for (std::size_t r = 0; r < map.values.size(); ++r)
                for (std::size_t c = 0; c < map.values[r].size(); ++c)
                    out << c << ' ' << r << ' ' << number(map.values[r][c]) << '\n';
            out << "EOD\n";
        }
        for (std::size_t s = 0; s < panel.series.size(); ++s) {
            const Series& series = panel.series[s];
            out << block_name(p, s) << " << EOD\n";
            for (std::size_t i = 0; i < series.x.size(); ++i) {
                out << number(series.x[i]) << ' ' << number(series.y[i]);
                if (series.style == SeriesStyle::error_bars)
                    out << ' ' << number(series.y_low[i]) << ' ' << number(series.y_high[i]);
                out << '\n';
            }
            out << "EOD\n";
        }
    }
}

std::string range(const Axis& axis) {
    return "[" + (axis.min ? number(*axis.min) : std::string("*")) + ":" +
           (axis.max ? number(*axis.max) : std::string("*")) + "]";
}

std::string style_clause(const Series& series) {
    std::string color = series.color.empty() ? "" : " lc rgb " + quoted(series.color);
    const std::string width = number(series.width);
    switch (series.style) {
    case SeriesStyle::lines: return "with lines lw " + width + color;
    case SeriesStyle::dashed: return "with lines dt 2 lw " + width + color;
    case SeriesStyle::points: return "with points pt 7 ps " + width + color;
    case SeriesStyle::lines_points: return "with linespoints pt 7 ps 0.6 lw " + width + color;
    case SeriesStyle::error_bars: return "using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw " + width + color;
    }
    return "with lines";
}

std::string tic_labels(const std::vector<std::string>& labels) {
    std::string tics = "(";
    for (std::size_t i = 0; i < labels.size(); ++i)
        tics += (i ? ", " : "") + quoted(labels[i]) + " " + std::to_string(i);
    return tics + ")";
}

void write_panel(std::ostream& out, const Panel& panel, std::size_t p, const std::string& title) {
    out << "set title " << quoted(title) << "\n";
    out << "set xlabel " << quoted(panel.x.label) << "\nset ylabel " << quoted(panel.y.label) << "\n";
    out << (panel.x.log ? "set logscale x\n" : "unset logscale x\n") << "set format x '%g'\n";
    out << (panel.y.log ? "set logscale y\n" : "unset logscale y\n") << "set format y '%g'\n";
    out << (panel.key == "off" ? std::string("unset key\n") : "set key " + panel.key + " opaque box\n");
    out << "set xrange " << range(panel.x) << "\nset yrange " << range(panel.y) << "\n";
    std::vector<std::string> plots;
    if (panel.heat_map) {
        const HeatMap& map = *panel.heat_map;
        const std::string block = "$p" + std::to_string(p + 1) + "heat";
        out << "set xtics " << tic_labels(map.column_labels) << "\nset ytics " << tic_labels(map.row_labels) << "\n";
        out << "set xrange [-0.5:" << map.column_labels.size() - 0.5 << "]\nset yrange [-0.5:"
            << map.row_labels.size() - 0.5 << "]\n";
        out << "set cblabel " << quoted(map.value_label) << "\nset palette rgb 33,13,10\n";
        plots.push_back(block + " using 1:2:3 with image notitle");
        if (map.annotate)
            plots.push_back(block + " using 1:2:(sprintf('%.2f', $3)) with labels font ',9' notitle");
    } else {
        out << "set xtics autofreq\nset ytics autofreq\n";
    }
    for (std::size_t s = 0; s < panel.series.size(); ++s) {
        const Series& series = panel.series[s];
        plots.push_back(block_name(p, s) + " " + style_clause(series) + " " +
                        (series.legend.empty() ? std::string("notitle") : "title " + quoted(series.legend)));
    }
    out << "plot ";
    for (std::size_t i = 0; i < plots.size(); ++i) out << (i ? ", \\\n     " : "") << plots[i];
    out << "\n";
}

void write_drawing(std::ostream& out, const Figure& figure) {
    const bool multi = figure.panels.size() > 1;
    const std::size_t columns = std::max<std::size_t>(1, std::min(figure.columns, figure.panels.size()));
    const std::size_t rows = (figure.panels.size() + columns - 1) / columns;
    if (multi)
        out << "set multiplot layout " << rows << "," << columns << " title " << quoted(figure.title)
            << " font ',13'\n";
    for (std::size_t p = 0; p < figure.panels.size(); ++p) {
        const Panel& panel = figure.panels[p];
        write_panel(out, panel, p, panel.title.empty() && !multi ? figure.title : panel.title);
    }
    if (multi) out << "unset multiplot\n";
}

}  // namespace

void validate(const Figure& figure) {
    if (figure.name.empty() || figure.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
        throw FigureError("figure: name '" + figure.name + "' must be non-empty and use only [a-z0-9_-]");
    if (figure.panels.empty()) throw FigureError("figure " + figure.name + ": no panel");
    if (figure.width < 100 || figure.height < 100) throw FigureError("figure " + figure.name + ": size below 100 px");
    for (std::size_t p = 0; p < figure.panels.size(); ++p) {
        const Panel& panel = figure.panels[p];
        if (panel.series.empty() && !panel.heat_map)
            throw FigureError("figure " + figure.name + ": panel " + std::to_string(p + 1) + " has nothing to draw");
        if (panel.heat_map) validate_heat_map(*panel.heat_map, p);
        for (const Series& series : panel.series) {
            const std::string what = "figure " + figure.name + ", " + where(p, series);
            if (series.x.empty() || series.x.size() != series.y.size())
                throw FigureError(what + ": x and y must have the same, non-zero length");
            const bool bars = series.style == SeriesStyle::error_bars;
            if (bars && (series.y_low.size() != series.y.size() || series.y_high.size() != series.y.size()))
                throw FigureError(what + ": error bars need y_low and y_high at every point");
            check_values(series.x, panel.x.log && !panel.heat_map, what + ", x");
            check_values(series.y, panel.y.log && !panel.heat_map, what + ", y");
            check_values(series.y_low, panel.y.log, what + ", y_low");
            check_values(series.y_high, panel.y.log, what + ", y_high");
        }
    }
}

std::string gnuplot_script(const Figure& figure) {
    validate(figure);
    std::ostringstream out;
    out << "# normdyn figure '" << figure.name << "': " << figure.title << "\n"
        << "# Self-contained: `gnuplot " << figure.name << ".gp` redraws " << figure.name << ".png and "
        << figure.name << ".svg in the current directory.\n"
        << "set encoding utf8\n";
    write_datablocks(out, figure);
    const std::string size = std::to_string(figure.width) + "," + std::to_string(figure.height);
    const std::string common = "set termoption noenhanced\nset grid lc rgb '#dddddd'\nset border lw 1\n";
    out << "set terminal pngcairo size " << size << " font 'DejaVu Sans,11' noenhanced\n"
        << "set output " << quoted(figure.name + ".png") << "\n" << common;
    write_drawing(out, figure);
    out << "set output\nset terminal svg size " << size << " font 'DejaVu Sans,11' noenhanced background rgb 'white'\n"
        << "set output " << quoted(figure.name + ".svg") << "\n" << common;
    write_drawing(out, figure);
    out << "set output\n";
    return out.str();
}

std::string gnuplot_version() {
    std::FILE* pipe = popen("gnuplot --version 2>/dev/null", "r");
    if (!pipe) return "";
    std::array<char, 256> buffer{};
    std::string text;
    while (std::fgets(buffer.data(), buffer.size(), pipe)) text += buffer.data();
    const int status = pclose(pipe);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return status == 0 ? text : "";
}

bool gnuplot_available() { return !gnuplot_version().empty(); }

bool is_png_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 8> head{};
    if (!in.read(head.data(), head.size())) return false;
    return std::string(head.data(), head.size()) == "\x89PNG\r\n\x1a\n";
}

bool is_svg_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto root = text.find("<svg");
    return root != std::string::npos && text.find("</svg>", root) != std::string::npos &&
           text.find_first_not_of(" \t\r\n") == text.find('<');
}

FigureFiles write_figure(const Figure& figure, const std::filesystem::path& dir) {
    const std::string script = gnuplot_script(figure);  // validates before anything is written
    FigureFiles files{dir / (figure.name + ".gp"), dir / (figure.name + ".png"), dir / (figure.name + ".svg")};
    {
        std::ofstream out(files.script, std::ios::binary | std::ios::trunc);
        out << script;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + files.script.string());
    }
    if (!gnuplot_available()) {
        files.problem = "gnuplot not found (install gnuplot-nox): wrote " + files.script.filename().string() +
                        " but no PNG/SVG";
        return files;
    }
    std::error_code ignored;
    std::filesystem::remove(files.png, ignored);
    std::filesystem::remove(files.svg, ignored);
    const std::filesystem::path errors = dir / (figure.name + ".gnuplot-errors");
    {
        // gnuplot reads the commands from a pipe (gnuplot-iostream); its messages go to a file we read back.
        Gnuplot gp("gnuplot 2>" + shell_quoted(errors.string()));
        gp << "cd " << quoted(dir.string()) << "\n"
           << "load " << quoted(files.script.filename().string()) << "\n"
           << "exit\n";
    }  // closing the pipe waits for gnuplot to finish
    std::ifstream in(errors);
    std::string messages((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(errors, ignored);
    files.drawn = is_png_file(files.png) && is_svg_file(files.svg);
    if (!files.drawn)
        files.problem = "gnuplot did not draw " + figure.name + (messages.empty() ? std::string() : ": " + messages);
    return files;
}

}  // namespace normdyn::report
