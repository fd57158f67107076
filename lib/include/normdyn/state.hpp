// The solver's state vectors: std::vectors whose storage starts on a 64-byte boundary and, for builtin
// scalars, comes from the library's pool of state blocks. Shared by the model (workspaces) and the solver
// (states, stages), so neither includes the other to learn it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <type_traits>
#include <vector>

namespace normdyn::detail {
/// A block of `bytes` on a 64-byte boundary from the library's pool of state blocks (src/kernels/state_memory.cpp):
/// freed blocks are kept and reused, so repeated solves do not fault their pages in again.
void* state_allocate(std::size_t bytes);
void state_deallocate(void* p, std::size_t bytes) noexcept;
}  // namespace normdyn::detail

namespace normdyn {

/// Allocates on 64-byte boundaries (a cache line), so that the double paths' four-lane loads (32 bytes)
/// never straddle two lines; malloc's blocks start on 16, where one such load in two does.
/// Trivially copyable scalars (double, long double, float128) come from the library's pool of state blocks.
template <class T> struct AlignedAllocator {
    using value_type = T;
    static constexpr std::size_t alignment = std::max<std::size_t>(64, alignof(T));
    static constexpr bool pooled = std::is_trivially_copyable_v<T> && alignment == 64;

    AlignedAllocator() noexcept = default;
    template <class U> AlignedAllocator(const AlignedAllocator<U>&) noexcept {}

    T* allocate(std::size_t count) {
        if (count > std::size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
        if constexpr (pooled) return static_cast<T*>(normdyn::detail::state_allocate(count * sizeof(T)));
        return static_cast<T*>(::operator new(count * sizeof(T), std::align_val_t(alignment)));
    }
    void deallocate(T* p, std::size_t count) noexcept {
        if constexpr (pooled) {
            normdyn::detail::state_deallocate(p, count * sizeof(T));
            return;
        }
        ::operator delete(p, count * sizeof(T), std::align_val_t(alignment));
    }
    template <class U> bool operator==(const AlignedAllocator<U>&) const noexcept { return true; }
};

/// The solver's state vectors (the working state, the stages), which it hands the vector field as spans.
template <class T> using State = std::vector<T, AlignedAllocator<T>>;

}  // namespace normdyn
