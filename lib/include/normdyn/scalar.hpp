// Scalar types normdyn supports, and the few helpers every generic file needs.
// Every generic class or function is explicitly instantiated once per type of NORMDYN_FOR_EACH_SCALAR
// in lib/src/, so that downstream code only links.
#pragma once

#include <boost/multiprecision/float128.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <boost/numeric/odeint/algebra/detail/extract_value_type.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>

namespace normdyn {

/// IEEE binary128 (113-bit significand, ~34 digits), GCC's __float128 through libquadmath.
using float128 = boost::multiprecision::float128;

/// 50 significant decimal digits, MPFR backend, expression templates off (required inside Eigen and odeint).
using mp50 = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<50>,
                                           boost::multiprecision::et_off>;
/// 100 significant decimal digits, MPFR backend, expression templates off.
using mp100 = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<100>,
                                            boost::multiprecision::et_off>;
/// MPFR with a precision chosen at run time (`--digits N`): every value takes the precision current when
/// it is made, so set_runtime_digits(N) must run before the first value of a run exists.
using mp_digits = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                                boost::multiprecision::et_off>;

/// Applies MACRO to every scalar type that lib/src/ instantiates.
#define NORMDYN_FOR_EACH_SCALAR(MACRO) \
    MACRO(double)                      \
    MACRO(long double)                 \
    MACRO(::normdyn::float128)         \
    MACRO(::normdyn::mp50)             \
    MACRO(::normdyn::mp100)            \
    MACRO(::normdyn::mp_digits)

template <class T> inline constexpr bool is_multiprecision_v = boost::multiprecision::is_number<T>::value;
/// Whether T's precision is fixed at run time (mp_digits) rather than by the type.
template <class T> inline constexpr bool has_runtime_precision_v = std::is_same_v<T, mp_digits>;

/// Decimal digits of mp_digits values made from now on (and of their arithmetic). N ≥ 1.
inline void set_runtime_digits(unsigned digits) { mp_digits::default_precision(digits); }
inline unsigned runtime_digits() { return mp_digits::default_precision(); }

/// The user-facing name of a scalar type ("double", "long-double", "float128", "mp50", "mp100"; "mpfr"
/// for the run-time precision of --digits).
template <class T> std::string scalar_name() {
    if constexpr (std::is_same_v<T, double>) return "double";
    else if constexpr (std::is_same_v<T, long double>) return "long-double";
    else if constexpr (std::is_same_v<T, float128>) return "float128";
    else if constexpr (std::is_same_v<T, mp50>) return "mp50";
    else if constexpr (std::is_same_v<T, mp100>) return "mp100";
    else if constexpr (std::is_same_v<T, mp_digits>) return "mpfr";
    else return "unknown";
}

/// Decimal digits that identify any value of x's precision uniquely (max_digits10; for mp_digits from the
/// value's own precision in bits).
template <class T> int decimal_digits_of(const T& x) {
    if constexpr (has_runtime_precision_v<T>) {
        const auto bits = static_cast<double>(mpfr_get_prec(x.backend().data()));
        return 1 + static_cast<int>(std::ceil(bits * 0.30102999566398120));
    } else {
        (void)x;
        return std::numeric_limits<T>::max_digits10;
    }
}

/// Every significant decimal digit of x (round-trips exactly).
template <class T> std::string to_decimal(const T& x) {
    std::ostringstream os;
    os.precision(decimal_digits_of(x));
    os << x;
    return os.str();
}

template <class T> double to_double(const T& x) { return static_cast<double>(x); }

template <class T> bool is_finite(const T& x) {
    using std::isfinite;
    using boost::multiprecision::isfinite;
    return isfinite(x);
}

/// Converts a double or a decimal string to T without passing through double when T is wider.
template <class T> T from_string(const std::string& s) {
    if constexpr (is_multiprecision_v<T>) return T(s);
    else if constexpr (std::is_same_v<T, long double>) return std::stold(s);
    else return std::stod(s);
}

}  // namespace normdyn

// Boost 1.74's odeint cannot deduce the value type of a Boost.Multiprecision number: its partial
// specialisation is ambiguous for class types with a value_type. A full specialisation resolves it.
namespace boost::numeric::odeint::detail {
template <> struct extract_value_type<::normdyn::float128, void> { using type = ::normdyn::float128; };
template <> struct extract_value_type<::normdyn::mp50, void> { using type = ::normdyn::mp50; };
template <> struct extract_value_type<::normdyn::mp100, void> { using type = ::normdyn::mp100; };
template <> struct extract_value_type<::normdyn::mp_digits, void> { using type = ::normdyn::mp_digits; };
}  // namespace boost::numeric::odeint::detail
