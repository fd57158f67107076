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

// Four rows of C = diag(scale) A B, columns j … j + 4 NV (or the last `partial` < 4 columns, NV = 1), the sum
// over p in order.
template <int NV>
NORMDYN_INLINE void nn_block(const double* const a[4], Index k, const double* b, Index ldb, double* const c[4],
                             const double scale[4], Index partial) {
    Lanes acc[4][NV] = {};
    for (Index p = 0; p < k; ++p) {
        Lanes y[NV];
        for (int v = 0; v < NV; ++v) y[v] = partial ? load_partial(b + p * ldb, partial) : load(b + p * ldb + 4 * v);
        for (int r = 0; r < 4; ++r) {
            const double w = a[r][p];
            for (int v = 0; v < NV; ++v) acc[r][v] += w * y[v];
        }
    }
    for (int r = 0; r < 4; ++r)
        if (c[r])
            for (int v = 0; v < NV; ++v) store(c[r] + 4 * v, acc[r][v] * scale[r], partial ? partial : 4);
}

}  // namespace

NORMDYN_CLONED void small_product_nt(Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb,
                                     double* c, Index ldc, bool upper, const double* exp_beta) {
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
        // The exponentials after the group's products, as one run of independent lanes per row: exp's chain
        // of 14 multiply-adds then overlaps from one set of lanes to the next (after each block, it did not).
        // With `upper`, row r's run starts at the multiple of four at or below r.
        if (exp_beta)
            for (Index r = i; r < i + rows; ++r) {
                const Index from = upper ? r / 4 * 4 : 0;
                exp_span(c + r * ldc + from, n - from, *exp_beta, *exp_beta);
            }
    }
}

NORMDYN_CLONED void small_product_nn(Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb,
                                     double* c, Index ldc, const double* row_divisor) {
    for (Index i = 0; i < m; i += 4) {
        const double* rows[4];
        double scale[4];
        for (Index r = 0; r < 4; ++r) {
            rows[r] = a + std::min(i + r, m - 1) * lda;  // rows past m are read, not written
            scale[r] = row_divisor ? 1.0 / row_divisor[std::min(i + r, m - 1)] : 1.0;
        }
        // Columns in blocks of 12, then of 8, then of 4: 16 left over run as two blocks of 8 rather than 12 + 4,
        // since a block of 4 has four chains of multiply-adds, too few to hide their latency.
        Index j = 0;
        for (; n - j >= 12 && n - j != 16; j += 12) {
            double* out[4];
            for (Index r = 0; r < 4; ++r) out[r] = i + r < m ? c + (i + r) * ldc + j : nullptr;
            nn_block<3>(rows, k, b + j, ldb, out, scale, 0);
        }
        for (; n - j >= 8; j += 8) {
            double* out[4];
            for (Index r = 0; r < 4; ++r) out[r] = i + r < m ? c + (i + r) * ldc + j : nullptr;
            nn_block<2>(rows, k, b + j, ldb, out, scale, 0);
        }
        for (; j < n; j += 4) {
            double* out[4];
            for (Index r = 0; r < 4; ++r) out[r] = i + r < m ? c + (i + r) * ldc + j : nullptr;
            nn_block<1>(rows, k, b + j, ldb, out, scale, n - j < 4 ? n - j : 0);
        }
    }
}

}  // namespace normdyn::detail
