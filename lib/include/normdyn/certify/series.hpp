// Truncated Taylor series in one variable with interval coefficients: a(x0 + s) = Σ_k a_k s^k, k ≤ order.
// With x0 a thin interval the coefficients enclose the derivatives a^{(k)}(x0)/k!; with x0 a box they
// enclose them at every point of the box, which bounds a Lagrange remainder. The model's generic code
// (model::equiangular_field, the scheme laws, Theorem 4.1's closed forms) evaluates on it unchanged, so an
// order-1 series is forward-mode differentiation (the Jacobian over a box) and a high-order one is a
// Taylor model in β. Recurrences as in the Taylor tape (solve/taylor_tape.hpp), O(order²) per operation.
#pragma once

#include "normdyn/certify/interval.hpp"

#include <cstddef>
#include <type_traits>
#include <vector>

namespace normdyn::certify {

class Series {
public:
    Series() : c_(1, interval(0)) {}
    Series(const interval& constant) : c_(1, constant) {}
    template <class A, std::enable_if_t<std::is_arithmetic_v<A>, int> = 0>
    Series(A constant) : c_(1, interval(constant)) {}
    /// x0 + s truncated at `order`: the independent variable at x0.
    static Series variable(const interval& x0, std::size_t order);

    std::size_t order() const { return c_.size() - 1; }
    /// Coefficient k (0 beyond the stored ones).
    interval operator[](std::size_t k) const { return k < c_.size() ? c_[k] : interval(0); }
    const std::vector<interval>& coefficients() const { return c_; }

    friend Series operator+(const Series& a, const Series& b);
    friend Series operator-(const Series& a, const Series& b);
    friend Series operator-(const Series& a);
    friend Series operator*(const Series& a, const Series& b);
    friend Series operator/(const Series& a, const Series& b);
    friend Series exp(const Series& a);
    friend Series sqrt(const Series& a);
    /// Strict order of the constant terms (every point of a above every point of b); used by the closed
    /// forms' tests of parameters (Mix-LN's τ > 0), never on the series variable.
    friend bool operator>(const Series& a, const Series& b);

private:
    std::vector<interval> c_;
};

}  // namespace normdyn::certify
