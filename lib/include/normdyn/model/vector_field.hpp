// The interface the solver integrates: dx/dt = f(x, t) on a flat state vector.
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace normdyn::detail {
/// A block of `bytes` on a 64-byte boundary from the library's pool of state blocks (src/state_memory.cpp):
/// freed blocks are kept and reused, so repeated solves do not fault their pages in again.
void* state_allocate(std::size_t bytes);
void state_deallocate(void* p, std::size_t bytes) noexcept;
}  // namespace normdyn::detail

namespace normdyn::model {

/// Allocates on 64-byte boundaries (a cache line), so that the double paths' four-lane loads (32 bytes)
/// never straddle two lines; malloc's blocks start on 16, where one such load in two does. Measured, n = 32
/// tokens in d = 64, dop853 in one process: 9.9 → 9.35 µs per evaluation (Post-LN), 10.9 → 10.15 (Pre-LN).
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

/// Thrown by a vector field when it cannot be evaluated (e.g. Peri-LN's speed factor r|A_j| vanishes).
/// The solver catches it and stops with status partial and this reason, keeping the last good state.
class FieldSingularity : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

template <class T> class VectorField {
public:
    using State = model::State<T>;
    virtual ~VectorField() = default;

    /// dxdt = f(x, t), both of the state's size: any contiguous storage (the solver passes its States).
    virtual void operator()(std::span<const T> x, std::span<T> dxdt, const T& t) = 0;

    /// Times where the right-hand side is discontinuous in t (Mix-LN's switch τ); the solver stops there.
    virtual std::vector<T> breakpoints() const { return {}; }

    /// The solver integrates [t_start, t_end] with no breakpoint inside: the field evaluates its regime
    /// (before or after a switch) for this whole segment, so stages at the end points use the right law.
    virtual void begin_segment(const T& t_start, const T& t_end) { (void)t_start; (void)t_end; }
    /// Back to deciding the regime pointwise from t (a solver that ignores breakpoints sees the jump).
    virtual void end_segments() {}
};

}  // namespace normdyn::model
