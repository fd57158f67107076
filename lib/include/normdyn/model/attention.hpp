// Softmax self-attention on directions (spec §1):
//   A_j(Θ) = Σ_k exp(β <Qθ_j, Kθ_k>) V θ_k / Z_j,  Z_j = Σ_l exp(β <Qθ_j, Kθ_l>).
// Whole-matrix kernel: logits = β (ΘQᵀ)(ΘKᵀ)ᵀ, row softmax with the row maximum subtracted, A = W (ΘVᵀ).
// Every scalar type runs the same generic lines; double has a tuned path (lib/src/model/attention.cpp): BLAS
// products on tiles that depend on n only (so the result is bit-identical for every thread count), the
// Gram matrix by its upper triangle when Q = K, the softmax fused per row (with Q = K = I on unit rows the
// weights exp(β<θ_j, θ_l> − β) are symmetric: one exponential per pair), the threads of the library's task
// pool (lib/src/kernels/task_pool.hpp) for large n and a plain loop for small n.
#pragma once

#include "normdyn/model/vector_field.hpp"
#include "normdyn/runtime.hpp"
#include "normdyn/scalar.hpp"

#include <Eigen/Dense>
#include <boost/multiprecision/eigen.hpp>

#include <optional>

namespace normdyn::model {

template <class T> using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T> using ColumnVector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// G = M Mᵀ (n × n) for the rows of M (n × d); exactly symmetric. Tuned (tiled BLAS, threads) for double.
template <class T> void gram_matrix(const RowMatrix<T>& rows, RowMatrix<T>& out);
/// The same on a row-major view.
template <class T> void gram_matrix(Eigen::Map<const RowMatrix<T>> rows, RowMatrix<T>& out);

/// What the caller of Attention::apply knows of the rows |θ_j|.
enum class RowNorms {
    check,  ///< nothing: the kernel measures them where it needs to
    unit    ///< θ_j = x_j / |x_j| just computed: |θ_j|² = 1 within a few ulps
};

template <class T> class Attention {
public:
    using Matrix = RowMatrix<T>;
    using Vector = ColumnVector<T>;
    /// Row-major n × d views of a caller's buffers.
    using ConstRows = Eigen::Map<const Matrix>;
    using Rows = Eigen::Map<Matrix>;

    /// Q = K = V = I_d.
    explicit Attention(T beta = 1);
    /// General weights (d × d); an empty matrix stands for the identity. With H heads (H divides d), head h
    /// reads rows h d/H … (h+1) d/H − 1 of Q, K and V (its d/H × d projections) and writes those coordinates
    /// of A: the heads' outputs concatenated, as the layers' multi-head attention with W_O = I
    /// (layers/multi_head_attention.hpp). Causal: token j attends to k ≤ j only.
    Attention(T beta, Matrix query, Matrix key, Matrix value, std::size_t heads = 1, bool causal = false);

    const T& beta() const { return beta_; }
    /// Q = K = V = I, one head, no mask: the hypotheses of the spec's theorems.
    bool is_identity() const { return !query_ && !key_ && !value_ && heads_ == 1 && !causal_; }
    std::size_t heads() const { return heads_; }
    bool causal() const { return causal_; }
    const std::optional<Matrix>& query() const { return query_; }
    const std::optional<Matrix>& key() const { return key_; }
    const std::optional<Matrix>& value() const { return value_; }

    /// A (n × d) from the directions Θ (n × d, unit rows). Keeps its workspace between calls: after the
    /// first call for a given n, d it allocates nothing (for builtin T). `norms` = unit spares the double
    /// kernel a pass over Θ that checks whether one softmax shift may serve every row.
    void apply(const Matrix& theta, Matrix& out, RowNorms norms = RowNorms::check) const;
    /// The same on views: `out` has Θ's shape and does not overlap it. `gram`, when given, is ΘΘᵀ already
    /// computed by the caller (gram_matrix): with Q = K = I those are the logits before β, and the kernel takes
    /// them instead of forming its own (the observables' single pass, measure/observables.hpp); otherwise unused.
    void apply(ConstRows theta, Rows out, RowNorms norms = RowNorms::check, const Matrix* gram = nullptr) const;

    /// log Z_j for the last apply(): the shifted row maximum plus the log of the shifted row sum (with H heads
    /// the sum over heads of each head's log Z_j).
    /// Exact for every β (no overflow); used by the energy identity of spec §3. Computed on first request
    /// after each apply(). Not thread-safe against a concurrent apply() on the same object.
    const Vector& log_partition() const;

private:
    void apply_tuned(ConstRows theta, Rows out, RowNorms norms, const Matrix* gram) const;  // double only
    void apply_heads(ConstRows theta, Rows out) const;  // H > 1 heads or the causal mask
    Rows logits(Eigen::Index n) const { return Rows(logits_.data(), n, n); }

    T beta_;
    std::optional<Matrix> query_, key_, value_;
    std::size_t heads_ = 1;
    bool causal_ = false;
    bool symmetric_ = true;  ///< Q = K (both identity or equal matrices): the logits are symmetric
    mutable Matrix queries_, keys_, values_;
    /// The n × n logits, then weights, row-major: a State block (the library's pool for builtin T), so that a
    /// small problem's workspace shares the pages of the solver's states instead of faulting in its own.
    mutable State<T> logits_;
    mutable Vector row_shift_, row_sum_;  ///< per row of the last apply(): the softmax shift, Σ_l w_jl
    mutable Vector log_partition_;
    mutable bool log_partition_ready_ = false;
};

}  // namespace normdyn::model
