// Tests of `normdyn reproduce`: the quick tier writes REPORT.md, REPORT.json, and for every figure a
// valid PNG, a valid SVG, its data, and a .gp script that plain gnuplot redraws on its own; bad input writes
// nothing; a second run replaces the first and leaves no temporary directory behind.
#include <catch2/catch.hpp>

#include "normdyn/report/figure.hpp"

#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#ifndef NORMDYN_EXE
#error "NORMDYN_EXE (the path of the built normdyn executable) must be defined by the build"
#endif

namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& stem) {
    const fs::path dir = fs::temp_directory_path() / ("normdyn_test_reproduce_" + std::to_string(::getpid()) + "_" + stem);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

int shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string quoted(const fs::path& path) {
    std::string text(1, '\'');
    text += path.string();
    text += '\'';
    return text;
}

}  // namespace

TEST_CASE("normdyn reproduce --quick writes every figure as PNG, SVG and a script that redraws alone") {
    const fs::path dir = scratch("quick");
    const fs::path out = dir / "reports";
    const int code = shell(std::string(NORMDYN_EXE) + " reproduce --quick --out " + quoted(out) + " 2>" +
                           quoted(dir / "stderr.txt") + " >" + quoted(dir / "stdout.txt"));
    REQUIRE(code == 0);
    REQUIRE(fs::is_regular_file(out / "REPORT.md"));
    REQUIRE(fs::is_regular_file(out / "REPORT.json"));
    std::ifstream json_in(out / "REPORT.json");
    const auto report = nlohmann::json::parse(json_in);
    CHECK(report.at("claims").size() >= 10);
    // The report's claims are `normdyn check`'s, with the same numbers for the same tier.
    REQUIRE(shell(std::string(NORMDYN_EXE) + " check --quick --json --out " + quoted(dir) + " 2>/dev/null >" +
                  quoted(dir / "check.json")) == 0);
    std::ifstream check_in(dir / "check.json");
    const auto checked = nlohmann::json::parse(check_in).at("checks");
    REQUIRE(checked.size() == report.at("claims").size());
    for (const auto& claim : report.at("claims")) {
        const auto same = std::find_if(checked.begin(), checked.end(), [&](const auto& c) { return c.at("id") == claim.at("id"); });
        INFO(claim.at("id"));
        REQUIRE(same != checked.end());
        CHECK(same->at("measured") == claim.at("measured"));
        CHECK(same->at("verdict") == claim.at("verdict"));
    }
    for (const auto& section : report.at("sections")) {
        INFO(section.at("id"));
        CHECK(section.at("status") == "done");
    }
    std::size_t figures = 0;
    const bool gnuplot = normdyn::report::gnuplot_available();
    for (const auto& entry : fs::directory_iterator(out / "figures")) {
        if (entry.path().extension() != ".gp") continue;
        ++figures;
        const std::string stem = entry.path().stem().string();
        INFO(stem);
        CHECK(fs::is_regular_file(out / "data" / (stem + ".json")));
        if (!gnuplot) continue;
        CHECK(normdyn::report::is_png_file(out / "figures" / (stem + ".png")));
        CHECK(normdyn::report::is_svg_file(out / "figures" / (stem + ".svg")));
        // Plain gnuplot, in an empty directory holding only the script.
        const fs::path redraw = dir / ("redraw_" + stem);
        fs::create_directories(redraw);
        fs::copy_file(entry.path(), redraw / entry.path().filename());
        CHECK(shell("cd " + quoted(redraw) + " && gnuplot " + quoted(entry.path().filename()) + " 2>/dev/null") == 0);
        CHECK(normdyn::report::is_png_file(redraw / (stem + ".png")));
        CHECK(normdyn::report::is_svg_file(redraw / (stem + ".svg")));
    }
    CHECK(figures >= 9);
    // A second run of one section replaces the report atomically and leaves no temporary sibling.
    REQUIRE(shell(std::string(NORMDYN_EXE) + " reproduce --quick --only initial-velocity --out " + quoted(out) +
                  " 2>/dev/null >/dev/null") == 0);
    CHECK(fs::is_regular_file(out / "figures" / "fig2_initial_velocity.png"));
    CHECK_FALSE(fs::exists(out / "figures" / "fig1_symmetric_gamma.gp"));
    for (const auto& entry : fs::directory_iterator(dir))
        CHECK(entry.path().filename().string().find("reproduce-tmp") == std::string::npos);
}

TEST_CASE("normdyn reproduce with an unknown section or an impossible --out writes nothing and exits 2") {
    const fs::path dir = scratch("bad");
    CHECK(shell(std::string(NORMDYN_EXE) + " reproduce --only nonsense --out " + quoted(dir / "r") + " 2>/dev/null") == 2);
    CHECK(shell(std::string(NORMDYN_EXE) + " reproduce --out " + quoted(dir / "missing" / "r") + " 2>/dev/null") == 2);
    CHECK(fs::is_empty(dir));
}
