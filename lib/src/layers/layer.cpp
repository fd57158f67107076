#include "normdyn/layers/layer.hpp"

#include <cmath>
#include <stdexcept>

namespace normdyn::layers {

using model::SchemeKind;

std::size_t LayerMap::switch_layer() const { return std::size_t(std::llround(tau / step)); }

SchemeKind LayerMap::scheme_at(std::size_t layer) const {
    if (scheme != SchemeKind::mix_ln) return scheme;
    return layer < switch_layer() ? SchemeKind::post_ln : SchemeKind::pre_ln;
}

double LayerMap::residual_scale(std::size_t layer) const {
    return scheme == SchemeKind::ln_scaling ? 1 / std::sqrt(1 + time(layer)) : 1.0;
}

DiscreteLayer::DiscreteLayer(LayerMap map, MultiHeadAttention attention)
    : map_(std::move(map)), attention_(attention) {
    if (!(map_.step > 0) || !std::isfinite(map_.step)) throw std::invalid_argument("--h: must be a finite number > 0");
    if (!(map_.tau >= 0)) throw std::invalid_argument("--tau: must be >= 0");
    if (!(map_.alpha > 0)) throw std::invalid_argument("--alpha: must be > 0");
}

// The last column of the spec's table (§2), with step h; see layer.hpp.
void DiscreteLayer::apply(Matrix& x, const AttentionWeights& weights, std::size_t layer) const {
    const double h = map_.step;
    const Normalization& norm = map_.norm;
    switch (map_.scheme_at(layer)) {
        case SchemeKind::post_ln:
        case SchemeKind::ln_scaling:  // x ← N(x + h s_ℓ Attn(X)), s_ℓ = 1 or 1/sqrt(1 + ℓh)
            attention_.apply(x, weights, attention_out_);
            x += (h * map_.residual_scale(layer)) * attention_out_;
            norm.apply(x, x);
            break;
        case SchemeKind::pre_ln:  // x ← x + h Attn(N(X))
            norm.apply(x, normalized_);
            attention_.apply(normalized_, weights, attention_out_);
            x += h * attention_out_;
            break;
        case SchemeKind::peri_ln:  // x ← x + h N(Attn(N(X)))
            norm.apply(x, normalized_);
            attention_.apply(normalized_, weights, attention_out_);
            norm.apply(attention_out_, attention_out_);
            x += h * attention_out_;
            break;
        case SchemeKind::ngpt:  // x ← N(x + hα (N(Attn(X)) − x))
            attention_.apply(x, weights, attention_out_);
            norm.apply(attention_out_, attention_out_);
            x += (h * map_.alpha) * (attention_out_ - x);
            norm.apply(x, x);
            break;
        case SchemeKind::mix_ln: break;  // resolved by scheme_at
    }
}

void LayerStack::advance(Matrix& x) {
    layer_.apply(x, weights_.next(), applied_);
    ++applied_;
}

}  // namespace normdyn::layers
