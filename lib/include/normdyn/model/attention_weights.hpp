// Q, K and V of a problem (spec §1 with general weights; the theorems assume Q = K = V = I):
//   identity   the empty matrix (the identity)
//   random     i.i.d. N(0, std²) entries, std given (the problem's weight_std)
//   gpt2       i.i.d. N(0, 0.02²), as GPT-2 initialises its linear layers
//   kaiming    i.i.d. N(0, 2/d), PyTorch's kaiming_normal_ default (fan_in = d, gain √2)
//   file:PATH  a d × d matrix read from a CSV (one row per line)
// Draws come from model::NormalSampler seeded with splitmix64(seed), so that the weights do not reuse the
// stream of the random start drawn with the same seed; Q, then K, then V, each row-major, only the random
// kinds drawing. The same seed gives the same weights on every machine, in every precision (drawn in double).
#pragma once

#include "normdyn/model/attention.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace normdyn::model {

enum class WeightKind { identity, random, gpt2, kaiming, file };

struct WeightSpec {
    WeightKind kind = WeightKind::identity;
    std::string path;  ///< file: the CSV
};

/// "identity", "random", "gpt2", "kaiming", "file:PATH"; throws std::invalid_argument naming the allowed forms.
WeightSpec parse_weight_spec(std::string_view text);
std::string to_string(const WeightSpec& spec);
/// Whether the kind is drawn from the sampler (random, gpt2, kaiming).
bool is_drawn(const WeightSpec& spec);

/// Q, K, V (d × d, in double; empty optional: the identity) for the three specs, drawn as described above
/// with std `random_std` for the kind random. Throws std::invalid_argument (naming --q, --k or --v) for an
/// unreadable file.
std::array<std::optional<RowMatrix<double>>, 3> attention_weights(const std::array<WeightSpec, 3>& specs,
                                                                  std::size_t d, double random_std,
                                                                  std::uint64_t seed);

}  // namespace normdyn::model
