// Matrix products for the attention kernel's small problems (private to the library).
//
// At n = 32 tokens in d = 64 one right-hand side is ~200 k flops, and OpenBLAS spends as long packing its
// operands, zeroing C for β = 0 and dispatching as its inner kernel spends multiplying. These products
// work on the row-major operands in place (no packing, no copy) with register blocks of four-lane
// vectors, and fuse what the kernel does next into the store: the exponentials of the shared-shift
// weights, the division by the row sums. Cloned for x86-64-v3 (AVX2 + FMA) and baseline (simd.hpp), and
// written a second time in eight-lane AVX-512 registers where the CPU has them (wide_lanes();
// docs/performance.md), with the same bits: A Bᵀ holds two columns' four lanes
// in one register, A B runs eight columns per register.
// Each entry is one fixed computation whatever the size of the problem around it: a dot product in four
// interleaved lanes summed as (l0 + l1) + (l2 + l3) (A Bᵀ), or a plain left-to-right sum (A B).
#pragma once

#include <cstddef>

namespace normdyn::detail {

/// C (m × n) = A Bᵀ, A being m × k and B n × k, all row-major with leading dimensions. With `upper` (m = n),
/// only the blocks that meet the upper triangle are written: every entry on and above the diagonal, and
/// some below it (up to seven per row, exponentiated or not), which the caller overwrites. With `exp_beta`, C
/// holds exp(β c − β) for β = *exp_beta (the shared-shift weights of unit rows).
void small_product_nt(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const double* a, std::ptrdiff_t lda,
                      const double* b, std::ptrdiff_t ldb, double* c, std::ptrdiff_t ldc, bool upper,
                      const double* exp_beta);

/// C (m × n) = diag(1/s) A B, A being m × k and B k × n, row-major with leading dimensions, s = row_divisor
/// (m entries), or ones when it is null. Each entry is (Σ_p a_ip b_pj, p = 0 … k − 1 in order) × (1 / s_i).
void small_product_nn(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const double* a, std::ptrdiff_t lda,
                      const double* b, std::ptrdiff_t ldb, double* c, std::ptrdiff_t ldc, const double* row_divisor);

}  // namespace normdyn::detail
