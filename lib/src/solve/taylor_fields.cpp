// The right-hand sides of the model's two systems recorded on a Taylor tape. The formulas are those of
// model/equiangular.cpp and model/particle_system.cpp, written on series instead of numbers; the speed
// factor and radial law of each scheme (spec §2's table, model/scheme.cpp) are in scheme_on_tape().
#include "normdyn/solve/taylor.hpp"

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/scalar.hpp"

#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>

namespace normdyn::solve {

namespace {

using taylor::NodeId;
using taylor::Tape;
using model::SchemeKind;

/// A node computed on first use, then shared.
class LazyNode {
public:
    explicit LazyNode(std::function<NodeId()> make) : make_(std::move(make)) {}
    NodeId operator()() {
        if (!node_) node_ = make_();
        return *node_;
    }

private:
    std::function<NodeId()> make_;
    std::optional<NodeId> node_;
};

/// s_j and ρ_j on the tape; no node means s = 1 (speed) or ρ = 0 (radial).
struct SchemeNodes {
    std::optional<NodeId> speed, radial;
    bool speed_is_radius = false;  ///< s = r exactly (Pre-LN, Mix-LN after τ): r/s = 1
};

// Spec §2's table, the columns "speed factor s_j(t)" and "radial law ρ_j" (as model/scheme.cpp).
template <class T>
SchemeNodes scheme_on_tape(Tape<T>& tape, const model::Scheme<T>& scheme, bool after_switch, NodeId radius,
                           LazyNode& inner, LazyNode& attention_norm) {
    SchemeNodes s;
    switch (scheme.kind) {
        case SchemeKind::post_ln: break;
        case SchemeKind::pre_ln:
            s.speed = radius, s.speed_is_radius = true, s.radial = inner();
            break;
        case SchemeKind::mix_ln:
            if (after_switch) s.speed = radius, s.speed_is_radius = true, s.radial = inner();
            break;
        case SchemeKind::peri_ln:
            s.speed = tape.mul(radius, attention_norm());
            s.radial = tape.div(inner(), attention_norm());
            break;
        case SchemeKind::ngpt: s.speed = tape.scale(T(1) / scheme.alpha, attention_norm()); break;
        case SchemeKind::ln_scaling: s.speed = tape.sqrt(tape.offset(tape.time(), T(1))); break;
    }
    return s;
}

template <class T> void check_supported(const model::Scheme<T>& scheme) {
    if (scheme.kind == SchemeKind::ngpt && scheme.alpha_schedule)
        throw std::invalid_argument("stepper taylor: nGPT needs a constant alpha (no time-dependent schedule)");
}

// Spec §4 in u = 1 − γ, w = e^{−βu} (model/equiangular.hpp):
//   du/dt = −2 u (n − (n−1) u) w / ((1 + (n−1) w) s),   dr/dt = ρ.
template <class T> std::unique_ptr<Tape<T>> equiangular_tape(const model::EquiangularSystem<T>& system, bool after) {
    const auto& scheme = system.scheme();
    check_supported(scheme);
    const std::size_t n = system.tokens();
    const T m = T(n - 1);
    auto tape = std::make_unique<Tape<T>>();
    Tape<T>& t = *tape;
    const NodeId u = t.variable(0), r = t.variable(1);
    const NodeId w = t.exp(t.scale(-system.beta(), u));
    const NodeId gamma = t.offset(t.scale(T(-1), u), T(1));
    const NodeId denominator = t.offset(t.scale(m, w), T(1));
    const NodeId gamma_w = t.mul(gamma, w);
    LazyNode inner([&] { return t.div(t.offset(t.scale(m, gamma_w), T(1)), denominator); });
    LazyNode attention_norm([&] {
        const NodeId far = t.mul(t.mul(w, w), t.offset(t.scale(T(n - 2), gamma), T(1)));
        const NodeId numerator = t.offset(t.add(t.scale(2 * m, gamma_w), t.scale(m, far)), T(1));
        return t.sqrt(t.div(numerator, t.mul(denominator, denominator)));
    });
    const NodeId drift = t.div(t.scale(T(2), t.mul(t.mul(u, t.offset(t.scale(-m, u), T(n))), w)), denominator);
    const SchemeNodes s = scheme_on_tape(t, scheme, after, r, inner, attention_norm);
    NodeId du = t.scale(T(-1), drift);
    if (s.speed) {
        t.require_above(*s.speed, T(0), "singular speed factor s");
        du = t.scale(T(-1), t.div(drift, *s.speed));
    }
    const NodeId dr = s.radial ? *s.radial : t.constant(T(0));
    t.set_outputs({du, dr});
    return tape;
}

/// θ_j ↦ M θ_j on the tape (M empty: the identity).
template <class T>
std::vector<NodeId> mapped(Tape<T>& t, const std::optional<model::RowMatrix<T>>& matrix, const std::vector<NodeId>& row) {
    if (!matrix) return row;
    std::vector<NodeId> out;
    for (Eigen::Index i = 0; i < matrix->rows(); ++i) {
        std::vector<NodeId> nodes;
        std::vector<T> weights;
        for (Eigen::Index l = 0; l < matrix->cols(); ++l)
            if ((*matrix)(i, l) != 0) nodes.push_back(row[std::size_t(l)]), weights.push_back((*matrix)(i, l));
        out.push_back(nodes.empty() ? t.constant(T(0)) : t.linear(nodes, weights));
    }
    return out;
}

template <class T>
NodeId dot_rows(Tape<T>& t, const std::vector<NodeId>& a, const std::vector<NodeId>& b) {
    std::vector<std::pair<NodeId, NodeId>> pairs;
    for (std::size_t i = 0; i < a.size(); ++i) pairs.emplace_back(a[i], b[i]);
    return t.dot(pairs);
}

// Spec §1–2, ambient form (model/particle_system.hpp): θ_j = x_j/|x_j|, A_j = Σ_k e^{β<Qθ_j,Kθ_k> − m_j} Vθ_k / Z_j
// with the softmax shift m_j (the row maximum at the start of the step) held constant over the step, and
// dx_j/dt = (r_j / s_j)(A_j − <θ_j, A_j> θ_j) + ρ_j θ_j.
template <class T> std::unique_ptr<Tape<T>> particle_tape(const model::ParticleSystem<T>& system, bool after) {
    const auto& scheme = system.scheme();
    check_supported(scheme);
    const auto& attention = system.attention();
    const std::size_t n = system.tokens(), d = system.dimension();
    auto tape = std::make_unique<Tape<T>>();
    Tape<T>& t = *tape;
    std::vector<std::vector<NodeId>> x(n), theta(n), queries, keys, values;
    std::vector<NodeId> radius(n);
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < d; ++i) x[j].push_back(t.variable(j * d + i));
        radius[j] = t.sqrt(dot_rows(t, x[j], x[j]));
        t.require_above(radius[j], T(0), "token radius");
        for (std::size_t i = 0; i < d; ++i) theta[j].push_back(t.div(x[j][i], radius[j]));
    }
    for (std::size_t j = 0; j < n; ++j) {
        queries.push_back(mapped(t, attention.query(), theta[j]));
        keys.push_back(mapped(t, attention.key(), theta[j]));
        values.push_back(mapped(t, attention.value(), theta[j]));
    }
    const bool symmetric = !attention.query() && !attention.key();
    std::vector<std::vector<NodeId>> logits(n, std::vector<NodeId>(n));
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t k = 0; k < n; ++k) {
            if (symmetric && k < j) logits[j][k] = logits[k][j];
            else if (symmetric && k == j) logits[j][k] = t.constant(attention.beta());  // β <θ_j, θ_j> = β
            else logits[j][k] = t.scale(attention.beta(), dot_rows(t, queries[j], keys[k]));
        }
    const T singular_norm = []{ using std::sqrt; return sqrt(std::numeric_limits<T>::min()); }();
    std::vector<NodeId> outputs(n * d);
    for (std::size_t j = 0; j < n; ++j) {
        const NodeId shift = t.step_max(logits[j]);
        std::vector<NodeId> weights;
        for (std::size_t k = 0; k < n; ++k) weights.push_back(t.exp(t.sub(logits[j][k], shift)));
        const NodeId partition = t.linear(weights, std::vector<T>(n, T(1)));
        std::vector<NodeId> a(d);
        for (std::size_t i = 0; i < d; ++i) {
            std::vector<std::pair<NodeId, NodeId>> pairs;
            for (std::size_t k = 0; k < n; ++k) pairs.emplace_back(weights[k], values[k][i]);
            a[i] = t.div(t.dot(pairs), partition);
        }
        LazyNode inner([&] { return dot_rows(t, theta[j], a); });
        LazyNode attention_norm([&] {
            const NodeId norm = t.sqrt(dot_rows(t, a, a));
            t.require_above(norm, singular_norm, "singular speed factor: |A_j| of token " + std::to_string(j));
            return norm;
        });
        const SchemeNodes s = scheme_on_tape(t, scheme, after, radius[j], inner, attention_norm);
        std::optional<NodeId> tangent_scale;  // r_j / s_j; none when it is exactly 1
        if (!s.speed) tangent_scale = radius[j];
        else if (!s.speed_is_radius) tangent_scale = t.div(radius[j], *s.speed);
        for (std::size_t i = 0; i < d; ++i) {
            NodeId v = t.sub(a[i], t.mul(inner(), theta[j][i]));
            if (tangent_scale) v = t.mul(*tangent_scale, v);
            if (s.radial) v = t.add(v, t.mul(*s.radial, theta[j][i]));
            outputs[j * d + i] = v;
        }
    }
    t.set_outputs(std::move(outputs));
    return tape;
}

}  // namespace

template <class T> bool has_taylor_tape(const model::VectorField<T>& field) {
    return dynamic_cast<const model::EquiangularSystem<T>*>(&field) != nullptr ||
           dynamic_cast<const model::ParticleSystem<T>*>(&field) != nullptr;
}

template <class T>
std::unique_ptr<taylor::Tape<T>> record_taylor_tape(const model::VectorField<T>& field, bool after_switch) {
    if (const auto* equiangular = dynamic_cast<const model::EquiangularSystem<T>*>(&field))
        return equiangular_tape(*equiangular, after_switch);
    if (const auto* particles = dynamic_cast<const model::ParticleSystem<T>*>(&field))
        return particle_tape(*particles, after_switch);
    throw std::invalid_argument("stepper taylor: supports the equiangular and the n-particle systems only");
}

template <class T> const model::Scheme<T>* scheme_of(const model::VectorField<T>& field) {
    if (const auto* equiangular = dynamic_cast<const model::EquiangularSystem<T>*>(&field)) return &equiangular->scheme();
    if (const auto* particles = dynamic_cast<const model::ParticleSystem<T>*>(&field)) return &particles->scheme();
    return nullptr;
}

#define NORMDYN_INSTANTIATE(T)                                                                        \
    template bool has_taylor_tape<T>(const model::VectorField<T>&);                                   \
    template std::unique_ptr<taylor::Tape<T>> record_taylor_tape<T>(const model::VectorField<T>&, bool); \
    template const model::Scheme<T>* scheme_of<T>(const model::VectorField<T>&);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::solve
