#include "normdyn/layers/normalization.hpp"

#include <cmath>
#include <stdexcept>

namespace normdyn::layers {

std::string to_string(NormKind kind) {
    switch (kind) {
        case NormKind::plain: return "plain";
        case NormKind::layernorm: return "layernorm";
        case NormKind::rmsnorm: return "rmsnorm";
    }
    return "unknown";
}

NormKind parse_norm(std::string_view name) {
    for (NormKind kind : {NormKind::plain, NormKind::layernorm, NormKind::rmsnorm})
        if (name == to_string(kind)) return kind;
    throw std::invalid_argument("unknown normalisation '" + std::string(name) + "' (allowed: plain, layernorm, rmsnorm)");
}

namespace {

// The scale that divides a token; a token with no finite positive scale has no normalisation.
double checked_scale(double scale, Eigen::Index row, const char* what) {
    if (!(scale > 0) || !std::isfinite(scale))
        throw std::domain_error(std::string(what) + " of token " + std::to_string(row) +
                                " is zero or not finite: it cannot be normalised");
    return scale;
}

}  // namespace

void Normalization::apply(const Matrix& x, Matrix& out) const {
    const auto d = x.cols();
    if ((gain.size() != 0 && gain.size() != d) || (offset.size() != 0 && offset.size() != d))
        throw std::invalid_argument("normalisation: gain and offset need length d = " + std::to_string(d));
    if (offset.size() != 0 && kind != NormKind::layernorm)
        throw std::invalid_argument("normalisation: only layernorm has an affine offset");
    out.resize(x.rows(), d);
    for (Eigen::Index j = 0; j < x.rows(); ++j) {
        switch (kind) {
            case NormKind::plain:
                out.row(j) = x.row(j) / checked_scale(x.row(j).norm(), j, "the norm");
                break;
            case NormKind::layernorm: {
                const double mean = x.row(j).mean();
                out.row(j) = x.row(j).array() - mean;
                const double variance = out.row(j).squaredNorm() / double(d);
                out.row(j) /= checked_scale(std::sqrt(variance + epsilon), j, "the standard deviation");
                break;
            }
            case NormKind::rmsnorm: {
                const double mean_square = x.row(j).squaredNorm() / double(d);
                out.row(j) = x.row(j) / checked_scale(std::sqrt(mean_square + epsilon), j, "the root mean square");
                break;
            }
        }
        if (gain.size() != 0) out.row(j).array() *= gain.transpose().array();
        if (offset.size() != 0) out.row(j) += offset.transpose();
    }
}

}  // namespace normdyn::layers
