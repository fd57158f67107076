// Figures as values (architecture: "Report / Figures"). A figure is data: title, panels with labelled axes
// (linear or logarithmic), series with legends, an optional heat map. It is written as a self-contained
// gnuplot script with every number inline (a datablock per series), which plain gnuplot turns into the
// PNG (pngcairo) and the SVG next to it; normdyn draws it the same way, through gnuplot-iostream. Without
// gnuplot the script and the data are still written, and the caller is told the images are missing.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace normdyn::report {

struct Axis {
    std::string label{};           ///< with units, or "layers"
    bool log = false;            ///< logarithmic axis: every value on it must be > 0
    std::optional<double> min{}, max{};  ///< fixed range ends (automatic when absent)
};

enum class SeriesStyle { lines, dashed, points, lines_points, error_bars };

struct Series {
    std::string legend{};              ///< empty: no key entry
    std::vector<double> x{}, y{};
    std::vector<double> y_low{}, y_high{};  ///< error_bars: the interval at each point (same length as y)
    SeriesStyle style = SeriesStyle::lines;
    std::string color{};               ///< "#rrggbb"; empty: gnuplot's sequence
    double width = 1.5;              ///< line width or point size
};

/// A grid of values, drawn as an image with its cells labelled: values[row][column] sits at
/// (column_labels[column], row_labels[row]).
struct HeatMap {
    std::vector<std::string> column_labels{}, row_labels{};
    std::vector<std::vector<double>> values{};
    std::string value_label{};  ///< colour-box label
    bool annotate = true;     ///< print each value in its cell
};

struct Panel {
    std::string title{};
    Axis x, y;
    std::vector<Series> series{};
    std::optional<HeatMap> heat_map{};  ///< drawn under the series; the axes then index the cells
    std::string key = "top right";    ///< gnuplot key position, or "off"
};

struct Figure {
    std::string name{};   ///< file stem: [a-z0-9_-]+
    std::string title{};  ///< overall title (multi-panel) or the single panel's title when that is empty
    std::vector<Panel> panels{};
    std::size_t columns = 1;  ///< panels per row
    int width = 960, height = 640;  ///< pixels (PNG) and SVG user units
};

/// A figure that cannot be drawn as given (bad name, sizes, non-finite value, value ≤ 0 on a log axis).
class FigureError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Throws FigureError naming the panel, series and point at fault.
void validate(const Figure& figure);

/// The self-contained script: datablocks, then the drawing, once for `name.png` (pngcairo) and once for
/// `name.svg`, both in the directory gnuplot runs in. Validates first.
std::string gnuplot_script(const Figure& figure);

/// "gnuplot 5.4 patchlevel 4", or empty when no gnuplot can be run.
std::string gnuplot_version();
bool gnuplot_available();

struct FigureFiles {
    std::filesystem::path script{}, png{}, svg{};
    bool drawn = false;    ///< png and svg were produced
    std::string problem{};   ///< why not (gnuplot missing, or its error message)
};

/// Writes DIR/name.gp and, when gnuplot is available, runs it in DIR (through gnuplot-iostream) to draw
/// name.png and name.svg. Throws FigureError on an invalid figure (nothing written), std::runtime_error
/// when DIR cannot be written. A gnuplot that fails is reported in FigureFiles::problem, not thrown.
FigureFiles write_figure(const Figure& figure, const std::filesystem::path& dir);

/// Whether a file starts with the PNG signature / holds an SVG document (an <svg root element).
bool is_png_file(const std::filesystem::path& path);
bool is_svg_file(const std::filesystem::path& path);

}  // namespace normdyn::report
