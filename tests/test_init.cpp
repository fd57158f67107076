// Tests of the initial conditions (normdyn/model/init.hpp, spec §2).
#include <catch2/catch.hpp>

#include "normdyn/model/init.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

using namespace normdyn;
using model::InitKind;
using model::InitSpec;
using model::SchemeKind;
using Matrix = model::RowMatrix<double>;

namespace {

InitSpec spec_of(InitKind kind, double delta = 0) {
    InitSpec spec;
    spec.kind = kind;
    spec.delta = delta;
    return spec;
}

Matrix draw(InitKind kind, std::size_t n, std::size_t d, double r0, std::uint64_t seed, double delta = 0) {
    return model::initial_positions<double>(spec_of(kind, delta), SchemeKind::post_ln, n, d, r0, seed);
}

/// A fresh directory under the system temp dir, removed with its files at scope exit.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("normdyn_test_init_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        const auto file = path / name;
        std::ofstream(file) << text;
        return file.string();
    }
};

}  // namespace

TEST_CASE("NormalSampler(0) draws the pinned sequence (a changed sampler breaks seeded reproducibility)", "[init]") {
    model::NormalSampler normal(0);
    const double expected[] = {-0.48132337199836744, 0.10191855551453786, 0.064987953338865465,
                               -0.68060303256354293, 1.8863239328876753,  -1.0961189116175776};
    for (double e : expected) CHECK(normal() == e);
    model::NormalSampler uniform(0);
    CHECK(uniform.uniform() == 0.15979336337046079);
    CHECK(uniform.uniform() == 0.99214520962982877);
}

TEST_CASE("Seeded draws are reproducible: the same seed twice is identical, different seeds differ", "[init]") {
    for (InitKind kind : {InitKind::uniform, InitKind::gaussian, InitKind::cone, InitKind::antipodal}) {
        const std::size_t n = kind == InitKind::antipodal ? 2 : 7;
        CAPTURE(int(kind));
        const Matrix a = draw(kind, n, 4, 1.5, 42, 0.3), b = draw(kind, n, 4, 1.5, 42, 0.3);
        const Matrix c = draw(kind, n, 4, 1.5, 43, 0.3);
        CHECK((a - b).cwiseAbs().maxCoeff() == 0);
        CHECK((a - c).cwiseAbs().maxCoeff() > 1e-3);
    }
}

TEST_CASE("Every precision starts from the same seeded point (draws in double, then converted)", "[init]") {
    const Matrix x = draw(InitKind::gaussian, 5, 3, 1, 9);
    const auto y = model::initial_positions<long double>(spec_of(InitKind::gaussian), SchemeKind::pre_ln, 5, 3,
                                                         1.0L, 9);
    for (Eigen::Index j = 0; j < x.rows(); ++j)
        for (Eigen::Index i = 0; i < x.cols(); ++i) CHECK(double(y(j, i)) == x(j, i));
}

TEST_CASE("Uniform rows have norm r0 to 1e-15 (relative)", "[init]") {
    for (double r0 : {1.0, 0.3, 2.5})
        for (std::size_t d : {2u, 3u, 64u}) {
            const Matrix x = draw(InitKind::uniform, 50, d, r0, 5);
            for (Eigen::Index j = 0; j < x.rows(); ++j) CHECK(std::abs(x.row(j).norm() - r0) <= 1e-15 * r0);
        }
}

TEST_CASE("Uniform directions are centred: the mean of 4000 draws in d = 3 is within 5 sigma of 0", "[init]") {
    const Matrix x = draw(InitKind::uniform, 4000, 3, 1, 17);
    const Eigen::RowVectorXd mean = x.colwise().mean();
    // Each coordinate of a uniform unit vector in R^3 has variance 1/3.
    CHECK(mean.cwiseAbs().maxCoeff() < 5 * std::sqrt(1.0 / 3.0 / 4000));
}

TEST_CASE("Gaussian init: i.i.d. standard normal entries (mean 0, variance 1 within 5 sigma)", "[init]") {
    const Matrix x = draw(InitKind::gaussian, 500, 8, 1, 3);
    const double count = double(x.size());
    const double mean = x.mean();
    const double variance = (x.array() - mean).square().sum() / (count - 1);
    CHECK(std::abs(mean) < 5 / std::sqrt(count));
    CHECK(std::abs(variance - 1) < 5 * std::sqrt(2 / count));
}

TEST_CASE("cone:delta has every pairwise cosine >= 1 - delta, and fills the cap", "[init]") {
    for (double delta : {1e-4, 0.05, 0.5, 2.0})
        for (std::size_t d : {2u, 3u, 10u}) {
            CAPTURE(delta, d);
            const Matrix x = draw(InitKind::cone, 60, d, 2.0, 8, delta);
            Matrix theta = x;
            for (Eigen::Index j = 0; j < theta.rows(); ++j) theta.row(j).normalize();
            const Matrix gram = theta * theta.transpose();
            CHECK(gram.minCoeff() >= 1 - delta);
            // Not a degenerate cone: some pair uses a good part of the allowed angle.
            CHECK(gram.minCoeff() <= 1 - delta / 10);
        }
}

TEST_CASE("Antipodal init is (r0 u, -r0 u) and needs n = 2", "[init]") {
    const Matrix x = draw(InitKind::antipodal, 2, 5, 1.25, 4);
    CHECK((x.row(0) + x.row(1)).cwiseAbs().maxCoeff() == 0);
    CHECK(x.row(0).norm() == Approx(1.25).epsilon(1e-15));
    CHECK_THROWS_AS(draw(InitKind::antipodal, 3, 5, 1, 4), std::invalid_argument);
}

TEST_CASE("Orthonormal init is r0 e_j, and with d < n it throws std::invalid_argument", "[init]") {
    const Matrix x = draw(InitKind::orthonormal, 3, 5, 0.75, 0);
    const Matrix expected = 0.75 * Matrix::Identity(3, 5);
    CHECK((x - expected).cwiseAbs().maxCoeff() == 0);
    CHECK_THROWS_AS(draw(InitKind::orthonormal, 4, 3, 1, 0), std::invalid_argument);
}

TEST_CASE("Scheme default init: uniform unit directions for Post-LN, nGPT, LN-Scaling, Gaussian otherwise",
          "[init]") {
    const InitSpec spec = spec_of(InitKind::scheme_default);
    for (SchemeKind scheme : model::all_schemes) {
        CAPTURE(model::to_string(scheme));
        const Matrix x = model::initial_positions<double>(spec, scheme, 6, 4, 2.0, 77);
        const Matrix expected = model::starts_gaussian(scheme) ? draw(InitKind::gaussian, 6, 4, 2.0, 77)
                                                               : draw(InitKind::uniform, 6, 4, 2.0, 77);
        CHECK((x - expected).cwiseAbs().maxCoeff() == 0);
    }
}

TEST_CASE("parse_init accepts the documented forms and rejects the rest", "[init]") {
    CHECK(model::parse_init("orthonormal").kind == InitKind::orthonormal);
    CHECK(model::parse_init("uniform").kind == InitKind::uniform);
    CHECK(model::parse_init("gaussian").kind == InitKind::gaussian);
    CHECK(model::parse_init("antipodal").kind == InitKind::antipodal);
    CHECK(model::parse_init("default").kind == InitKind::scheme_default);
    const InitSpec cone = model::parse_init("cone:0.25");
    CHECK(cone.kind == InitKind::cone);
    CHECK(cone.delta == 0.25);
    CHECK(model::parse_init(model::to_string(cone)).delta == 0.25);
    const InitSpec file = model::parse_init("file:/tmp/x.csv");
    CHECK(file.kind == InitKind::file);
    CHECK(file.path == "/tmp/x.csv");
    for (const char* bad : {"cone:", "cone:0", "cone:-1", "cone:2.5", "cone:0.1x", "file:", "sphere", ""})
        CHECK_THROWS_AS(model::parse_init(bad), std::invalid_argument);
}

TEST_CASE("read_tokens_csv reads comma and whitespace separated tokens, skipping blanks and comments", "[init]") {
    TempDir dir;
    const std::string path = dir.write("ok.csv", "# tokens\n1, 2, 3\n\n-0.5 0 1e-3\r\n4;5;6\n");
    const Matrix x = model::read_tokens_csv(path);
    REQUIRE(x.rows() == 3);
    REQUIRE(x.cols() == 3);
    CHECK(x(0, 1) == 2);
    CHECK(x(1, 0) == -0.5);
    CHECK(x(1, 2) == 1e-3);
    CHECK(x(2, 2) == 6);
    InitSpec spec;
    spec.kind = InitKind::file;
    spec.path = path;
    const Matrix y = model::initial_positions<double>(spec, SchemeKind::pre_ln, 0, 0, 1.0, 0);
    CHECK((x - y).cwiseAbs().maxCoeff() == 0);
}

TEST_CASE("read_tokens_csv rejects a wrong column count, a non-number, a zero vector and a missing file",
          "[init]") {
    TempDir dir;
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(model::read_tokens_csv(dir.write("cols.csv", "1,2,3\n4,5\n")), Contains("line 2"));
    CHECK_THROWS_AS(model::read_tokens_csv(dir.write("cols2.csv", "1,2,3\n4,5,6,7\n")), std::invalid_argument);
    CHECK_THROWS_WITH(model::read_tokens_csv(dir.write("nan.csv", "1,2\n3,abc\n")), Contains("abc"));
    CHECK_THROWS_AS(model::read_tokens_csv(dir.write("inf.csv", "1,inf\n")), std::invalid_argument);
    CHECK_THROWS_AS(model::read_tokens_csv(dir.write("trail.csv", "1,2x\n")), std::invalid_argument);
    CHECK_THROWS_WITH(model::read_tokens_csv(dir.write("zero.csv", "1,2\n0,0\n")), Contains("zero vector"));
    CHECK_THROWS_AS(model::read_tokens_csv(dir.write("empty.csv", "# nothing\n")), std::invalid_argument);
    CHECK_THROWS_AS(model::read_tokens_csv((dir.path / "missing.csv").string()), std::invalid_argument);
}
