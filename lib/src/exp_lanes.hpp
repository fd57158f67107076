// exp on four double lanes (private to the library): the attention kernel's exponentials, in its row
// passes (attention.cpp) and fused into the small products (small_products.cpp).
#pragma once

#include "simd.hpp"

#include <cstddef>

namespace normdyn::detail {

// exp(x) for x ≤ 1, four (Lanes) or eight (Lanes8) lanes at a time (the exponentials are n² per call, as
// many as the Gram matrix's multiply-adds are per dimension). Cody–Waite reduction x = k ln 2 + r with |r| ≤ ln 2 / 2, exp(r) by its
// Taylor polynomial of degree 13 (remainder below 5e-18), and 2^k applied as two powers of two so that
// results down to the subnormals (x ≥ −745) round once. Error ≤ 2 ulp; x < −746 gives 0, exp(0) = 1
// exactly, NaN stays NaN. Written with GCC's vector extensions: a plain loop does not vectorise (the clamp
// is control flow to GCC), these lanes do. The callers are cloned: x86-64-v3 (AVX2 registers, the Horner
// steps fused into FMAs) where the CPU has it, else baseline SSE2. Within a clone the tail of a row runs the
// same lane code, so every element rounds the same way wherever it sits; the eight-lane form (AVX-512
// callers) is the same operations lane by lane, so it gives the same bits.
template <class V> __attribute__((always_inline)) inline void exp_lanes(V& x) {  // in place: no vector by value
    using Bits = typename LaneBitsOf<V>::type;
    constexpr double log2e = 1.4426950408889634074;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // fdlibm's split of ln 2: k ln2_hi is exact
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double round_magic = 6755399441055744.0;      // 1.5 × 2^52: x + magic − magic rounds to integer
    constexpr double bits_magic = 4503599627370496.0;       // 2^52: the integer sits in the low mantissa bits
    const V zero{};
    x = x < -746.0 ? zero - 746.0 : x;
    const V k = (x * log2e + round_magic) - round_magic;
    const V r = (x - k * ln2_hi) - k * ln2_lo;
    V p = zero + 1.0 / 6227020800.0;  // 1/13!
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    const V half = (k * 0.5 + round_magic) - round_magic;  // an integer within 1 of k/2
    const V rest = k - half;
    const Bits e1 = reinterpret_cast<Bits>(half + (1023.0 + bits_magic)) << 52;
    const Bits e2 = reinterpret_cast<Bits>(rest + (1023.0 + bits_magic)) << 52;
    x = p * reinterpret_cast<V>(e1) * reinterpret_cast<V>(e2);
}

// values[0 … count) = exp(scale · values − shift), lane_count<V> at a time, the tail as one partial set of
// lanes.
template <class V = Lanes>
__attribute__((always_inline)) inline void exp_span(double* values, std::ptrdiff_t count, double scale, double shift) {
    constexpr std::ptrdiff_t width = lane_count<V>;
    for (std::ptrdiff_t i = 0; i < count; i += width) {
        const std::ptrdiff_t lanes = count - i < width ? count - i : width;
        V x = lanes == width ? load<V>(values + i) : load_partial<V>(values + i, lanes);
        x = x * scale - shift;
        exp_lanes(x);
        store(values + i, x, lanes);
    }
}

}  // namespace normdyn::detail
