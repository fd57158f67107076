// The equiangular system (spec §4) as the reproduce sections use it: one scheme integrated in u = 1 − γ
// with a pure relative tolerance, sampled at given times. A run that cannot finish throws: a figure is
// drawn from a complete run or not at all.
#pragma once

#include "normdyn/model/init.hpp"
#include "normdyn/model/scheme.hpp"

#include <cstddef>
#include <vector>

namespace normdyn::cli::reproduce {

struct EquiangularRun {
    model::SchemeKind kind{};
    std::vector<double> t, u, r;  ///< u = 1 − γ at each sample time
    std::size_t rhs_evals = 0;
    /// r at time t (linear interpolation between samples).
    double r_at(double time) const;
};

/// Integrates from the orthonormal start (u = 1, r = r0) and samples at `times` (increasing, ≥ 0).
/// dopri5, rtol 1e-10, atol 0. Throws std::runtime_error naming the scheme when the solver stops early.
EquiangularRun integrate_equiangular(model::SchemeKind kind, std::size_t n, double beta, double r0, double tau,
                                     double alpha, const std::vector<double>& times, double rtol = 1e-10);

/// An initial condition of the given kind (no parameters).
inline model::InitSpec init_spec(model::InitKind kind) {
    model::InitSpec spec;
    spec.kind = kind;
    return spec;
}

}  // namespace normdyn::cli::reproduce
