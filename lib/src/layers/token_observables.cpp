#include "normdyn/layers/token_observables.hpp"

#include "normdyn/measure/observables.hpp"
#include "normdyn/model/particle_system.hpp"

#include <stdexcept>
#include <vector>

namespace normdyn::layers {

namespace {

Matrix directions(const Matrix& x) {
    Normalization plain;  // x / |x|, throws on a zero token
    Matrix theta;
    plain.apply(x, theta);
    return theta;
}

}  // namespace

// The geometric observables of measure::observe (cosines, spread, Var, radii, clusters) depend on the state
// alone; a Post-LN system at β = 0 carries them without reference to the layer's own weights. The field
// quantities it also computes (energy, speed) are not used.
TokenObservables observe_tokens(const Matrix& x, double cluster_tolerance) {
    const auto n = std::size_t(x.rows()), d = std::size_t(x.cols());
    model::Scheme<double> scheme;
    scheme.kind = model::SchemeKind::post_ln;
    const model::ParticleSystem<double> carrier(n, d, scheme, model::Attention<double>(0.0));
    const std::vector<double> state(x.data(), x.data() + x.size());  // row-major: x_j contiguous
    measure::Observables<double> o;
    try {
        o = measure::observe(carrier, state, 0.0, {}, cluster_tolerance);
    } catch (const model::FieldSingularity& e) {
        throw std::domain_error(e.what());
    }
    return {o.gamma_min, o.gamma_mean, o.gamma_max, o.spread, o.var, o.radius_mean, o.radius_min, o.clusters};
}

double angular_speed_max(const Matrix& before, const Matrix& after, double step) {
    return (directions(after) - directions(before)).rowwise().norm().maxCoeff() / step;
}

}  // namespace normdyn::layers
