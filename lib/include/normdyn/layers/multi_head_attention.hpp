// Multi-head softmax attention of a transformer layer, generalising spec §1 to H heads of width
// d_head = d / H with an output projection:
//   head_h(Y)_j = Σ_k softmax_k(β <Q_h y_j, K_h y_k>) V_h y_k          (Q_h, K_h, V_h: d_head × d)
//   Attn(Y)     = [head_1(Y) … head_H(Y)] W_Oᵀ                         (W_O: d × H d_head)
// The softmax subtracts its row maximum (β up to 1e3 does not overflow). With the causal mask token j
// attends only to k ≤ j. With identity weights (every matrix empty) head h reads coordinates
// h·d_head … (h+1)·d_head − 1 and W_O = I; for H = 1 this is the spec's A(Θ) with Q = K = V = I.
// Double precision only (see normalization.hpp).
#pragma once

#include "normdyn/layers/normalization.hpp"

#include <cstddef>
#include <vector>

namespace normdyn::layers {

/// One head's projections, each d_head × d; all three empty: the head's block of the identity.
struct HeadWeights {
    Matrix query, key, value;
};

/// The weights of one attention layer. identity() when every matrix is empty.
struct AttentionWeights {
    std::vector<HeadWeights> heads;  ///< H ≥ 1 heads
    Matrix output;                   ///< W_O (d × H d_head); empty: the identity (needs H d_head = d)

    bool is_identity() const;
    /// H heads of the identity (needs d divisible by H).
    static AttentionWeights identity(std::size_t d, std::size_t heads);
};

/// The attention map with its inverse temperature and mask; keeps its workspace between calls.
class MultiHeadAttention {
public:
    explicit MultiHeadAttention(double beta = 1, bool causal = false) : beta_(beta), causal_(causal) {}

    double beta() const { return beta_; }
    bool causal() const { return causal_; }

    /// out (n × d) = Attn(y) with the given weights. Throws std::invalid_argument on mismatched shapes.
    void apply(const Matrix& y, const AttentionWeights& weights, Matrix& out) const;

private:
    void softmax_rows(Matrix& logits) const;

    double beta_;
    bool causal_;
    mutable Matrix queries_, keys_, values_, logits_, heads_out_;
};

}  // namespace normdyn::layers
