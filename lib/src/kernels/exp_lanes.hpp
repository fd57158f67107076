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
//
// N sets of lanes at a time, each step for all N before the next: the steps of one set form a chain of ~20
// dependent operations, too long for the out-of-order window to overlap many sets of it on its own
// (docs/performance.md); the bits are the same either way.
template <class V, int N> __attribute__((always_inline)) inline void exp_lanes(V (&x)[N]) {  // in place
    using Bits = typename LaneBitsOf<V>::type;
    constexpr double log2e = 1.4426950408889634074;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // fdlibm's split of ln 2: k ln2_hi is exact
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double round_magic = 6755399441055744.0;      // 1.5 × 2^52: x + magic − magic rounds to integer
    constexpr double bits_magic = 4503599627370496.0;       // 2^52: the integer sits in the low mantissa bits
    // 1/12! … 1/0!: Horner's steps after the leading 1/13!
    constexpr double taylor[] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
                                 1.0 / 40320.0,     1.0 / 5040.0,     1.0 / 720.0,     1.0 / 120.0,
                                 1.0 / 24.0,        1.0 / 6.0,        0.5,             1.0,
                                 1.0};
    const V zero{};
    V k[N], r[N], p[N];
    for (int i = 0; i < N; ++i) x[i] = x[i] < -746.0 ? zero - 746.0 : x[i];
    for (int i = 0; i < N; ++i) k[i] = (x[i] * log2e + round_magic) - round_magic;
    for (int i = 0; i < N; ++i) r[i] = (x[i] - k[i] * ln2_hi) - k[i] * ln2_lo;
    for (int i = 0; i < N; ++i) p[i] = zero + 1.0 / 6227020800.0;  // 1/13!
    for (const double t : taylor)
        for (int i = 0; i < N; ++i) p[i] = p[i] * r[i] + t;
    for (int i = 0; i < N; ++i) {
        const V half = (k[i] * 0.5 + round_magic) - round_magic;  // an integer within 1 of k/2
        const V rest = k[i] - half;
        const Bits e1 = reinterpret_cast<Bits>(half + (1023.0 + bits_magic)) << 52;
        const Bits e2 = reinterpret_cast<Bits>(rest + (1023.0 + bits_magic)) << 52;
        x[i] = p[i] * reinterpret_cast<V>(e1) * reinterpret_cast<V>(e2);
    }
}

// at[s][0 … lanes) = exp(scale · at[s] − shift) for N sets of lanes side by side (lanes ≤ lane_count<V>; a
// short set reads and writes only its `lanes` entries); only the first `written` sets are stored.
template <class V, int N>
__attribute__((always_inline)) inline void exp_sets(double* const (&at)[N], std::ptrdiff_t lanes, double scale,
                                                    double shift, std::ptrdiff_t written = N) {
    V x[N];
    for (int s = 0; s < N; ++s)
        x[s] = (lanes == lane_count<V> ? load<V>(at[s]) : load_partial<V>(at[s], lanes)) * scale - shift;
    exp_lanes(x);
    for (int s = 0; s < written; ++s) store(at[s], x[s], lanes);
}

// values[0 … count) = exp(scale · values − shift), four sets of lanes at a time, then one, the tail as one
// partial set.
template <class V = Lanes>
__attribute__((always_inline)) inline void exp_span(double* values, std::ptrdiff_t count, double scale, double shift) {
    constexpr std::ptrdiff_t width = lane_count<V>;
    std::ptrdiff_t i = 0;
    for (; i + 4 * width <= count; i += 4 * width) {
        double* const at[4] = {values + i, values + i + width, values + i + 2 * width, values + i + 3 * width};
        exp_sets<V>(at, width, scale, shift);
    }
    for (; i < count; i += width) {
        double* const at[1] = {values + i};
        exp_sets<V>(at, count - i < width ? count - i : width, scale, shift);
    }
}

}  // namespace normdyn::detail
