#include "normdyn/model/scheme.hpp"

#include "normdyn/scalar.hpp"

#include <stdexcept>

namespace normdyn::model {

std::string to_string(SchemeKind kind) {
    switch (kind) {
        case SchemeKind::post_ln: return "post-ln";
        case SchemeKind::pre_ln: return "pre-ln";
        case SchemeKind::mix_ln: return "mix-ln";
        case SchemeKind::peri_ln: return "peri-ln";
        case SchemeKind::ngpt: return "ngpt";
        case SchemeKind::ln_scaling: return "ln-scaling";
    }
    return "unknown";
}

SchemeKind parse_scheme(std::string_view name) {
    for (SchemeKind kind : all_schemes)
        if (name == to_string(kind)) return kind;
    if (name == "cod" || name == "sqrt-scaling") return SchemeKind::ln_scaling;
    throw std::invalid_argument("unknown scheme '" + std::string(name) +
                                "' (allowed: post-ln, pre-ln, mix-ln, peri-ln, ngpt, ln-scaling, cod)");
}

bool keeps_radius(SchemeKind kind) {
    return kind == SchemeKind::post_ln || kind == SchemeKind::ngpt || kind == SchemeKind::ln_scaling;
}

bool starts_gaussian(SchemeKind kind) {
    return kind == SchemeKind::pre_ln || kind == SchemeKind::mix_ln || kind == SchemeKind::peri_ln;
}

// Spec §2, column "speed factor s_j(t)".
template <class T>
T Scheme<T>::speed_factor(const T& t, bool after_switch, const T& r, const T& attention_norm) const {
    using std::sqrt;
    if (speed_factor_override) return speed_factor_override(t, after_switch, r, attention_norm);  // testing hook
    switch (kind) {
        case SchemeKind::post_ln: return T(1);
        case SchemeKind::pre_ln: return r;
        case SchemeKind::mix_ln: return after_switch ? r : T(1);
        case SchemeKind::peri_ln: return r * attention_norm;
        case SchemeKind::ngpt: return attention_norm / alpha_at(t);
        case SchemeKind::ln_scaling: return sqrt(t + 1);
    }
    return T(1);
}

// Spec §2, column "radial law ρ_j = dr_j/dt".
template <class T> T Scheme<T>::radial_rate(bool after_switch, const T& inner, const T& attention_norm) const {
    switch (kind) {
        case SchemeKind::pre_ln: return inner;
        case SchemeKind::mix_ln: return after_switch ? inner : T(0);
        case SchemeKind::peri_ln: return inner / attention_norm;
        default: return T(0);
    }
}

template <class T> std::vector<T> Scheme<T>::breakpoints(const T& t0, const T& t1) const {
    if (kind == SchemeKind::mix_ln && tau > t0 && tau < t1) return {tau};
    return {};
}

#define NORMDYN_INSTANTIATE(T) template struct Scheme<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
