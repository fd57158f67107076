// Token normalisations of a transformer layer, applied row by row to X (n × d). Double precision only:
// the discrete layers are a model of real networks, not a high-precision oracle (that is model/).
//   plain      x / |x|                                  (the spec's LN, §2: unit sphere)
//   layernorm  γ ⊙ (x − mean(x)) / sqrt(var(x) + ε) + b  (var over the d coordinates, 1/d; with ε = 0 the
//                                                         output has zero mean and norm sqrt(d))
//   rmsnorm    γ ⊙ x / sqrt(mean(x²) + ε)               (with ε = 0: root mean square 1, norm sqrt(d))
#pragma once

#include "normdyn/model/attention.hpp"

#include <string>
#include <string_view>

namespace normdyn::layers {

using Matrix = model::RowMatrix<double>;
using Vector = model::ColumnVector<double>;

enum class NormKind { plain, layernorm, rmsnorm };

/// "plain", "layernorm", "rmsnorm".
std::string to_string(NormKind kind);
/// Throws std::invalid_argument naming the allowed values.
NormKind parse_norm(std::string_view name);

struct Normalization {
    NormKind kind = NormKind::plain;
    double epsilon = 1e-5;  ///< layernorm, rmsnorm: added under the square root (PyTorch's default)
    Vector gain;            ///< the affine γ (length d); empty: all ones
    Vector offset;          ///< layernorm's affine shift (PyTorch's "bias"; length d); empty: zero

    /// out = N(x), row by row (out may alias x). Throws std::domain_error on a token it cannot normalise
    /// (plain: a zero or non-finite row; layernorm/rmsnorm with ε = 0: a zero variance / mean square).
    void apply(const Matrix& x, Matrix& out) const;
};

}  // namespace normdyn::layers
