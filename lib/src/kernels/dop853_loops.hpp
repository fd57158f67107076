// The passes of DOP853 over the state in double (private to solver.ipp): the stage combinations
// x + Σ_m w_m k_m and the new state with the error estimates of an adaptive step.
//
// The library is built for baseline x86-64 (SSE2, no FMA); these passes are cloned for x86-64-v3 (AVX2 and
// FMA) as well, and an ifunc resolver picks at load time the clone the CPU runs. Results are deterministic
// on a given CPU; the v3 clone rounds a product-sum once where FMA fuses it, so its last bits differ from
// the baseline clone's. Where the CPU has AVX-512 (normdyn::detail::wide_lanes()) the passes run in eight
// lanes with the v3 clone's bits: every component the same operations, the error's sums still in four
// lanes, the high half of each eight after the low.
//
// Large states are cut into chunks whose boundaries depend on the state size alone, shared among the
// threads of the library's task pool (task_pool.hpp); the error's per-chunk sums are added in chunk order,
// so the result is bit-identical for every number of threads.
#pragma once

#include "normdyn/runtime.hpp"
#include "simd.hpp"
#include "task_pool.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace normdyn::solve::detail::dop853 {

// Chunks of 8192 components (64 KB of each array): a chunk of a stage pass is long enough that a worker that
// wakes late still finds chunks left, and the per-task cost of the pool stays negligible. States below 2^15
// components run on the calling thread. Waking a sleeping worker costs about as much as a second thread
// saves on a pass of that size; but in the particle system the right-hand side has just run its token loops
// on the pool (lib/src/model/particle_system.cpp, from n d = 2^15 too), so the worker is still spinning
// when the stages come (docs/performance.md).
inline constexpr std::size_t chunk_size = 8192;
inline constexpr std::size_t parallel_size = std::size_t(1) << 15;

/// pass(i, begin, end) for each chunk of chunk_size components, on the kernel's threads from parallel_size.
template <class Pass> void for_each_chunk(std::size_t n, const Pass& pass) {
    normdyn::detail::for_each_chunk(n, chunk_size, n < parallel_size ? 1 : kernel_threads(), pass);
}

template <std::size_t terms> using Pointers = std::array<const double*, terms>;
template <std::size_t terms> using Weights = std::array<double, terms>;

/// out_i = x_i + Σ_m w_m k_m,i for i in [begin, end), the sum from m = 0 up.
template <std::size_t... M>
NORMDYN_CLONED void
combine_range(double* __restrict out, const double* x, const Pointers<sizeof...(M)> k, const Weights<sizeof...(M)> w,
              std::size_t begin, std::size_t end, std::index_sequence<M...>) {
    for (std::size_t i = begin; i < end; ++i) out[i] = x[i] + (... + (w[M] * k[M][i]));
}

#ifdef NORMDYN_HAVE_WIDE
/// combine_range in eight lanes.
template <std::size_t... M>
NORMDYN_WIDE void combine_range_wide(double* __restrict out, const double* x, const Pointers<sizeof...(M)> k,
                                     const Weights<sizeof...(M)> w, std::size_t begin, std::size_t end,
                                     std::index_sequence<M...>) {
    using normdyn::detail::Lanes8;
    using normdyn::detail::load;
    std::size_t i = begin;
    for (; i + 8 <= end; i += 8)
        normdyn::detail::store(out + i, load<Lanes8>(x + i) + (... + (w[M] * load<Lanes8>(k[M] + i))), 8);
    for (; i < end; ++i) out[i] = x[i] + (... + (w[M] * k[M][i]));
}
#endif

/// out = x + Σ_m w_m k_m over the whole state.
template <std::size_t terms>
void combine(double* out, const double* x, const Pointers<terms>& k, const Weights<terms>& w, std::size_t n) {
    for_each_chunk(n, [&](std::size_t, std::size_t begin, std::size_t end) {
#ifdef NORMDYN_HAVE_WIDE
        if (normdyn::detail::wide_lanes())
            return combine_range_wide(out, x, k, w, begin, end, std::make_index_sequence<terms>{});
#endif
        combine_range(out, x, k, w, begin, end, std::make_index_sequence<terms>{});
    });
}

/// The error sums of a set of components: Σ (rms) or max of (E5_i / s_i)² and of (E3_i / s_i)², and the
/// probe Σ x_new_i · 0, NaN exactly when some x_new_i is not finite.
template <class T> struct ErrorSums {
    T err5 = 0, err3 = 0, probe = 0;
};

/// Adds (rms) or takes the maximum of (max) the sums of `part` into `sums`.
template <bool rms, class T> void merge(ErrorSums<T>& sums, const ErrorSums<T>& part) {
    sums.probe += part.probe;
    if constexpr (rms) {
        sums.err5 += part.err5;
        sums.err3 += part.err3;
    } else {
        sums.err5 = part.err5 > sums.err5 ? part.err5 : sums.err5;
        sums.err3 = part.err3 > sums.err3 ? part.err3 : sums.err3;
    }
}

using normdyn::detail::LaneBits;
using normdyn::detail::Lanes;
inline constexpr std::size_t lane_width = 4;

/// The weights of the new state and of the two error estimates, and the scale's tolerances.
template <std::size_t terms> struct ErrorWeights {
    Weights<terms> hb, e5, e3;
    double atol, rtol;
};

/// Components i … i + W − 1 (W = lane_count<V>: four or eight) of the new state and error pass: stores
/// x_new and accumulates into the four lanes, an eight's high half after its low.
template <class V, bool rms, std::size_t... M>
__attribute__((always_inline)) inline void
error_lanes(double* out, const double* x, const double* const (&k)[sizeof...(M)], const ErrorWeights<sizeof...(M)>& w,
            std::size_t i, Lanes& acc5, Lanes& acc3, Lanes& probe, std::index_sequence<M...>) {
    using Bits = typename normdyn::detail::LaneBitsOf<V>::type;
    using normdyn::detail::load;
    constexpr std::size_t width = normdyn::detail::lane_count<V>;
    const V base = load<V>(x + i);
    const V kv[] = {load<V>(k[M] + i)...};
    const V x_new = base + (... + (w.hb[M] * kv[M]));
    const V err5 = (... + (w.e5[M] * kv[M]));
    const V err3 = (... + (w.e3[M] * kv[M]));
    const Bits magnitude = Bits{} + std::numeric_limits<std::int64_t>::max();  // all bits but the sign
    const V a_old = reinterpret_cast<V>(reinterpret_cast<Bits>(base) & magnitude);
    const V a_new = reinterpret_cast<V>(reinterpret_cast<Bits>(x_new) & magnitude);
    const V scale = w.atol + w.rtol * (a_old > a_new ? a_old : a_new);
    // Where atol = 0 meets a zero component the scale is 0: dividing by the least normal number instead
    // makes a zero error zero and any other error huge.
    const V tiny = V{} + std::numeric_limits<double>::min();
    const V divisor = scale > tiny ? scale : tiny;
    normdyn::detail::store(out + i, x_new, width);
    const V q5 = err5 / divisor, q3 = err3 / divisor, zero_or_nan = x_new * 0.0;
    // The squares are taken after the halves are split, so that `acc += q * q` fuses into one multiply-add
    // in eight lanes as it does in four (squared first, the eight-lane sums differed in 16 % of the passes).
    auto accumulate = [&](const Lanes& part5, const Lanes& part3, const Lanes& part_probe) {
        probe += part_probe;
        if constexpr (rms) {
            acc5 += part5 * part5;
            acc3 += part3 * part3;
        } else {
            const Lanes s5 = part5 * part5, s3 = part3 * part3;
            acc5 = s5 > acc5 ? s5 : acc5;
            acc3 = s3 > acc3 ? s3 : acc3;
        }
    };
    if constexpr (width == 8) {
        using normdyn::detail::high_half;
        using normdyn::detail::low_half;
        accumulate(low_half(q5), low_half(q3), low_half(zero_or_nan));
        accumulate(high_half(q5), high_half(q3), high_half(zero_or_nan));
    } else {
        accumulate(q5, q3, zero_or_nan);
    }
}

/// out_i = x_new_i and the error sums over [begin, end). Eight (`wide`) then four components at a time in
/// vector lanes; the last (end − begin) mod 4 through the same four lanes, padded with zeros (which add
/// nothing to the sums).
template <bool rms, bool wide, std::size_t... M>
__attribute__((always_inline)) inline ErrorSums<double>
error_range_lanes(double* __restrict out, const double* x, const Pointers<sizeof...(M)> k,
                  const ErrorWeights<sizeof...(M)>& w, std::size_t begin, std::size_t end, std::index_sequence<M...> terms) {
    Lanes acc5{}, acc3{}, probe{};
    const double* const kp[] = {k[M]...};
    std::size_t i = begin;
    if constexpr (wide)
        for (; i + 2 * lane_width <= end; i += 2 * lane_width)
            error_lanes<normdyn::detail::Lanes8, rms>(out, x, kp, w, i, acc5, acc3, probe, terms);
    for (; i + lane_width <= end; i += lane_width) error_lanes<Lanes, rms>(out, x, kp, w, i, acc5, acc3, probe, terms);
    if (i < end) {
        const std::size_t rest = end - i;
        double x_pad[lane_width] = {}, out_pad[lane_width], k_pad[sizeof...(M)][lane_width] = {};
        for (std::size_t l = 0; l < rest; ++l) {
            x_pad[l] = x[i + l];
            ((k_pad[M][l] = k[M][i + l]), ...);
        }
        const double* const kp_pad[] = {k_pad[M]...};
        error_lanes<Lanes, rms>(out_pad, x_pad, kp_pad, w, 0, acc5, acc3, probe, terms);
        for (std::size_t l = 0; l < rest; ++l) out[i + l] = out_pad[l];
    }
    ErrorSums<double> sums;
    for (std::size_t l = 0; l < lane_width; ++l) merge<rms>(sums, {acc5[l], acc3[l], probe[l]});
    return sums;
}

template <bool rms, std::size_t... M>
NORMDYN_CLONED ErrorSums<double>
error_range(double* __restrict out, const double* x, const Pointers<sizeof...(M)> k, const ErrorWeights<sizeof...(M)> w,
            std::size_t begin, std::size_t end, std::index_sequence<M...> terms) {
    return error_range_lanes<rms, false>(out, x, k, w, begin, end, terms);
}

#ifdef NORMDYN_HAVE_WIDE
template <bool rms, std::size_t... M>
NORMDYN_WIDE ErrorSums<double>
error_range_wide(double* __restrict out, const double* x, const Pointers<sizeof...(M)> k,
                 const ErrorWeights<sizeof...(M)> w, std::size_t begin, std::size_t end, std::index_sequence<M...> terms) {
    return error_range_lanes<rms, true>(out, x, k, w, begin, end, terms);
}
#endif

/// out = x_new and the error sums over the whole state: the chunks' sums added (or maximised) in chunk order.
template <bool rms, std::size_t terms>
ErrorSums<double> new_state_and_error(double* out, const double* x, const Pointers<terms>& k,
                                      const ErrorWeights<terms>& w, std::size_t n) {
    const std::size_t count = (n + chunk_size - 1) / chunk_size;
    // The chunks' sums on the stack up to 16 chunks (131072 components), no allocation per step there.
    std::array<ErrorSums<double>, 16> local;
    std::vector<ErrorSums<double>> heap(count > local.size() ? count : 0);
    ErrorSums<double>* const partial = count > local.size() ? heap.data() : local.data();
    for_each_chunk(n, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
#ifdef NORMDYN_HAVE_WIDE
        if (normdyn::detail::wide_lanes()) {
            partial[chunk] = error_range_wide<rms>(out, x, k, w, begin, end, std::make_index_sequence<terms>{});
            return;
        }
#endif
        partial[chunk] = error_range<rms>(out, x, k, w, begin, end, std::make_index_sequence<terms>{});
    });
    ErrorSums<double> total;
    for (std::size_t chunk = 0; chunk < count; ++chunk) merge<rms>(total, partial[chunk]);
    return total;
}

}  // namespace normdyn::solve::detail::dop853
