#include "normdyn/certify/interval.hpp"

#include <mpfi.h>
#include <mpfr.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace normdyn::certify {

namespace {

/// An MPFR number of the given precision, cleared on scope exit.
struct Real {
    mpfr_t value;
    explicit Real(mpfr_prec_t bits) { mpfr_init2(value, bits); }
    ~Real() { mpfr_clear(value); }
    Real(const Real&) = delete;
    Real& operator=(const Real&) = delete;
};

mpfr_prec_t bits_of(const interval& x) { return mpfi_get_prec(x.backend().data()); }

// "d.ddd…e±X" of an MPFR value rounded in `mode` to `digits` significant digits.
std::string decimal(mpfr_srcptr value, unsigned digits, mpfr_rnd_t mode) {
    if (mpfr_zero_p(value)) return "0";
    mpfr_exp_t exponent = 0;
    char* text = mpfr_get_str(nullptr, &exponent, 10, digits < 2 ? 2 : digits, value, mode);
    std::string s(text);
    mpfr_free_str(text);
    std::string sign;
    if (!s.empty() && s[0] == '-') sign = "-", s.erase(0, 1);
    std::string out = sign + s.substr(0, 1);
    if (s.size() > 1) out += "." + s.substr(1);
    return out + "e" + std::to_string(static_cast<long>(exponent) - 1);
}

}  // namespace

void set_interval_digits(unsigned digits) {
    if (digits == 0) throw std::invalid_argument("interval digits must be at least 1");
    interval::default_precision(digits);
}

unsigned interval_digits() { return interval::default_precision(); }

unsigned interval_bits() { return bits_of(interval(0)); }

interval interval_from_text(const std::string& text) {
    interval x;
    if (text.empty() || mpfi_set_str(x.backend().data(), text.c_str(), 10) != 0 || !is_bounded(x))
        throw std::invalid_argument("not a real number: '" + text + "'");
    return x;
}

interval hull(const interval& a, const interval& b) {
    interval c;
    mpfi_union(c.backend().data(), a.backend().data(), b.backend().data());
    return c;
}

interval midpoint(const interval& x) {
    Real m(bits_of(x));
    mpfi_mid(m.value, x.backend().data());
    interval c;
    mpfi_set_fr(c.backend().data(), m.value);
    return c;
}

interval times_unit(const interval& x) { return hull(interval(0), x); }

interval symmetric(const interval& x) {
    Real e(bits_of(x));
    mpfi_mag(e.value, x.backend().data());
    interval c;
    Real minus(bits_of(x));
    mpfr_neg(minus.value, e.value, MPFR_RNDD);
    mpfi_interv_fr(c.backend().data(), minus.value, e.value);
    return c;
}

bool strictly_positive(const interval& x) { return mpfi_is_strictly_pos(x.backend().data()) > 0; }
bool strictly_negative(const interval& x) { return mpfi_is_strictly_neg(x.backend().data()) > 0; }
bool contains_zero(const interval& x) { return mpfi_has_zero(x.backend().data()) > 0; }
bool is_bounded(const interval& x) {
    return !mpfi_nan_p(x.backend().data()) && mpfi_bounded_p(x.backend().data()) && !mpfi_is_empty(x.backend().data());
}
bool identical(const interval& a, const interval& b) {
    return mpfr_equal_p(&a.backend().data()->left, &b.backend().data()->left) &&
           mpfr_equal_p(&a.backend().data()->right, &b.backend().data()->right);
}

bool subset(const interval& inner, const interval& outer) {
    return is_bounded(inner) && is_bounded(outer) && mpfi_is_inside(inner.backend().data(), outer.backend().data()) > 0;
}

bool contains_text(const interval& x, const std::string& text) {
    mpfi_t exact;
    mpfi_init2(exact, bits_of(x) + 64);
    const bool parsed = mpfi_set_str(exact, text.c_str(), 10) == 0;
    const bool inside = parsed && mpfi_is_inside(exact, x.backend().data()) > 0;
    mpfi_clear(exact);
    if (!parsed) throw std::invalid_argument("not a real number: '" + text + "'");
    return inside;
}

double width(const interval& x) {
    if (!is_bounded(x)) return std::numeric_limits<double>::infinity();
    Real w(bits_of(x));
    mpfi_diam_abs(w.value, x.backend().data());
    return mpfr_get_d(w.value, MPFR_RNDU);
}

double magnitude(const interval& x) {
    if (!is_bounded(x)) return std::numeric_limits<double>::infinity();
    Real m(bits_of(x));
    mpfi_mag(m.value, x.backend().data());
    return mpfr_get_d(m.value, MPFR_RNDU);
}

double lower_double(const interval& x) { return mpfr_get_d(&x.backend().data()->left, MPFR_RNDD); }
double upper_double(const interval& x) { return mpfr_get_d(&x.backend().data()->right, MPFR_RNDU); }

double mid_double(const interval& x) {
    Real m(bits_of(x));
    mpfi_mid(m.value, x.backend().data());
    return mpfr_get_d(m.value, MPFR_RNDN);
}

std::string lower_text(const interval& x, unsigned digits) {
    return decimal(&x.backend().data()->left, digits, MPFR_RNDD);
}
std::string upper_text(const interval& x, unsigned digits) {
    return decimal(&x.backend().data()->right, digits, MPFR_RNDU);
}

}  // namespace normdyn::certify
