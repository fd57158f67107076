// Weights of a stack of attention layers, layer by layer (`normdyn layers --weights`):
//   identity     Q_h = K_h = V_h = the head's block of I, W_O = I, every layer (the spec's model)
//   tied-random  one Kaiming draw, shared by every layer
//   kaiming      a fresh Kaiming-normal draw per layer: N(0, 2 / fan_in), PyTorch's kaiming_normal_ default
//                (fan_in mode, gain sqrt 2); fan_in = d for Q, K, V and H·d_head for W_O
//   gpt2         a fresh N(0, 0.02²) draw per layer, as GPT-2 initialises its linear layers (its extra
//                1/sqrt(2·layers) on the residual projections is not applied)
// Draws come from model::NormalSampler (mt19937_64 + Marsaglia's polar method), never from std::
// distributions, in a fixed order (per head Q, K, V row-major, then W_O): a seed gives the same weights on
// every machine.
#pragma once

#include "normdyn/layers/multi_head_attention.hpp"
#include "normdyn/model/init.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace normdyn::layers {

enum class WeightKind { identity, tied_random, kaiming, gpt2 };

/// "identity", "tied-random", "kaiming", "gpt2".
std::string to_string(WeightKind kind);
/// Throws std::invalid_argument naming the allowed values.
WeightKind parse_weights(std::string_view name);
/// Whether every layer has the same weights (identity, tied-random).
bool is_tied(WeightKind kind);

/// H heads of width d / H with i.i.d. N(0, std_projection²) Q, K, V and N(0, std_output²) W_O.
AttentionWeights random_weights(std::size_t d, std::size_t heads, double std_projection, double std_output,
                                model::NormalSampler& sampler);

/// The weights of layer 0, 1, 2, … in order. The sampler is seeded with a mix of the seed (splitmix64), so
/// that the weights do not reuse the random stream of the initial tokens drawn with the same seed.
class WeightSchedule {
public:
    /// Throws std::invalid_argument when heads is 0 or does not divide d.
    WeightSchedule(WeightKind kind, std::size_t d, std::size_t heads, std::uint64_t seed);

    WeightKind kind() const { return kind_; }
    /// The weights of the next layer (for tied kinds, the same object every time).
    const AttentionWeights& next();

private:
    AttentionWeights draw();

    WeightKind kind_;
    std::size_t d_, heads_;
    model::NormalSampler sampler_;
    AttentionWeights current_;
    bool drawn_ = false;
};

}  // namespace normdyn::layers
