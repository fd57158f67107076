// The six layer-normalization schemes as speed regulators of one attention flow (spec §2):
//   dθ_j/dt = P_{θ_j} A_j / s_j(t),   dr_j/dt = ρ_j(t).
// Adding a scheme means one enumerator, one name and one row in speed_factor / radial_rate.
#pragma once

#include <array>
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

/// "post-ln", "pre-ln", "mix-ln", "peri-ln", "ngpt", "ln-scaling".
std::string to_string(SchemeKind kind);
/// Accepts the names above and the aliases "cod" and "sqrt-scaling" for LN-Scaling; throws
/// std::invalid_argument naming the allowed values otherwise.
SchemeKind parse_scheme(std::string_view name);

/// True for the schemes whose directions live on the sphere with a fixed radius (Post-LN, nGPT,
/// LN-Scaling): |x_j| is a first integral, and its drift is a numerical error to report.
bool keeps_radius(SchemeKind kind);
/// True for the schemes whose default start is a Gaussian cloud (Pre-, Mix-, Peri-LN); the others start
/// from uniform unit directions (spec §2).
bool starts_gaussian(SchemeKind kind);

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

    /// Whether Mix-LN has switched to its Pre-LN regime. `after_switch` is the regime the solver
    /// fixed for the current segment; without one, the rule of the spec: Post-LN for t ≤ τ.
    bool switched(const T& t) const { return kind == SchemeKind::mix_ln && t > tau; }

    /// s_j(t) of the spec's table. r = |x_j|, attention_norm = |A_j|.
    T speed_factor(const T& t, bool after_switch, const T& r, const T& attention_norm) const;
    /// ρ_j = dr_j/dt. inner = <θ_j, A_j>.
    T radial_rate(bool after_switch, const T& inner, const T& attention_norm) const;
    /// Whether s_j depends on |A_j| (Peri-LN, nGPT): singular where A_j = 0.
    bool divides_by_attention() const { return kind == SchemeKind::peri_ln || kind == SchemeKind::ngpt; }
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
