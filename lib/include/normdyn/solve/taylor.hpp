// The Taylor-series integrator (`--stepper taylor`): automatic Taylor coefficients of the right-hand side
// (taylor_tape.hpp), with order and step chosen from the tolerance as in Jorba & Zou, "A software package
// for the numerical integration of ODEs by means of high-order Taylor methods", Exp. Math. 14 (2005), §3.2,
// applied per component with the solver's tolerance tol_i = atol + rtol |x_i| (not on ‖x‖∞, which would
// let a component far smaller than the others, u = 1 − γ beside r, lose every digit):
//   ε = min(1, min_i tol_i / |x_i|);   order p = ⌈−½ ln ε + 1⌉;   s_i = tol_i / ε;
//   ρ = min_i min_{j = p−1, p} (s_i / |x_ij|)^{1/j};   h = ρ / e² · exp(−0.7 / (p − 1)).
// It knows the structure of the two systems of the model (the equiangular reduction of spec §4 in u = 1 − γ,
// and the full n-particle system of spec §2 in ambient form) and records their right-hand side on a tape.
#pragma once

#include "normdyn/model/scheme.hpp"
#include "normdyn/model/vector_field.hpp"
#include "normdyn/solve/taylor_tape.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace normdyn::solve {

/// Records the right-hand side of `field` on a tape for one regime (Mix-LN before or after its switch).
/// Supports model::EquiangularSystem and model::ParticleSystem (any Q, K, V; nGPT with a constant α);
/// throws std::invalid_argument for any other field. The scheme table of spec §2 lives in taylor_fields.cpp.
template <class T> std::unique_ptr<taylor::Tape<T>> record_taylor_tape(const model::VectorField<T>& field,
                                                                        bool after_switch);

/// The equiangular system's right-hand side (spec §4, in u = 1 − γ) on a tape for n tokens, β and the scheme,
/// in one regime; also instantiated for certify::interval (the validated integrator's Taylor coefficients).
template <class T>
std::unique_ptr<taylor::Tape<T>> record_equiangular_tape(std::size_t n, const T& beta, const model::Scheme<T>& scheme,
                                                         bool after_switch);

/// Whether the field's right-hand side has a Taylor tape (record_taylor_tape would succeed).
template <class T> bool has_taylor_tape(const model::VectorField<T>& field);

/// The scheme of a field that has a Taylor tape, else nullptr.
template <class T> const model::Scheme<T>* scheme_of(const model::VectorField<T>& field);

template <class T> class TaylorIntegrator {
public:
    TaylorIntegrator(const model::VectorField<T>& field, T atol, T rtol);

    /// The Mix-LN regime of the steps that follow: fixed for a segment between breakpoints, or (none)
    /// decided from the time at the start of each step (a run that ignores breakpoints).
    void set_regime(std::optional<bool> after_switch) { segment_regime_ = after_switch; }

    /// One step from (x, t) of length at most max_step (> 0). Advances x and returns the step taken; it
    /// equals max_step exactly when the step lands on the stop. Throws model::FieldSingularity when the
    /// right-hand side is singular at (x, t).
    T step(model::State<T>& x, const T& t, const T& max_step);
    /// The last step's Taylor polynomials at offset `offset` from its start (0 < offset ≤ the step): the
    /// method's own continuous extension, within the step's tolerance anywhere in the step (its terms
    /// shrink like (offset/ρ)^k, the step's bound being the worst case). Lets output times leave the steps alone.
    void evaluate(const T& offset, model::State<T>& out) const;

    /// Order p of the Taylor polynomials (fixed by the tolerance).
    std::size_t order() const { return order_; }
    /// Passes over the tape so far (each costs about one right-hand side evaluation on series).
    std::size_t coefficient_passes() const { return passes_; }

private:
    taylor::Tape<T>& tape_for(bool after_switch);
    T relative_accuracy(std::span<const T> x) const;
    T step_size(std::span<const T> x, const T& epsilon) const;

    const model::VectorField<T>& field_;
    const model::Scheme<T>& scheme_;
    T atol_, rtol_;
    std::size_t order_ = 0;
    std::size_t passes_ = 0;
    std::optional<bool> segment_regime_;
    std::unique_ptr<taylor::Tape<T>> tapes_[2];
    std::vector<std::vector<T>> series_;
};

}  // namespace normdyn::solve
