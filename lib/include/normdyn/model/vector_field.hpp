// The interface the solver integrates: dx/dt = f(x, t) on a flat state vector.
#pragma once

#include "normdyn/state.hpp"

#include <span>
#include <stdexcept>
#include <vector>

namespace normdyn::model {

/// The solver's state vectors (normdyn/state.hpp), here as the vector field sees them.
using normdyn::State;

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
