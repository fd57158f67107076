#include "small_products.hpp"

#include "exp_lanes.hpp"
#include "simd.hpp"

#include <algorithm>

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

// Four rows of C = A Bᵀ against eight rows of B in eight-lane registers: each register holds two columns'
// dot products, four lanes each (the low half column 2q, the high half column 2q + 1), so that every entry is
// nt_block's four interleaved lanes summed as (l0 + l1) + (l2 + l3): the same bits. Sixteen chains of
// multiply-adds for 12 loads. A null c[r] is not written; `cols` (≤ 8) columns are.
NORMDYN_INLINE void nt_block8(const double* const a[4], const double* const b[8], Index k, double* const c[4],
                              Index cols) {
    Lanes8 s[4][4];  // zeroed element by element: `= {}` became a `rep stos` (8 % of the products' time)
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
    for (int r = 0; r < 4; ++r) {
        if (!c[r]) continue;
        store(c[r], lane_sums(low_half(s[r][0]), high_half(s[r][0]), low_half(s[r][1]), high_half(s[r][1])),
              std::min<Index>(cols, 4));
        if (cols > 4)
            store(c[r] + 4, lane_sums(low_half(s[r][2]), high_half(s[r][2]), low_half(s[r][3]), high_half(s[r][3])),
                  cols - 4);
    }
}

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

// The exponentials after a row group's products, as one run of independent lanes per row: exp's chain of 14
// multiply-adds then overlaps from one set of lanes to the next (after each block, it did not). With
// `upper`, row r's run starts at the multiple of four at or below r.
template <class V>
NORMDYN_INLINE void exp_rows(Index first_row, Index rows, Index n, double* c, Index ldc, bool upper, double beta) {
    for (Index r = first_row; r < first_row + rows; ++r) {
        const Index from = upper ? r / 4 * 4 : 0;
        exp_span<V>(c + r * ldc + from, n - from, beta, beta);
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
        if (exp_beta) exp_rows<Lanes>(i, rows, n, c, ldc, upper, *exp_beta);
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
        if (exp_beta) exp_rows<Lanes8>(i, rows, n, c, ldc, upper, *exp_beta);
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
