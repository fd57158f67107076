// Four double lanes, and the run-time choice of instruction set for the double paths (private to the library:
// the kernel's exponentials, the particle system's token loops, dop853's passes).
//
// NORMDYN_CLONED marks a function that GCC compiles twice, for x86-64-v3 (AVX2 registers, FMA) and for the
// baseline x86-64 the library is built for (SSE2), with a resolver that picks at load time the clone the CPU
// runs. Configure with -DNORMDYN_BASELINE_ONLY=ON to compile the baseline alone: the way to test it on a
// machine that has AVX2 (the resolver would always pick the other clone there).
#pragma once

#include <cstdint>

#if defined(NORMDYN_BASELINE_ONLY) || !defined(__x86_64__)
#define NORMDYN_CLONED
#else
#define NORMDYN_CLONED __attribute__((target_clones("arch=x86-64-v3", "default")))
#endif

namespace normdyn::detail {

/// Four doubles in GCC's vector extension: AVX2 registers in the x86-64-v3 clone, two SSE2 halves otherwise.
using Lanes = double __attribute__((vector_size(32)));
using LaneBits = std::int64_t __attribute__((vector_size(32)));

}  // namespace normdyn::detail
