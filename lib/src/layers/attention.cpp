#include "normdyn/layers/multi_head_attention.hpp"

#include <cmath>
#include <stdexcept>

namespace normdyn::layers {

bool AttentionWeights::is_identity() const {
    if (output.size() != 0) return false;
    for (const auto& head : heads)
        if (head.query.size() != 0 || head.key.size() != 0 || head.value.size() != 0) return false;
    return true;
}

AttentionWeights AttentionWeights::identity(std::size_t d, std::size_t heads) {
    if (heads == 0 || d % heads != 0)
        throw std::invalid_argument("--heads: must divide d = " + std::to_string(d) + ", got " + std::to_string(heads));
    AttentionWeights weights;
    weights.heads.resize(heads);
    return weights;
}

// Row softmax with the row maximum subtracted (spec §1); the causal mask leaves k > j at probability 0.
void MultiHeadAttention::softmax_rows(Matrix& logits) const {
    const Eigen::Index n = logits.rows();
    for (Eigen::Index j = 0; j < n; ++j) {
        const Eigen::Index visible = causal_ ? j + 1 : n;
        auto row = logits.row(j).head(visible);
        row.array() -= row.maxCoeff();
        row = row.array().exp().matrix();
        row /= row.sum();
        logits.row(j).tail(n - visible).setZero();
    }
}

void MultiHeadAttention::apply(const Matrix& y, const AttentionWeights& weights, Matrix& out) const {
    const Eigen::Index n = y.rows(), d = y.cols();
    const auto heads = Eigen::Index(weights.heads.size());
    if (heads == 0) throw std::invalid_argument("attention: needs at least one head");
    // Width of a head: from its weights, or d / H for an identity head.
    const auto width = [&](const HeadWeights& head) -> Eigen::Index {
        if (head.query.size() == 0) {
            if (head.key.size() != 0 || head.value.size() != 0 || d % heads != 0)
                throw std::invalid_argument("attention: an identity head needs empty Q, K, V and H dividing d");
            return d / heads;
        }
        if (head.query.cols() != d || head.key.rows() != head.query.rows() || head.key.cols() != d ||
            head.value.rows() != head.query.rows() || head.value.cols() != d)
            throw std::invalid_argument("attention: Q, K, V of a head must all be d_head x d");
        return head.query.rows();
    };
    const Eigen::Index head_width = width(weights.heads.front());
    heads_out_.resize(n, heads * head_width);
    for (Eigen::Index h = 0; h < heads; ++h) {
        const HeadWeights& head = weights.heads[std::size_t(h)];
        if (width(head) != head_width) throw std::invalid_argument("attention: heads of different widths");
        if (head.query.size() == 0) {
            queries_ = y.middleCols(h * head_width, head_width);
            keys_ = queries_;
            values_ = queries_;
        } else {
            queries_.noalias() = y * head.query.transpose();
            keys_.noalias() = y * head.key.transpose();
            values_.noalias() = y * head.value.transpose();
        }
        logits_.noalias() = queries_ * keys_.transpose();
        logits_ *= beta_;
        softmax_rows(logits_);
        heads_out_.middleCols(h * head_width, head_width).noalias() = logits_ * values_;
    }
    if (weights.output.size() == 0) {
        if (heads_out_.cols() != d) throw std::invalid_argument("attention: an identity W_O needs H d_head = d");
        out = heads_out_;
    } else {
        if (weights.output.rows() != d || weights.output.cols() != heads_out_.cols())
            throw std::invalid_argument("attention: W_O must be d x (H d_head)");
        out.noalias() = heads_out_ * weights.output.transpose();
    }
}

}  // namespace normdyn::layers
