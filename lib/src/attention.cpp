#include "normdyn/model/attention.hpp"

#include "normdyn/scalar.hpp"

#include <boost/multiprecision/eigen.hpp>

#include <stdexcept>

namespace normdyn::model {

template <class T> Attention<T>::Attention(T beta) : beta_(std::move(beta)) {}

template <class T>
Attention<T>::Attention(T beta, Matrix query, Matrix key, Matrix value) : beta_(std::move(beta)) {
    auto keep = [](Matrix& m, std::optional<Matrix>& slot, const char* name) {
        if (m.size() == 0) return;
        if (m.rows() != m.cols()) throw std::invalid_argument(std::string(name) + " must be square (d x d)");
        slot = std::move(m);
    };
    keep(query, query_, "Q");
    keep(key, key_, "K");
    keep(value, value_, "V");
}

// Spec §1: A = softmax_rows(β (ΘQᵀ)(ΘKᵀ)ᵀ) (ΘVᵀ), the softmax with its row maximum subtracted.
template <class T> void Attention<T>::apply(const Matrix& theta, Matrix& out) const {
    const Eigen::Index n = theta.rows();
    if (query_) queries_.noalias() = theta * query_->transpose();
    if (key_) keys_.noalias() = theta * key_->transpose();
    const Matrix& q = query_ ? queries_ : theta;
    const Matrix& k = key_ ? keys_ : theta;
    logits_.resize(n, n);
    logits_.noalias() = q * k.transpose();
    log_partition_.resize(n);
    using std::exp;
    using std::log;
    for (Eigen::Index j = 0; j < n; ++j) {
        auto row = logits_.row(j);
        row *= beta_;
        const T shift = row.maxCoeff();
        T sum = 0;
        for (Eigen::Index l = 0; l < n; ++l) {
            row(l) = exp(row(l) - shift);
            sum += row(l);
        }
        row /= sum;
        log_partition_(j) = shift + log(sum);
    }
    if (value_) {
        values_.noalias() = theta * value_->transpose();
        out.noalias() = logits_ * values_;
    } else {
        out.noalias() = logits_ * theta;
    }
}

#define NORMDYN_INSTANTIATE(T) template class Attention<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
