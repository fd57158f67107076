#include "small_products.hpp"

#include "exp_lanes.hpp"
#include "simd.hpp"

#include <algorithm>

#ifdef NORMDYN_HAVE_WIDE
#include <immintrin.h>
#endif

namespace normdyn::detail {

namespace {

using Index = std::ptrdiff_t;

#define NORMDYN_INLINE __attribute__((always_inline)) inline

// Three rows of C = A Bᵀ against four rows of B: twelve dot products of length k in four lanes each (twelve
// chains of multiply-adds; 7 loads per 12). A null c1 or c2 is not written.
NORMDYN_INLINE void nt_block(const double* const a[3], const double* const b[4], Index k, double* const c[3],
                             Index cols) {
    Lanes s00{}, s01{}, s02{}, s03{}, s10{}, s11{}, s12{}, s13{}, s20{}, s21{}, s22{}, s23{};
    auto step = [&](const Lanes& x0, const Lanes& x1, const Lanes& x2, const Lanes& y0, const Lanes& y1,
                    const Lanes& y2, const Lanes& y3) {
        s00 += x0 * y0;
        s10 += x1 * y0;
        s20 += x2 * y0;
        s01 += x0 * y1;
        s11 += x1 * y1;
        s21 += x2 * y1;
        s02 += x0 * y2;
        s12 += x1 * y2;
        s22 += x2 * y2;
        s03 += x0 * y3;
        s13 += x1 * y3;
        s23 += x2 * y3;
    };
    Index p = 0;
    for (; p + 4 <= k; p += 4)
        step(load(a[0] + p), load(a[1] + p), load(a[2] + p), load(b[0] + p), load(b[1] + p), load(b[2] + p),
             load(b[3] + p));
    if (p < k) {
        const Index rest = k - p;
        step(load_partial(a[0] + p, rest), load_partial(a[1] + p, rest), load_partial(a[2] + p, rest),
             load_partial(b[0] + p, rest), load_partial(b[1] + p, rest), load_partial(b[2] + p, rest),
             load_partial(b[3] + p, rest));
    }
    store(c[0], lane_sums(s00, s01, s02, s03), cols);
    if (c[1]) store(c[1], lane_sums(s10, s11, s12, s13), cols);
    if (c[2]) store(c[2], lane_sums(s20, s21, s22, s23), cols);
}

#ifdef NORMDYN_HAVE_WIDE
// The eight column sums of one row of nt_block8's registers, s[q] holding columns 2q (low half) and 2q + 1
// (high half) in four lanes each: every column summed as (l0 + l1) + (l2 + l3), as lane_sums does, in
// eight-lane shuffles: the four-lane lane_sums on each half would store through the stack
// (docs/performance.md).
NORMDYN_INLINE NORMDYN_WIDE Lanes8 column_sums8(const Lanes8 (&s)[4]) {
    // [c0 01, c2 01, c0 23, c2 23, c1 01, c3 01, c1 23, c3 23], "01" being l0 + l1; the same for columns 4 … 7
    const Lanes8 v01 = __builtin_shufflevector(s[0], s[1], 0, 8, 2, 10, 4, 12, 6, 14) +
                       __builtin_shufflevector(s[0], s[1], 1, 9, 3, 11, 5, 13, 7, 15);
    const Lanes8 v23 = __builtin_shufflevector(s[2], s[3], 0, 8, 2, 10, 4, 12, 6, 14) +
                       __builtin_shufflevector(s[2], s[3], 1, 9, 3, 11, 5, 13, 7, 15);
    return __builtin_shufflevector(v01, v23, 0, 4, 1, 5, 8, 12, 9, 13) +
           __builtin_shufflevector(v01, v23, 2, 6, 3, 7, 10, 14, 11, 15);
}

// Four rows of C = A Bᵀ against eight rows of B in eight-lane registers: each register holds two columns'
// dot products, four lanes each (the low half column 2q, the high half column 2q + 1), so that every entry is
// nt_block's four interleaved lanes summed as (l0 + l1) + (l2 + l3): the same bits. Sixteen chains of
// multiply-adds for 12 loads. A null c[r] is not written; `cols` (≤ 8) columns are.
NORMDYN_INLINE NORMDYN_WIDE void nt_block8(const double* const a[4], const double* const b[8], Index k,
                                          double* const c[4], Index cols) {
    Lanes8 s[4][4];  // zeroed element by element: `= {}` becomes a slow `rep stos` (docs/performance.md)
    for (auto& row : s)
        for (auto& sum : row) sum = Lanes8{};
    auto step = [&](const Lanes8 (&x)[4], const Lanes8 (&y)[4]) {
        for (int r = 0; r < 4; ++r)
            for (int q = 0; q < 4; ++q) s[r][q] += x[r] * y[q];
    };
    Index p = 0;
    for (; p + 4 <= k; p += 4) {
        Lanes8 x[4], y[4];
        for (int r = 0; r < 4; ++r) x[r] = twice(load(a[r] + p));
        for (int q = 0; q < 4; ++q) y[q] = join(load(b[2 * q] + p), load(b[2 * q + 1] + p));
        step(x, y);
    }
    if (p < k) {
        const Index rest = k - p;
        Lanes8 x[4], y[4];
        for (int r = 0; r < 4; ++r) x[r] = twice(load_partial(a[r] + p, rest));
        for (int q = 0; q < 4; ++q) y[q] = join(load_partial(b[2 * q] + p, rest), load_partial(b[2 * q + 1] + p, rest));
        step(x, y);
    }
    const __mmask8 columns = __mmask8((1u << cols) - 1);
#pragma GCC unroll 4
    for (int r = 0; r < 4; ++r)
        if (c[r]) _mm512_mask_storeu_pd(c[r], columns, __m512d(column_sums8(s[r])));
}
#endif

// Four rows of C = diag(scale) A B, columns j … j + W NV (W = lane_count<V>; or the last `partial` < W
// columns, NV = 1), the sum over p in order: each entry the same computation whatever W.
template <class V, int NV>
NORMDYN_INLINE void nn_block(const double* const a[4], Index k, const double* b, Index ldb, double* const c[4],
                             const double scale[4], Index partial) {
    constexpr Index W = lane_count<V>;
    V acc[4][NV];
    for (auto& row : acc)
        for (auto& sum : row) sum = V{};
    for (Index p = 0; p < k; ++p) {
        V y[NV];
        for (int v = 0; v < NV; ++v)
            y[v] = partial ? load_partial<V>(b + p * ldb, partial) : load<V>(b + p * ldb + W * v);
        for (int r = 0; r < 4; ++r) {
            const double w = a[r][p];
            for (int v = 0; v < NV; ++v) acc[r][v] += w * y[v];
        }
    }
    for (int r = 0; r < 4; ++r)
        if (c[r])
            for (int v = 0; v < NV; ++v) store(c[r] + W * v, acc[r][v] * scale[r], partial ? partial : W);
}

// The exponentials after a group of R rows' products (`rows` ≤ R of them written), the rows' lanes side by
// side: exp's chains of multiply-adds for R sets of lanes at once. With `upper`, the runs start where the
// group's blocks do, at the multiple of the lane count at or below its first row, so that an n = 32 row runs
// in whole sets of lanes.
template <class V, int R>
NORMDYN_INLINE void exp_rows(Index first_row, Index rows, Index n, double* c, Index ldc, bool upper, double beta) {
    constexpr Index W = lane_count<V>;
    double* row[R];
    for (Index r = 0; r < R; ++r) row[r] = c + (first_row + std::min(r, rows - 1)) * ldc;  // short groups: again
    for (Index j = upper ? first_row / W * W : 0; j < n; j += W) {
        double* at[R];
        for (int r = 0; r < R; ++r) at[r] = row[r] + j;
        exp_sets<V>(at, std::min(W, n - j), beta, beta, rows);
    }
}

NORMDYN_CLONED void product_nt_lanes4(Index m, Index n, Index k, const double* a, Index lda, const double* b,
                                      Index ldb, double* c, Index ldc, bool upper, const double* exp_beta) {
    for (Index i = 0; i < m; i += 3) {
        const Index rows = std::min<Index>(3, m - i);  // short groups read their last row again, write it once
        const double* a_rows[3];
        for (Index r = 0; r < 3; ++r) a_rows[r] = a + (i + std::min(r, rows - 1)) * lda;
        const Index first = upper ? i / 4 * 4 : 0;
        for (Index j = first; j < n; j += 4) {
            const double* b_rows[4];
            for (Index q = 0; q < 4; ++q) b_rows[q] = b + std::min(j + q, n - 1) * ldb;
            double* const c_rows[3] = {c + i * ldc + j, rows > 1 ? c + (i + 1) * ldc + j : nullptr,
                                       rows > 2 ? c + (i + 2) * ldc + j : nullptr};
            nt_block(a_rows, b_rows, k, c_rows, std::min<Index>(4, n - j));
        }
        if (exp_beta) exp_rows<Lanes, 3>(i, rows, n, c, ldc, upper, *exp_beta);
    }
}

#ifdef NORMDYN_HAVE_WIDE
// The same products in groups of four rows against blocks of eight columns (nt_block8); with `upper`, a
// group's blocks start at the multiple of eight at or below its first row.
NORMDYN_WIDE void product_nt_lanes8(Index m, Index n, Index k, const double* a, Index lda, const double* b,
                                    Index ldb, double* c, Index ldc, bool upper, const double* exp_beta) {
    for (Index i = 0; i < m; i += 4) {
        const Index rows = std::min<Index>(4, m - i);  // short groups read their last row again, write it once
        const double* a_rows[4];
        double* c_rows[4];
        for (Index r = 0; r < 4; ++r) a_rows[r] = a + (i + std::min(r, rows - 1)) * lda;
        const Index first = upper ? i / 8 * 8 : 0;
        for (Index j = first; j < n; j += 8) {
            const double* b_rows[8];
            for (Index q = 0; q < 8; ++q) b_rows[q] = b + std::min(j + q, n - 1) * ldb;
            for (Index r = 0; r < 4; ++r) c_rows[r] = r < rows ? c + (i + r) * ldc + j : nullptr;
            nt_block8(a_rows, b_rows, k, c_rows, std::min<Index>(8, n - j));
        }
        if (exp_beta) exp_rows<Lanes8, 4>(i, rows, n, c, ldc, upper, *exp_beta);
    }
}
#endif

template <class V>
NORMDYN_INLINE void product_nn(Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb,
                               double* c, Index ldc, const double* row_divisor) {
    constexpr Index W = lane_count<V>;
    for (Index i = 0; i < m; i += 4) {
        const double* rows[4];
        double scale[4];
        for (Index r = 0; r < 4; ++r) {
            rows[r] = a + std::min(i + r, m - 1) * lda;  // rows past m are read, not written
            scale[r] = row_divisor ? 1.0 / row_divisor[std::min(i + r, m - 1)] : 1.0;
        }
        // Columns in blocks of 3 W, then of 2 W, then of W: 4 W left over run as two blocks of 2 W rather than
        // 3 W + W, since a block of W has four chains of multiply-adds, too few to hide their latency.
        Index j = 0;
        for (; n - j >= 3 * W && n - j != 4 * W; j += 3 * W) {
            double* out[4];
            for (Index r = 0; r < 4; ++r) out[r] = i + r < m ? c + (i + r) * ldc + j : nullptr;
            nn_block<V, 3>(rows, k, b + j, ldb, out, scale, 0);
        }
        for (; n - j >= 2 * W; j += 2 * W) {
            double* out[4];
            for (Index r = 0; r < 4; ++r) out[r] = i + r < m ? c + (i + r) * ldc + j : nullptr;
            nn_block<V, 2>(rows, k, b + j, ldb, out, scale, 0);
        }
        for (; j < n; j += W) {
            double* out[4];
            for (Index r = 0; r < 4; ++r) out[r] = i + r < m ? c + (i + r) * ldc + j : nullptr;
            nn_block<V, 1>(rows, k, b + j, ldb, out, scale, n - j < W ? n - j : 0);
        }
    }
}

NORMDYN_CLONED void product_nn_lanes4(Index m, Index n, Index k, const double* a, Index lda, const double* b,
                                      Index ldb, double* c, Index ldc, const double* row_divisor) {
    product_nn<Lanes>(m, n, k, a, lda, b, ldb, c, ldc, row_divisor);
}

#ifdef NORMDYN_HAVE_WIDE
NORMDYN_WIDE void product_nn_lanes8(Index m, Index n, Index k, const double* a, Index lda, const double* b,
                                    Index ldb, double* c, Index ldc, const double* row_divisor) {
    product_nn<Lanes8>(m, n, k, a, lda, b, ldb, c, ldc, row_divisor);
}
#endif

}  // namespace

void small_product_nt(Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb, double* c,
                      Index ldc, bool upper, const double* exp_beta) {
#ifdef NORMDYN_HAVE_WIDE
    if (wide_lanes()) return product_nt_lanes8(m, n, k, a, lda, b, ldb, c, ldc, upper, exp_beta);
#endif
    product_nt_lanes4(m, n, k, a, lda, b, ldb, c, ldc, upper, exp_beta);
}

void small_product_nn(Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb, double* c,
                      Index ldc, const double* row_divisor) {
#ifdef NORMDYN_HAVE_WIDE
    if (wide_lanes()) return product_nn_lanes8(m, n, k, a, lda, b, ldb, c, ldc, row_divisor);
#endif
    product_nn_lanes4(m, n, k, a, lda, b, ldb, c, ldc, row_divisor);
}

}  // namespace normdyn::detail
