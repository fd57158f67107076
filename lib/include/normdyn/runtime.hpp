// Run-time settings of the double-precision kernels (attention, observables, the token loops, dop853's
// passes): how many threads, how many lanes, and which BLAS multiplies. Results never depend on the thread
// count; lanes keep the four-lane bits (see each setting). Kept apart from the model, so that the solver
// learns a thread count without including the attention.
#pragma once

namespace normdyn {

/// Threads the double-precision kernels may use; 0 (the default) means OpenMP's default
/// (omp_get_max_threads(), i.e. OMP_NUM_THREADS or the number of cores). Results do not depend on it:
/// the work is cut into tiles chosen from the problem size alone. Small problems run on one thread.
void set_kernel_threads(int threads);
/// The number of threads a large kernel call uses now (1 when built without OpenMP).
int kernel_threads();
/// Lanes the double kernels' small products may use: 0 (the default) the widest the CPU runs, eight doubles
/// with AVX-512 (x86-64-v4), else four; 4 asks for four. Problems of one tile with n² d ≤ 2^18 (32 tokens in
/// d ≤ 256) take the small products either way, with the same bits; in eight lanes, tiles up to
/// size² d ≤ 2^23 for n ≤ 1024 do too, where four lanes multiply with OpenBLAS (other last bits).
void set_kernel_lanes(int lanes);
/// The lanes the small products use now: 8 or 4.
int kernel_lanes();
/// Whether the double kernels call an optimised BLAS ("openblas") or Eigen's own products ("eigen").
const char* kernel_backend();
/// The BLAS's own name for the kernels it picked on this CPU (OpenBLAS: openblas_get_corename(), which
/// OPENBLAS_CORETYPE overrides); "eigen" without a BLAS.
const char* kernel_blas_core();

}  // namespace normdyn
