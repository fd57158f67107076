#include "normdyn/model/init.hpp"

#include "normdyn/scalar.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace normdyn::model {

double NormalSampler::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

// Marsaglia's polar method: rejection in the unit disc, then one log and one sqrt (both correctly
// rounded or nearly so everywhere), so the same seed gives the same numbers on every machine.
double NormalSampler::operator()() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double u, v, s;
    do {
        u = 2 * uniform() - 1;
        v = 2 * uniform() - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double scale = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
}

InitSpec parse_init(std::string_view text) {
    const std::string allowed = "(allowed: orthonormal, uniform, gaussian, cone:DELTA, antipodal, file:PATH)";
    InitSpec spec;
    if (text == "default") spec.kind = InitKind::scheme_default;
    else if (text == "orthonormal") spec.kind = InitKind::orthonormal;
    else if (text == "uniform") spec.kind = InitKind::uniform;
    else if (text == "gaussian") spec.kind = InitKind::gaussian;
    else if (text == "antipodal") spec.kind = InitKind::antipodal;
    else if (text.starts_with("cone:")) {
        spec.kind = InitKind::cone;
        const std::string value(text.substr(5));
        std::size_t used = 0;
        try {
            spec.delta = std::stod(value, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != value.size() || !(spec.delta > 0 && spec.delta <= 2))
            throw std::invalid_argument("--init cone:DELTA needs 0 < DELTA <= 2, got '" + value + "'");
    } else if (text.starts_with("file:")) {
        spec.kind = InitKind::file;
        spec.path = std::string(text.substr(5));
        if (spec.path.empty()) throw std::invalid_argument("--init file:PATH needs a path");
    } else {
        throw std::invalid_argument("unknown --init '" + std::string(text) + "' " + allowed);
    }
    return spec;
}

std::string to_string(const InitSpec& spec) {
    switch (spec.kind) {
        case InitKind::scheme_default: return "default";
        case InitKind::orthonormal: return "orthonormal";
        case InitKind::uniform: return "uniform";
        case InitKind::gaussian: return "gaussian";
        case InitKind::cone: return "cone:" + to_decimal(spec.delta);
        case InitKind::antipodal: return "antipodal";
        case InitKind::file: return "file:" + spec.path;
    }
    return "unknown";
}

std::uint64_t splitmix64(std::uint64_t seed) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

RowMatrix<double> read_tokens_csv(const std::string& path) { return read_matrix_csv(path, "init file", true); }

RowMatrix<double> read_matrix_csv(const std::string& path, const std::string& what, bool nonzero_rows) {
    std::ifstream in(path);
    if (!in) throw std::invalid_argument("cannot read " + what + " '" + path + "'");
    std::vector<std::vector<double>> rows;
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos || line[line.find_first_not_of(" \t")] == '#')
            continue;
        for (char& c : line)
            if (c == ',' || c == ';' || c == '\t') c = ' ';
        std::istringstream fields(line);
        std::vector<double> row;
        std::string field;
        while (fields >> field) {
            double value = 0;
            auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
            if (error != std::errc() || end != field.data() + field.size() || !std::isfinite(value))
                throw std::invalid_argument(what + " '" + path + "' line " + std::to_string(line_number) +
                                            ": '" + field + "' is not a finite number");
            row.push_back(value);
        }
        if (!rows.empty() && row.size() != rows.front().size())
            throw std::invalid_argument(what + " '" + path + "' line " + std::to_string(line_number) + ": " +
                                        std::to_string(row.size()) + " columns, expected " +
                                        std::to_string(rows.front().size()));
        double norm_sq = 0;
        for (double v : row) norm_sq += v * v;
        if (nonzero_rows && norm_sq == 0)
            throw std::invalid_argument(what + " '" + path + "' line " + std::to_string(line_number) +
                                        ": zero vector has no direction");
        rows.push_back(std::move(row));
    }
    if (rows.empty()) throw std::invalid_argument(what + " '" + path + "' holds no rows");
    RowMatrix<double> x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.front().size()));
    for (std::size_t j = 0; j < rows.size(); ++j)
        for (std::size_t i = 0; i < rows[j].size(); ++i) x(Eigen::Index(j), Eigen::Index(i)) = rows[j][i];
    return x;
}

namespace {

RowMatrix<double> gaussian_cloud(NormalSampler& normal, std::size_t n, std::size_t d) {
    RowMatrix<double> x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
    for (Eigen::Index j = 0; j < x.rows(); ++j)
        for (Eigen::Index i = 0; i < x.cols(); ++i) x(j, i) = normal();
    return x;
}

Eigen::RowVectorXd unit_direction(NormalSampler& normal, std::size_t d) {
    Eigen::RowVectorXd v;
    do {
        v = gaussian_cloud(normal, 1, d).row(0);
    } while (v.norm() == 0);
    return v / v.norm();
}

// Directions in a spherical cap of angular radius arccos(1 − δ)/2 about a uniform centre, so that any two
// are at most arccos(1 − δ) apart: every pairwise cosine ≥ 1 − δ. The angle from the centre is
// radius · U^{1/(d−1)} (uniform in a small cap), the tangent direction uniform.
RowMatrix<double> cone_directions(NormalSampler& normal, std::size_t n, std::size_t d, double delta) {
    const Eigen::RowVectorXd centre = unit_direction(normal, d);
    const double cap = std::acos(1 - delta) / 2;
    RowMatrix<double> x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
    for (Eigen::Index j = 0; j < x.rows(); ++j) {
        if (d == 1) {
            x.row(j) = centre;
            continue;
        }
        Eigen::RowVectorXd tangent;
        do {
            const Eigen::RowVectorXd g = unit_direction(normal, d);
            tangent = g - g.dot(centre) * centre;
        } while (tangent.norm() < 1e-8);
        tangent /= tangent.norm();
        const double angle = cap * std::pow(normal.uniform(), 1.0 / double(d - 1));
        x.row(j) = std::cos(angle) * centre + std::sin(angle) * tangent;
    }
    return x;
}

template <class T> RowMatrix<T> scaled_unit_rows(const RowMatrix<double>& x, const T& r0) {
    RowMatrix<T> out = x.template cast<T>();
    using std::sqrt;
    for (Eigen::Index j = 0; j < out.rows(); ++j) {
        const T norm = sqrt(out.row(j).squaredNorm());
        out.row(j) *= r0 / norm;
    }
    return out;
}

}  // namespace

template <class T>
RowMatrix<T> initial_positions(const InitSpec& spec, SchemeKind scheme, std::size_t n, std::size_t d,
                               const T& r0, std::uint64_t seed) {
    InitKind kind = spec.kind;
    if (kind == InitKind::scheme_default) kind = starts_gaussian(scheme) ? InitKind::gaussian : InitKind::uniform;
    if (kind != InitKind::file && (n < 1 || d < 1)) throw std::invalid_argument("need n >= 1 and d >= 1");
    NormalSampler normal(seed);
    switch (kind) {
        case InitKind::orthonormal: {
            if (d < n)
                throw std::invalid_argument("orthonormal init needs d >= n (got n = " + std::to_string(n) +
                                            ", d = " + std::to_string(d) + ")");
            RowMatrix<T> x = RowMatrix<T>::Zero(Eigen::Index(n), Eigen::Index(d));
            for (Eigen::Index j = 0; j < x.rows(); ++j) x(j, j) = r0;
            return x;
        }
        case InitKind::uniform: return scaled_unit_rows<T>(gaussian_cloud(normal, n, d), r0);
        case InitKind::gaussian: return gaussian_cloud(normal, n, d).template cast<T>();
        case InitKind::cone: return scaled_unit_rows<T>(cone_directions(normal, n, d, spec.delta), r0);
        case InitKind::antipodal: {
            if (n != 2) throw std::invalid_argument("antipodal init is a pair: needs n = 2");
            const Eigen::RowVectorXd u = unit_direction(normal, d);
            RowMatrix<double> x(2, Eigen::Index(d));
            x.row(0) = u;
            x.row(1) = -u;
            return scaled_unit_rows<T>(x, r0);
        }
        case InitKind::file: return read_tokens_csv(spec.path).template cast<T>();
        case InitKind::scheme_default: break;
    }
    throw std::invalid_argument("unsupported init");
}

#define NORMDYN_INSTANTIATE(T)                                                                          \
    template RowMatrix<T> initial_positions<T>(const InitSpec&, SchemeKind, std::size_t, std::size_t,  \
                                               const T&, std::uint64_t);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
