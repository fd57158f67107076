// The run-time settings of the double kernels (include/normdyn/runtime.hpp): threads, lanes, and which BLAS
// multiplies. Compiled with the kernel files' flags (OpenMP for the default thread count, OpenBLAS's headers).
#include "normdyn/runtime.hpp"

#include "kernels/simd.hpp"

#include <atomic>

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef NORMDYN_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace normdyn::detail {

namespace {

std::atomic<bool> four_lanes_requested{false};

}  // namespace

bool wide_lanes() {
#ifdef NORMDYN_HAVE_WIDE
    static const bool cpu_runs_them = __builtin_cpu_supports("x86-64-v4");
    return cpu_runs_them && !four_lanes_requested.load(std::memory_order_relaxed);
#else
    return false;
#endif
}

}  // namespace normdyn::detail

namespace normdyn {

namespace {

std::atomic<int> requested_threads{0};

}  // namespace

void set_kernel_threads(int threads) { requested_threads.store(threads > 0 ? threads : 0); }

void set_kernel_lanes(int lanes) { detail::four_lanes_requested.store(lanes == 4); }

int kernel_lanes() { return detail::wide_lanes() ? 8 : 4; }

int kernel_threads() {
#ifdef _OPENMP
    const int requested = requested_threads.load();
    return requested > 0 ? requested : omp_get_max_threads();
#else
    return 1;
#endif
}

const char* kernel_backend() {
#ifdef NORMDYN_HAVE_OPENBLAS
    return "openblas";
#else
    return "eigen";
#endif
}

const char* kernel_blas_core() {
#ifdef NORMDYN_HAVE_OPENBLAS
    return openblas_get_corename();
#else
    return "eigen";
#endif
}

}  // namespace normdyn
