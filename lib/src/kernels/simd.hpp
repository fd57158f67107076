// Four (and eight) double lanes, and the run-time choice of instruction set for the double paths (private to
// the library: the kernel's exponentials and small products, the particle system's token loops, dop853's
// passes).
//
// NORMDYN_CLONED marks a function that GCC compiles twice, for x86-64-v3 (AVX2 registers, FMA) and for the
// baseline x86-64 the library is built for (SSE2), with a resolver that picks at load time the clone the CPU
// runs. Configure with -DNORMDYN_BASELINE_ONLY=ON to compile the baseline alone: the way to test it on a
// machine that has AVX2 (the resolver would always pick the other clone there).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(NORMDYN_BASELINE_ONLY) || !defined(__x86_64__)
#define NORMDYN_CLONED
#else
#define NORMDYN_CLONED __attribute__((target_clones("arch=x86-64-v3", "default")))
/// A function compiled for x86-64-v4 (AVX-512 registers) alone, written in eight-double Lanes8; the caller
/// runs it only where wide_lanes() says so.
#define NORMDYN_WIDE __attribute__((target("arch=x86-64-v4")))
#define NORMDYN_HAVE_WIDE 1
#endif

namespace normdyn::detail {

/// Four doubles in GCC's vector extension: AVX2 registers in the x86-64-v3 clone, two SSE2 halves otherwise.
using Lanes = double __attribute__((vector_size(32)));
using LaneBits = std::int64_t __attribute__((vector_size(32)));
/// Eight doubles: one AVX-512 register, in NORMDYN_WIDE functions only.
using Lanes8 = double __attribute__((vector_size(64)));
using LaneBits8 = std::int64_t __attribute__((vector_size(64)));

/// The integer lanes beside a double lane type (exp's exponent bits).
template <class V> struct LaneBitsOf;
template <> struct LaneBitsOf<Lanes> { using type = LaneBits; };
template <> struct LaneBitsOf<Lanes8> { using type = LaneBits8; };
/// The number of doubles in a lane type.
template <class V> inline constexpr std::ptrdiff_t lane_count = std::ptrdiff_t(sizeof(V) / sizeof(double));

/// Whether the wide (Lanes8) variants run: built with them, the CPU has AVX-512 (x86-64-v4), and
/// normdyn::set_kernel_lanes has not asked for four. Wide and four-lane variants give the same bits.
bool wide_lanes();

// Helpers that pass lanes by value: always inlined into the cloned functions, so the ABI of an out-of-line
// AVX argument, which GCC notes at each call (-Wpsabi, off for the library), never arises.

template <class V = Lanes> __attribute__((always_inline)) inline V load(const double* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// The first `count` (< lane_count<V>) entries, zeros after them: nothing past the end of a row is read.
template <class V = Lanes> __attribute__((always_inline)) inline V load_partial(const double* p, std::ptrdiff_t count) {
    V v{};
    for (std::ptrdiff_t l = 0; l < count; ++l) v[l] = p[l];
    return v;
}

/// The first `count` (≤ lane_count<V>) lanes to p.
template <class V> __attribute__((always_inline)) inline void store(double* p, const V& v, std::ptrdiff_t count) {
    if (count == lane_count<V>) {
        std::memcpy(p, &v, sizeof v);
        return;
    }
    for (std::ptrdiff_t l = 0; l < count; ++l) p[l] = v[l];
}

/// The four lanes of v, twice: [v0 v1 v2 v3 v0 v1 v2 v3].
__attribute__((always_inline)) inline Lanes8 twice(const Lanes& v) { return __builtin_shufflevector(v, v, 0, 1, 2, 3, 0, 1, 2, 3); }
/// [a0 a1 a2 a3 b0 b1 b2 b3].
__attribute__((always_inline)) inline Lanes8 join(const Lanes& a, const Lanes& b) {
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7);
}

__attribute__((always_inline)) inline Lanes low_half(const Lanes8& v) { return __builtin_shufflevector(v, v, 0, 1, 2, 3); }
__attribute__((always_inline)) inline Lanes high_half(const Lanes8& v) { return __builtin_shufflevector(v, v, 4, 5, 6, 7); }

/// (l0 + l1) + (l2 + l3).
__attribute__((always_inline)) inline double lane_sum(const Lanes& v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// Two-vector shuffles (indices 0–3 pick from the first vector, 4–7 from the second): even and odd lanes of a
// pair interleaved, and the low and high halves of a pair.
inline constexpr LaneBits even_lanes{0, 4, 2, 6}, odd_lanes{1, 5, 3, 7}, low_halves{0, 1, 4, 5},
    high_halves{2, 3, 6, 7};

/// [Σ a, Σ b, Σ c, Σ e], each summed as lane_sum does.
__attribute__((always_inline)) inline Lanes lane_sums(const Lanes& a, const Lanes& b, const Lanes& c, const Lanes& e) {
    const Lanes ab = __builtin_shuffle(a, b, even_lanes) + __builtin_shuffle(a, b, odd_lanes);  // a01 b01 a23 b23
    const Lanes ce = __builtin_shuffle(c, e, even_lanes) + __builtin_shuffle(c, e, odd_lanes);
    return __builtin_shuffle(ab, ce, low_halves) + __builtin_shuffle(ab, ce, high_halves);
}

/// dst (4 × 4) = srcᵀ, both row-major with leading dimension ld: the values copied, not computed.
__attribute__((always_inline)) inline void transpose4(const double* src, double* dst, std::ptrdiff_t ld) {
    const Lanes r0 = load(src), r1 = load(src + ld), r2 = load(src + 2 * ld), r3 = load(src + 3 * ld);
    const Lanes t0 = __builtin_shuffle(r0, r1, even_lanes), t1 = __builtin_shuffle(r0, r1, odd_lanes);  // a0 b0 a2 b2, a1 b1 a3 b3
    const Lanes t2 = __builtin_shuffle(r2, r3, even_lanes), t3 = __builtin_shuffle(r2, r3, odd_lanes);
    store(dst, __builtin_shuffle(t0, t2, low_halves), 4);
    store(dst + ld, __builtin_shuffle(t1, t3, low_halves), 4);
    store(dst + 2 * ld, __builtin_shuffle(t0, t2, high_halves), 4);
    store(dst + 3 * ld, __builtin_shuffle(t1, t3, high_halves), 4);
}

}  // namespace normdyn::detail
