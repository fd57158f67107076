// Softmax self-attention on directions (spec §1):
//   A_j(Θ) = Σ_k exp(β <Qθ_j, Kθ_k>) V θ_k / Z_j,  Z_j = Σ_l exp(β <Qθ_j, Kθ_l>).
// Whole-matrix kernel: logits = β (ΘQᵀ)(ΘKᵀ)ᵀ, row softmax with the row maximum subtracted, A = W (ΘVᵀ).
#pragma once

#include "normdyn/scalar.hpp"

#include <Eigen/Dense>
#include <boost/multiprecision/eigen.hpp>

#include <optional>

namespace normdyn::model {

template <class T> using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T> using ColumnVector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <class T> class Attention {
public:
    using Matrix = RowMatrix<T>;
    using Vector = ColumnVector<T>;

    /// Q = K = V = I_d.
    explicit Attention(T beta = 1);
    /// General weights (d × d); an empty matrix stands for the identity.
    Attention(T beta, Matrix query, Matrix key, Matrix value);

    const T& beta() const { return beta_; }
    bool is_identity() const { return !query_ && !key_ && !value_; }
    const std::optional<Matrix>& query() const { return query_; }
    const std::optional<Matrix>& key() const { return key_; }
    const std::optional<Matrix>& value() const { return value_; }

    /// A (n × d) from the directions Θ (n × d, unit rows). Keeps its workspace between calls: after the
    /// first call for a given n, d it allocates nothing (for builtin T).
    void apply(const Matrix& theta, Matrix& out) const;

    /// log Z_j for the last apply(): the shifted row maximum plus the log of the shifted row sum.
    /// Exact for every β (no overflow); used by the energy identity of spec §3.
    const Vector& log_partition() const { return log_partition_; }

private:
    T beta_;
    std::optional<Matrix> query_, key_, value_;
    mutable Matrix queries_, keys_, values_, logits_;
    mutable Vector log_partition_;
};

}  // namespace normdyn::model
