// The discrete transformer layer each scheme models (spec §2, last column), with a residual step h: layer
// ℓ = 0, 1, 2, … maps the tokens at depth-time t_ℓ = ℓh to t_ℓ + h. N is the chosen normalisation
// (plain x/|x| in the spec), Attn the multi-head attention of multi_head_attention.hpp:
//   Post-LN     x ← N(x + h Attn(X))
//   Pre-LN      x ← x + h Attn(N(X))
//   Mix-LN      Post-LN for the layers ℓ < round(τ/h), Pre-LN from there on
//   Peri-LN     x ← x + h N(Attn(N(X)))
//   nGPT        x ← N(x + h α (N(Attn(X)) − x))
//   LN-Scaling  x ← N(x + h Attn(X) / sqrt(1 + ℓh))
// With plain N, identity weights and one head, (layer(x) − x)/h → the right-hand side of
// model::ParticleSystem as h → 0 (the layer is a first-order, Euler-like step of the ODE), provided the
// tokens of the schemes that live on the sphere (Post-LN, nGPT, LN-Scaling, and Mix-LN before τ) have unit
// norm: their layers normalise onto the unit sphere, whereas the ODE keeps |x_j| = r_j(0).
// Where the discrete form needs care:
// - nGPT: a network's per-layer "eigen learning rate" is the product hα, not α; the limit needs α fixed
//   and hα → 0, and a layer with hα = 1 forgets x (x ← N(N(Attn(X)))).
// - LN-Scaling: the 1/sqrt(layer) of the curse-of-depth paper is 1/sqrt(1 + t_ℓ) with t_ℓ = ℓh, which is
//   1/sqrt(ℓ + 1) (one-based layer number) at h = 1 only; a scale 1/sqrt(ℓ + 1) kept at every h would
//   have speed factor sqrt(1 + t/h) and no limit. Placement: the spec's LN-Scaling stays on the sphere
//   (ρ = 0), so the scaled residual is followed by N, as in Post-LN.
// - Mix-LN: the switch layer round(τ/h) is exact when τ/h is an integer; otherwise the switch moves by at
//   most h/2, an O(h) error that keeps order 1 but not a smooth error constant.
#pragma once

#include "normdyn/layers/multi_head_attention.hpp"
#include "normdyn/layers/normalization.hpp"
#include "normdyn/layers/weights.hpp"
#include "normdyn/model/scheme.hpp"

#include <cstddef>

namespace normdyn::layers {

struct LayerMap {
    model::SchemeKind scheme = model::SchemeKind::pre_ln;
    double step = 1;   ///< h > 0: depth-time per layer
    double tau = 1;    ///< Mix-LN switch time τ ≥ 0
    double alpha = 1;  ///< nGPT α > 0 (the layer interpolates with weight hα)
    Normalization norm;

    /// t_ℓ = ℓh, the depth-time at the input of layer ℓ.
    double time(std::size_t layer) const { return double(layer) * step; }
    /// Mix-LN: the first Pre-LN layer, round(τ/h).
    std::size_t switch_layer() const;
    /// The scheme layer ℓ applies: Mix-LN resolves to Post-LN or Pre-LN, the others to themselves.
    model::SchemeKind scheme_at(std::size_t layer) const;
    /// The factor of the residual branch: 1/sqrt(1 + ℓh) for LN-Scaling, 1 otherwise.
    double residual_scale(std::size_t layer) const;
};

/// One layer map with its attention; keeps its workspace between calls.
class DiscreteLayer {
public:
    /// Throws std::invalid_argument on h ≤ 0, τ < 0 or α ≤ 0.
    DiscreteLayer(LayerMap map, MultiHeadAttention attention);

    const LayerMap& map() const { return map_; }
    const MultiHeadAttention& attention() const { return attention_; }

    /// x (n × d, ambient tokens) ← layer `layer` of the map with the given weights. Throws std::domain_error
    /// when a normalisation meets a token it cannot normalise (e.g. Attn = 0 under Peri-LN or nGPT).
    void apply(Matrix& x, const AttentionWeights& weights, std::size_t layer) const;

private:
    LayerMap map_;
    MultiHeadAttention attention_;
    mutable Matrix normalized_, attention_out_;
};

/// L layers in sequence: the layer map of every layer with weights from a schedule.
class LayerStack {
public:
    LayerStack(DiscreteLayer layer, WeightSchedule weights) : layer_(std::move(layer)), weights_(std::move(weights)) {}

    const DiscreteLayer& layer() const { return layer_; }
    std::size_t layers_applied() const { return applied_; }
    /// Applies the next layer (index layers_applied()) to x.
    void advance(Matrix& x);

private:
    DiscreteLayer layer_;
    WeightSchedule weights_;
    std::size_t applied_ = 0;
};

}  // namespace normdyn::layers
