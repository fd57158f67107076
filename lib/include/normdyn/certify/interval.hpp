// Interval arithmetic through the model's own code (the kv habit): `interval` is Boost.Multiprecision's
// wrapper of MPFI, whose every operation rounds its lower end down and its upper end up (directed rounding
// by MPFR, never the FPU's rounding mode), so the exact result of the same expression over any reals inside
// the operands lies inside the result. The scheme table's laws (model/scheme.hpp), the equiangular field of
// spec §4 and Theorem 4.1's closed forms evaluate unchanged on it.
//
// Precision is chosen at run time (set_interval_digits): every interval takes the precision current when it
// is made. Boost derives bits from decimal digits as ⌊1000 d / 301⌋ + 1 or 2, so 15 digits are 51 bits and
// 16 digits are 55 bits; "double width" here is 15 digits (51 bits, a little narrower than a double's 53).
//
// Caution: Boost's <, >, == on intervals that overlap without being equal throw from a noexcept function
// (std::terminate). Code here decides with the explicit predicates below (strictly_positive, contains, …).
#pragma once

#include <boost/multiprecision/mpfi.hpp>

#include <cstddef>
#include <string>

namespace normdyn::certify {

/// An MPFI interval of run-time precision, expression templates off (as every scalar of normdyn).
using interval = boost::multiprecision::number<boost::multiprecision::mpfi_float_backend<0>,
                                               boost::multiprecision::et_off>;

/// Decimal digits of the intervals made from now on (and of their arithmetic). N ≥ 1.
void set_interval_digits(unsigned digits);
unsigned interval_digits();
/// Bits of the significands of intervals made now.
unsigned interval_bits();

/// The interval [lower, upper] of a decimal text: "0.1" gives the smallest interval with representable
/// ends that holds the real 1/10. Throws std::invalid_argument for text that is not a number.
interval interval_from_text(const std::string& text);
/// [a, b] from the ends of two intervals (hull of a and b).
interval hull(const interval& a, const interval& b);
/// The thin interval at (a representable point near) the midpoint of x.
interval midpoint(const interval& x);
/// [lower(x), upper(x)] widened to hold 0 on one side: lower(x)·[0, 1] ∪ … — the product [0, 1]·x.
interval times_unit(const interval& x);
/// [−e, e] with e = max(|lower|, |upper|) of x (a symmetric enclosure of x − x's own centre is not this).
interval symmetric(const interval& x);

bool strictly_positive(const interval& x);  ///< lower(x) > 0
bool strictly_negative(const interval& x);  ///< upper(x) < 0
bool contains_zero(const interval& x);
bool is_bounded(const interval& x);         ///< both ends finite (not empty, not NaN)
/// Whether a and b are the same interval (equal ends): a folding test that never throws, unlike ==.
bool identical(const interval& a, const interval& b);
/// Whether `inner` ⊆ `outer`.
bool subset(const interval& inner, const interval& outer);
/// Whether the real written as decimal text (exactly, not its nearest double) lies in x: decided by
/// comparing x with the text's own enclosure at x's precision plus 64 bits.
bool contains_text(const interval& x, const std::string& text);

/// upper(x) − lower(x), rounded up, as a double (rounded up again); +inf when unbounded.
double width(const interval& x);
/// max(|lower|, |upper|) rounded up, as a double.
double magnitude(const interval& x);
/// Both ends as doubles rounded outward.
double lower_double(const interval& x);
double upper_double(const interval& x);
/// The midpoint rounded to nearest, as a double (for reports and step-size heuristics only).
double mid_double(const interval& x);

/// The ends as decimal strings with `digits` significant digits, rounded outward (lower down, upper up):
/// [lower_text, upper_text] ⊇ x. Finite ends only (callers check is_bounded).
std::string lower_text(const interval& x, unsigned digits);
std::string upper_text(const interval& x, unsigned digits);

}  // namespace normdyn::certify
