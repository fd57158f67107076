// Scalar types normdyn supports, and the few helpers every generic file needs.
// Every generic class or function is explicitly instantiated once per type of NORMDYN_FOR_EACH_SCALAR
// in lib/src/, so that downstream code only links.
#pragma once

#include <boost/multiprecision/mpfr.hpp>
#include <boost/numeric/odeint/algebra/detail/extract_value_type.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>

namespace normdyn {

/// 50 significant decimal digits, MPFR backend, expression templates off (required inside Eigen and odeint).
using mp50 = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<50>,
                                           boost::multiprecision::et_off>;

/// Applies MACRO to every scalar type that lib/src/ instantiates.
#define NORMDYN_FOR_EACH_SCALAR(MACRO) \
    MACRO(double)                      \
    MACRO(long double)                 \
    MACRO(::normdyn::mp50)

template <class T> inline constexpr bool is_multiprecision_v = boost::multiprecision::is_number<T>::value;

/// The user-facing name of a scalar type ("double", "long-double", "mp50").
template <class T> std::string scalar_name() {
    if constexpr (std::is_same_v<T, double>) return "double";
    else if constexpr (std::is_same_v<T, long double>) return "long-double";
    else if constexpr (std::is_same_v<T, mp50>) return "mp50";
    else return "unknown";
}

/// Every significant decimal digit of x (round-trips exactly).
template <class T> std::string to_decimal(const T& x) {
    std::ostringstream os;
    os.precision(std::numeric_limits<T>::max_digits10);
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
template <> struct extract_value_type<::normdyn::mp50, void> { using type = ::normdyn::mp50; };
}  // namespace boost::numeric::odeint::detail
