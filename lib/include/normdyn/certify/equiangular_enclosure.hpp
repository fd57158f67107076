// A validated interval Taylor integrator for the equiangular system of spec §4 (state u = 1 − γ and r).
// Each step from the box X_j at t_j:
//   1. Taylor coefficients c_0..c_p at the box's midpoint x̂ in interval arithmetic, on the same tape the
//      Taylor stepper uses (solve::record_equiangular_tape over certify::interval);
//   2. an a-priori enclosure B ⊇ {x(t; x0): x0 ∈ X_j, t ∈ [t_j, t_j + h]} by Picard–Lindelöf: a box with
//      X_j + [0, h]·f(B, [t_j, t_j + h]) ⊆ B, checked in intervals (the speed factor of the scheme's law
//      must be strictly positive on B, spec §2);
//   3. the Lagrange remainder c_{p+1}(B) h^{p+1} from the tape expanded over B and the step's times (the
//      coefficient p + 1 of the solution through every point of B);
//   4. the mean-value form against the wrapping of the box (Lohner): x(t_j + h; x0) = x(t_j + h; x̂) + Φ (x0 − x̂),
//      Φ ∈ I + [0, h] Df(B) Φ̃ with Df(B) from order-1 interval series through the model's own field and
//      laws, and Φ̃ = I + [−E, E], E = e^{L h} − 1, L the ∞-norm of Df(B) (Gronwall).
// Steps land on the output times, on Mix-LN's τ (a new regime from there) and on T. The run stops as
// `partial`, never with a wrong enclosure, when the speed factor's enclosure holds 0, the step size
// underflows, or the enclosure grows wider than allowed. References: Moore (1966); Lohner (1987);
// Nedialkov, Jackson & Corliss, Appl. Math. Comput. 105 (1999).
#pragma once

#include "normdyn/certify/interval.hpp"
#include "normdyn/model/scheme.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace normdyn::certify {

/// The equiangular problem with its reals as decimal text (read into intervals at the run's precision).
struct EquiangularCase {
    model::SchemeKind scheme = model::SchemeKind::post_ln;
    std::size_t n = 8;
    std::string beta = "1";
    std::string r0 = "1";
    std::string tau = "1";    ///< Mix-LN's switch time
    std::string alpha = "1";  ///< nGPT's step
    std::string t_end = "10";
    /// Output times in (0, t_end) besides t_end itself (increasing).
    std::vector<std::string> output_times;
    /// Testing hook (empty: without effect): the start's u = 1 − γ as an interval "[lo,hi]" text instead of
    /// the orthonormal start's u = 1; likewise the start radius as r0's text (which may also be "[lo,hi]").
    std::string u0 = "1";
};

struct EnclosureOptions {
    unsigned digits = 60;        ///< decimal digits of the intervals (15: 51 bits, "double width")
    std::size_t order = 0;       ///< Taylor order p; 0: from the precision (Jorba–Zou, p ≈ ½ ln 1/ε)
    double max_width = 1e-2;     ///< a component wider than this stops the run (partial: width growth)
    double min_step = 1e-10;     ///< a step the a-priori enclosure needs shorter than this stops the run
};

/// The enclosure at one output time.
struct EnclosureSample {
    interval t, u, r;
    interval gamma() const { return 1 - u; }
};

struct EquiangularEnclosure {
    bool certified = false;       ///< every requested time reached
    std::string reason;           ///< why the run stopped early (empty when certified)
    interval t_reached;           ///< the time up to which the enclosure holds
    std::vector<EnclosureSample> samples;  ///< at the output times reached, then at t_end when certified
    std::size_t steps = 0, rejected = 0, order = 0;
    unsigned bits = 0, digits = 0;
    double seconds = 0;
};

/// Runs the validated integrator at `options.digits` (the interval precision is restored on return).
/// Throws std::invalid_argument for bad input (n < 2, non-numbers, non-positive t_end).
EquiangularEnclosure enclose_equiangular(const EquiangularCase& problem, const EnclosureOptions& options = {});

/// du/dt, dr/dt and the speed factor s of the equiangular system at (u, r, t) for any arithmetic V: the
/// model's field (model::equiangular_field) and the scheme table's laws, unchanged.
template <class V> struct EquiangularRates {
    V du, dr, speed;
};
template <class V>
EquiangularRates<V> equiangular_rates(model::SchemeKind kind, bool after_switch, std::size_t n, const V& beta,
                                      const V& alpha, const V& u, const V& r, const V& t);

}  // namespace normdyn::certify
