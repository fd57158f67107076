#include "normdyn/certify/series.hpp"

#include <algorithm>

namespace normdyn::certify {

Series Series::variable(const interval& x0, std::size_t order) {
    Series s;
    s.c_.assign(order + 1, interval(0));
    s.c_[0] = x0;
    if (order >= 1) s.c_[1] = 1;
    return s;
}

Series operator+(const Series& a, const Series& b) {
    Series c;
    c.c_.resize(std::max(a.c_.size(), b.c_.size()));
    for (std::size_t k = 0; k < c.c_.size(); ++k) c.c_[k] = a[k] + b[k];
    return c;
}

Series operator-(const Series& a) {
    Series c = a;
    for (auto& x : c.c_) x = -x;
    return c;
}

Series operator-(const Series& a, const Series& b) { return a + (-b); }

// c_k = Σ_{i=0..k} a_i b_{k−i}; a constant factor scales.
Series operator*(const Series& a, const Series& b) {
    const std::size_t na = a.c_.size(), nb = b.c_.size();
    Series c;
    c.c_.assign(std::max(na, nb), interval(0));
    interval product;
    for (std::size_t k = 0; k < c.c_.size(); ++k)
        for (std::size_t i = 0; i <= k; ++i)
            if (i < na && k - i < nb) {
                boost::multiprecision::multiply(product, a.c_[i], b.c_[k - i]);
                c.c_[k] += product;
            }
    return c;
}

// c_k = (a_k − Σ_{i=1..k} b_i c_{k−i}) / b_0.
Series operator/(const Series& a, const Series& b) {
    Series c;
    const std::size_t n = std::max(a.c_.size(), b.c_.size());
    c.c_.assign(n, interval(0));
    interval sum, product;
    for (std::size_t k = 0; k < n; ++k) {
        sum = a[k];
        for (std::size_t i = 1; i <= k && i < b.c_.size(); ++i) {
            boost::multiprecision::multiply(product, b.c_[i], c.c_[k - i]);
            sum -= product;
        }
        c.c_[k] = sum / b.c_[0];
    }
    return c;
}

// c_0 = e^{a_0}, c_k = (1/k) Σ_{i=1..k} i a_i c_{k−i}.
Series exp(const Series& a) {
    using boost::multiprecision::exp;
    const std::size_t n = a.c_.size();
    Series c;
    c.c_.assign(n, interval(0));
    c.c_[0] = exp(a.c_[0]);
    interval product;
    for (std::size_t k = 1; k < n; ++k) {
        for (std::size_t i = 1; i <= k; ++i) {
            boost::multiprecision::multiply(product, a.c_[i], c.c_[k - i]);
            product *= static_cast<unsigned long>(i);
            c.c_[k] += product;
        }
        c.c_[k] /= static_cast<unsigned long>(k);
    }
    return c;
}

// c_0 = √a_0, c_k = (a_k − Σ_{i=1..k−1} c_i c_{k−i}) / (2 c_0).
Series sqrt(const Series& a) {
    using boost::multiprecision::sqrt;
    const std::size_t n = a.c_.size();
    Series c;
    c.c_.assign(n, interval(0));
    c.c_[0] = sqrt(a.c_[0]);
    interval sum, product;
    const interval twice = 2 * c.c_[0];
    for (std::size_t k = 1; k < n; ++k) {
        sum = a.c_[k];
        for (std::size_t i = 1; i < k; ++i) {
            boost::multiprecision::multiply(product, c.c_[i], c.c_[k - i]);
            sum -= product;
        }
        c.c_[k] = sum / twice;
    }
    return c;
}

bool operator>(const Series& a, const Series& b) { return strictly_positive(a.c_[0] - b.c_[0]); }

}  // namespace normdyn::certify
