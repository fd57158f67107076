// The six layer-normalization schemes as speed regulators of one attention flow (spec §2):
//   dθ_j/dt = P_{θ_j} A_j / s_j(t),   dr_j/dt = ρ_j(t).
// The scheme table: scheme_row() holds what a scheme is (name, label, colour, default start, whether it keeps
// the radius, divides by |A_j| or switches at τ, the discrete layer it models), and speed_factor_law /
// radial_rate_law its two laws, written once over the arithmetic type so that double, long double, MPFR, the
// Taylor tape's series and interval types evaluate the same lines (the kv habit). Each is an exhaustive
// switch without `default:` (the library compiles with -Werror=switch): a new scheme missing from one is a
// compile error. A seventh scheme is one enumerator, one row here, one row of the predictions table
// (proofs-check/predictions.{hpp,cpp}: Theorem 4.1's initial velocity and the laws of Theorems 3.1, 4.1, 4.3) and
// one discrete layer (lib/src/layers/layer.cpp).
#pragma once

#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace normdyn::model {

enum class SchemeKind { post_ln, pre_ln, mix_ln, peri_ln, ngpt, ln_scaling };

inline constexpr std::array<SchemeKind, 6> all_schemes = {SchemeKind::post_ln, SchemeKind::pre_ln,
                                                          SchemeKind::mix_ln,  SchemeKind::peri_ln,
                                                          SchemeKind::ngpt,    SchemeKind::ln_scaling};

/// One row of spec §2's table, apart from the two laws.
struct SchemeRow {
    std::string_view name;         ///< on the command line: "post-ln", …
    std::string_view label;        ///< as the paper writes it: "Post-LN", …
    std::string_view color;        ///< its colour in every figure
    bool starts_gaussian;          ///< default start: x_j i.i.d. Gaussian (else uniform unit directions)
    bool keeps_radius;             ///< |x_j| is a first integral: its drift is a numerical error to report
    bool divides_by_attention;     ///< s_j depends on |A_j|: singular where A_j = 0
    bool switches;                 ///< a switch time τ where the right-hand side jumps (a breakpoint)
    std::string_view layer;        ///< the discrete layer it models, LN(x) = x/|x|
};

constexpr SchemeRow scheme_row(SchemeKind kind) {
    switch (kind) {
        case SchemeKind::post_ln:
            return {"post-ln", "Post-LN", "#1f77b4", false, true, false, false, "x ← LN(x + Attn(X))"};
        case SchemeKind::pre_ln:
            return {"pre-ln", "Pre-LN", "#d62728", true, false, false, false, "x ← x + Attn(LN(X))"};
        case SchemeKind::mix_ln:
            return {"mix-ln", "Mix-LN", "#ff7f0e", true, false, false, true,
                    "Post-LN in the first layers (t ≤ τ), Pre-LN after"};
        case SchemeKind::peri_ln:
            return {"peri-ln", "Peri-LN", "#2ca02c", true, false, true, false, "x ← x + LN(Attn(LN(X)))"};
        case SchemeKind::ngpt:
            return {"ngpt", "nGPT", "#9467bd", false, true, true, false, "x ← LN(x + α_t (LN(Attn(X)) − x))"};
        case SchemeKind::ln_scaling:
            return {"ln-scaling", "LN-Scaling", "#8c564b", false, true, false, false,
                    "residual branch scaled by 1/sqrt(layer)"};
    }
    __builtin_unreachable();
}

/// Spec §2, column "speed factor s_j(t)". V is the arithmetic (a number, a tape value, an interval); the
/// arguments are token j's radius r = |x_j|, its attention norm |A_j|, and nGPT's step α_t as a function
/// of t (called by nGPT only).
template <class V, class Step>
V speed_factor_law(SchemeKind kind, bool after_switch, const V& t, const V& r, const V& attention_norm,
                   const Step& alpha_at) {
    using std::sqrt;
    switch (kind) {
        case SchemeKind::post_ln: return V(1);
        case SchemeKind::pre_ln: return r;
        case SchemeKind::mix_ln: return after_switch ? r : V(1);
        case SchemeKind::peri_ln: return r * attention_norm;
        case SchemeKind::ngpt: return attention_norm / alpha_at(t);
        case SchemeKind::ln_scaling: return sqrt(t + 1);
    }
    __builtin_unreachable();
}

/// Spec §2, column "radial law ρ_j = dr_j/dt"; inner = <θ_j, A_j>.
template <class V> V radial_rate_law(SchemeKind kind, bool after_switch, const V& inner, const V& attention_norm) {
    switch (kind) {
        case SchemeKind::post_ln: return V(0);
        case SchemeKind::pre_ln: return inner;
        case SchemeKind::mix_ln: return after_switch ? inner : V(0);
        case SchemeKind::peri_ln: return inner / attention_norm;
        case SchemeKind::ngpt: return V(0);
        case SchemeKind::ln_scaling: return V(0);
    }
    __builtin_unreachable();
}

/// Spec §2's velocity of token j in ambient form, one component (or one row, for vector types):
///   dx_j/dt = (r_j / s_j) (A_j − <θ_j, A_j> θ_j) + ρ_j θ_j.
/// tangent_scale = r_j / s_j. The double kernel's eight- and four-lane loops are this line in registers.
template <class S, class A, class D>
auto ambient_velocity(const S& tangent_scale, const A& attention, const S& inner, const D& direction, const S& radial) {
    return tangent_scale * (attention - inner * direction) + radial * direction;
}

/// "post-ln", "pre-ln", "mix-ln", "peri-ln", "ngpt", "ln-scaling".
std::string to_string(SchemeKind kind);
/// Accepts the names above and the aliases "cod" and "sqrt-scaling" for LN-Scaling; throws
/// std::invalid_argument naming the allowed values otherwise.
SchemeKind parse_scheme(std::string_view name);
/// The accepted names joined by `separator` (for help texts and error messages), aliases included.
std::string scheme_names(std::string_view separator = "|");

inline bool keeps_radius(SchemeKind kind) { return scheme_row(kind).keeps_radius; }
inline bool starts_gaussian(SchemeKind kind) { return scheme_row(kind).starts_gaussian; }

template <class T> struct Scheme {
    SchemeKind kind = SchemeKind::post_ln;
    T tau = 1;                                 ///< Mix-LN switch time τ ≥ 0
    T alpha = 1;                               ///< nGPT step α > 0 (constant)
    std::function<T(const T&)> alpha_schedule; ///< nGPT step α_t; overrides alpha when set

    /// Testing hook, empty by default (and then without effect): when set, it replaces the spec's speed
    /// factor s_j(t) and is called with speed_factor's arguments. It exists only to break the model on
    /// purpose, so that a test can show the theorem checks of proofs-check/ are able to fail.
    std::function<T(const T& t, bool after_switch, const T& r, const T& attention_norm)> speed_factor_override;

    T alpha_at(const T& t) const { return alpha_schedule ? alpha_schedule(t) : alpha; }

    /// Whether the scheme has switched to its second regime (Mix-LN: Pre-LN for t > τ). `after_switch`
    /// below is the regime the solver fixed for the current segment.
    bool switched(const T& t) const { return scheme_row(kind).switches && t > tau; }

    /// s_j(t) of the spec's table. r = |x_j|, attention_norm = |A_j|.
    T speed_factor(const T& t, bool after_switch, const T& r, const T& attention_norm) const;
    /// ρ_j = dr_j/dt. inner = <θ_j, A_j>.
    T radial_rate(bool after_switch, const T& inner, const T& attention_norm) const;
    /// Whether s_j depends on |A_j| (Peri-LN, nGPT): singular where A_j = 0.
    bool divides_by_attention() const { return scheme_row(kind).divides_by_attention; }
    /// Discontinuities in time of the right-hand side inside (t0, t1): Mix-LN's τ.
    std::vector<T> breakpoints(const T& t0, const T& t1) const;
};

/// The scheme `kind` with Mix-LN's switch time τ and nGPT's step α (each scheme reads only its own). T is
/// named by the caller: make_scheme<double>(kind, 1, 1).
template <class T>
Scheme<T> make_scheme(SchemeKind kind, const std::type_identity_t<T>& tau, const std::type_identity_t<T>& alpha) {
    Scheme<T> scheme;
    scheme.kind = kind;
    scheme.tau = tau;
    scheme.alpha = alpha;
    return scheme;
}

}  // namespace normdyn::model
