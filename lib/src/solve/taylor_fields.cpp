// The right-hand sides of the model's two systems recorded on a Taylor tape. The attention formulas are
// those of model/equiangular.cpp and model/particle_system.cpp written on series; each scheme's speed factor
// and radial law, and the velocity line of spec §2, are the model's own generic laws (model/scheme.hpp)
// evaluated on TapeValue.
#include "normdyn/solve/taylor.hpp"

#include "normdyn/certify/interval.hpp"

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

/// A value of the generic laws (model/scheme.hpp) on the tape: a constant, folded while recording, or a
/// node, possibly made on first use (a LazyNode). Folding keeps the tape as short as a hand-written one:
/// 1·x = x, 0·x = 0, x + 0 = x, x/1 = x, r/r = 1 (Pre-LN's r_j/s_j), so Post-LN records no speed factor.
template <class T> class TapeValue {
public:
    TapeValue(const T& constant) : constant_(constant) {}
    TapeValue(int constant) : constant_(T(constant)) {}
    TapeValue(Tape<T>& tape, NodeId node) : tape_(&tape), node_(node) {}
    TapeValue(Tape<T>& tape, LazyNode& lazy) : tape_(&tape), lazy_(&lazy) {}

    bool is_constant() const { return tape_ == nullptr; }
    bool is(const T& c) const {
        if constexpr (std::is_same_v<T, certify::interval>) return is_constant() && certify::identical(constant_, c);
        else return is_constant() && constant_ == c;
    }
    const T& constant() const { return constant_; }
    /// The node (made now if lazy); a constant is recorded on `tape`.
    NodeId node(Tape<T>& tape) const {
        if (is_constant()) return tape.constant(constant_);
        return lazy_ ? (*lazy_)() : node_;
    }
    NodeId node() const { return node(*tape_); }

    friend TapeValue operator+(const TapeValue& a, const TapeValue& b) {
        if (a.is_constant() && b.is_constant()) return TapeValue(a.constant_ + b.constant_);
        if (a.is(T(0))) return b;
        if (b.is(T(0))) return a;
        if (b.is_constant()) return {*a.tape_, a.tape_->offset(a.node(), b.constant_)};
        if (a.is_constant()) return {*b.tape_, b.tape_->offset(b.node(), a.constant_)};
        const NodeId x = a.node(), y = b.node();
        return {*a.tape_, a.tape_->add(x, y)};
    }
    friend TapeValue operator-(const TapeValue& a) {
        if (a.is_constant()) return TapeValue(-a.constant_);
        return {*a.tape_, a.tape_->scale(T(-1), a.node())};
    }
    friend TapeValue operator-(const TapeValue& a, const TapeValue& b) {
        if (b.is_constant()) return a + TapeValue(-b.constant_);
        if (a.is_constant()) return -b + a;
        const NodeId x = a.node(), y = b.node();
        return {*a.tape_, a.tape_->sub(x, y)};
    }
    friend TapeValue operator*(const TapeValue& a, const TapeValue& b) {
        if (a.is_constant() && b.is_constant()) return TapeValue(a.constant_ * b.constant_);
        if (a.is(T(0)) || b.is(T(0))) return TapeValue(0);
        if (a.is(T(1))) return b;
        if (b.is(T(1))) return a;
        if (a.is_constant()) return {*b.tape_, b.tape_->scale(a.constant_, b.node())};
        if (b.is_constant()) return {*a.tape_, a.tape_->scale(b.constant_, a.node())};
        const NodeId x = a.node(), y = b.node();
        return {*a.tape_, a.tape_->mul(x, y)};
    }
    friend TapeValue operator/(const TapeValue& a, const TapeValue& b) {
        if (a.is_constant() && b.is_constant()) return TapeValue(a.constant_ / b.constant_);
        if (b.is(T(1))) return a;
        if (b.is_constant()) return {*a.tape_, a.tape_->scale(T(1) / b.constant_, a.node())};
        if (a.same_node(b)) return TapeValue(1);
        const NodeId x = a.node(*b.tape_), y = b.node();
        return {*b.tape_, b.tape_->div(x, y)};
    }
    friend TapeValue sqrt(const TapeValue& a) {
        using std::sqrt;
        if (a.is_constant()) return TapeValue(T(sqrt(a.constant_)));
        return {*a.tape_, a.tape_->sqrt(a.node())};
    }

private:
    bool same_node(const TapeValue& b) const {
        return !is_constant() && !b.is_constant() && !lazy_ && !b.lazy_ && node_ == b.node_;
    }

    Tape<T>* tape_ = nullptr;
    T constant_ = T(0);
    NodeId node_ = 0;
    LazyNode* lazy_ = nullptr;
};

/// s_j and ρ_j of the scheme's laws (model/scheme.hpp) on the tape: the same lines as the numbers run.
template <class T> struct SchemeValues {
    TapeValue<T> speed, radial;
};

template <class T>
SchemeValues<T> scheme_on_tape(Tape<T>& tape, const model::Scheme<T>& scheme, bool after_switch, NodeId radius,
                               LazyNode& inner, LazyNode& attention_norm) {
    const TapeValue<T> r(tape, radius), a(tape, attention_norm), ip(tape, inner), t(tape, tape.time());
    const auto alpha_at = [&](const TapeValue<T>&) { return TapeValue<T>(scheme.alpha); };
    return {model::speed_factor_law(scheme.kind, after_switch, t, r, a, alpha_at),
            model::radial_rate_law(scheme.kind, after_switch, ip, a)};
}

template <class T> void check_supported(const model::Scheme<T>& scheme) {
    if (scheme.alpha_schedule)  // nGPT's α_t: the tape takes α as a constant
        throw std::invalid_argument("stepper taylor: nGPT needs a constant alpha (no time-dependent schedule)");
}

// Spec §4 in u = 1 − γ, w = e^{−βu} (model/equiangular.hpp):
//   du/dt = −2 u (n − (n−1) u) w / ((1 + (n−1) w) s),   dr/dt = ρ.
template <class T>
std::unique_ptr<Tape<T>> equiangular_tape(std::size_t n, const T& beta, const model::Scheme<T>& scheme, bool after) {
    check_supported(scheme);
    const T m = T(n - 1);
    auto tape = std::make_unique<Tape<T>>();
    Tape<T>& t = *tape;
    const NodeId u = t.variable(0), r = t.variable(1);
    const NodeId w = t.exp(t.scale(-beta, u));
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
    const SchemeValues<T> s = scheme_on_tape(t, scheme, after, r, inner, attention_norm);
    if (!s.speed.is_constant()) t.require_above(s.speed.node(), T(0), "singular speed factor s");
    const TapeValue<T> du = -(TapeValue<T>(t, drift) / s.speed);
    t.set_outputs({du.node(t), s.radial.node(t)});
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
    if (attention.heads() != 1 || attention.causal())
        throw std::invalid_argument("--stepper taylor: one attention head without a mask only (drop --heads, --causal)");
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
        const SchemeValues<T> s = scheme_on_tape(t, scheme, after, radius[j], inner, attention_norm);
        const TapeValue<T> tangent_scale = TapeValue<T>(t, radius[j]) / s.speed, ip(t, inner());
        for (std::size_t i = 0; i < d; ++i)
            outputs[j * d + i] = model::ambient_velocity(tangent_scale, TapeValue<T>(t, a[i]), ip,
                                                         TapeValue<T>(t, theta[j][i]), s.radial).node(t);
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
        return equiangular_tape(equiangular->tokens(), equiangular->beta(), equiangular->scheme(), after_switch);
    if (const auto* particles = dynamic_cast<const model::ParticleSystem<T>*>(&field))
        return particle_tape(*particles, after_switch);
    throw std::invalid_argument("stepper taylor: supports the equiangular and the n-particle systems only");
}

template <class T>
std::unique_ptr<taylor::Tape<T>> record_equiangular_tape(std::size_t n, const T& beta, const model::Scheme<T>& scheme,
                                                         bool after_switch) {
    return equiangular_tape(n, beta, scheme, after_switch);
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

// The equiangular tape also runs in intervals (certify/: the validated integrator's Taylor coefficients).
#define NORMDYN_INSTANTIATE(T)                                                                        \
    template std::unique_ptr<taylor::Tape<T>> record_equiangular_tape<T>(std::size_t, const T&,         \
                                                                         const model::Scheme<T>&, bool);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
NORMDYN_INSTANTIATE(::normdyn::certify::interval)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::solve
