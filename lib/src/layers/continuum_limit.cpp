#include "normdyn/layers/continuum_limit.hpp"

#include "normdyn/layers/layer.hpp"
#include "normdyn/model/particle_system.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace normdyn::layers {

using model::SchemeKind;

solve::SolveOptions<double> ContinuumLimitOptions::tight_reference() {
    solve::SolveOptions<double> options;
    options.stepper = solve::Stepper::rkf78;
    options.rtol = 1e-13;
    options.atol = 1e-15;
    return options;
}

namespace {

std::vector<double> flatten(const Matrix& x) { return std::vector<double>(x.data(), x.data() + x.size()); }

// The ODE solution at T (spec §2 ambient form), stopping at Mix-LN's τ.
Matrix reference_solution(const Matrix& x0, const ContinuumLimitOptions& options,
                          const solve::SolveOptions<double>& solver, solve::SolveStats* stats) {
    model::ParticleSystem<double> system(std::size_t(x0.rows()), std::size_t(x0.cols()), options.scheme,
                                         model::Attention<double>(options.beta));
    const auto solution = solve::solve<double>(system, flatten(x0), 0.0, options.t_end, solver);
    if (solution.status != solve::SolveStatus::done)
        throw std::runtime_error("reference solve stopped at t = " + std::to_string(solution.t_reached) + ": " +
                                 solution.reason);
    if (stats) *stats = solution.stats;
    return Eigen::Map<const Matrix>(solution.final_state.data(), x0.rows(), x0.cols());
}

double token_error(const Matrix& a, const Matrix& b) { return (a - b).rowwise().norm().maxCoeff(); }

// The schemes that keep the radius, and Mix-LN before τ: the layers put tokens on the unit sphere (plain N).
bool needs_unit_start(const model::Scheme<double>& scheme) {
    return model::keeps_radius(scheme.kind) || (model::scheme_row(scheme.kind).switches && scheme.tau > 0);
}

std::size_t layer_count(double t_end, double step) {
    const double layers = t_end / step;
    const double rounded = std::round(layers);
    if (!(rounded >= 1) || std::abs(layers - rounded) > 1e-9 * rounded) {
        std::ostringstream os;
        os << "--h: T/h must be a positive integer, got T = " << t_end << ", h = " << step;
        throw std::invalid_argument(os.str());
    }
    return std::size_t(rounded);
}

Matrix discrete_solution(const Matrix& x0, const ContinuumLimitOptions& options, double step, std::size_t layers) {
    LayerMap map;
    map.scheme = options.scheme.kind;
    map.step = step;
    map.tau = options.scheme.tau;
    map.alpha = options.scheme.alpha;  // Normalization defaults to plain x/|x|
    const auto d = std::size_t(x0.cols());
    LayerStack stack(DiscreteLayer(map, MultiHeadAttention(options.beta)), WeightSchedule(WeightKind::identity, d, 1, 0));
    Matrix x = x0;
    try {
        while (stack.layers_applied() < layers) stack.advance(x);
    } catch (const std::domain_error& e) {
        throw std::runtime_error("layer " + std::to_string(stack.layers_applied()) + " at h = " + std::to_string(step) +
                                 ": " + e.what());
    }
    return x;
}

}  // namespace

ContinuumLimit continuum_limit(const Matrix& x0, const ContinuumLimitOptions& options) {
    if (options.scheme.alpha_schedule) throw std::invalid_argument("continuum_limit: a constant nGPT alpha only");
    if (needs_unit_start(options.scheme) && ((x0.rowwise().norm().array() - 1).abs() > 1e-12).any())
        throw std::invalid_argument("--init: " + model::to_string(options.scheme.kind) +
                                    " layers normalise tokens onto the unit sphere while its ODE keeps |x_j(0)|: "
                                    "start from unit tokens (e.g. --init uniform --r0 1)");
    ContinuumLimit study;
    const Matrix reference = reference_solution(x0, options, options.reference, &study.reference_stats);
    auto looser = options.reference;
    looser.rtol *= 100;
    looser.atol *= 100;
    study.reference_error = token_error(reference, reference_solution(x0, options, looser, nullptr));

    std::vector<double> steps, errors;
    for (double step : options.steps) {
        const std::size_t layers = layer_count(options.t_end, step);
        if (options.scheme.kind == SchemeKind::ngpt && !(step * options.scheme.alpha < 1))
            throw std::invalid_argument("--alpha: nGPT layers need h alpha < 1, got h = " + std::to_string(step));
        if (model::scheme_row(options.scheme.kind).switches) {
            const double switches = options.scheme.tau / step;
            if (std::abs(switches - std::round(switches)) > 1e-9 * std::max(1.0, switches))
                study.notes.push_back("h = " + std::to_string(step) + ": tau/h is not an integer; the switch layer is "
                                      "rounded (an O(h) displacement)");
        }
        const double error = token_error(discrete_solution(x0, options, step, layers), reference);
        study.points.push_back({step, layers, error});
        steps.push_back(step);
        errors.push_back(error);
    }
    study.order = measure::fit_order(steps, errors, 1.0, study.reference_error);
    return study;
}

}  // namespace normdyn::layers
