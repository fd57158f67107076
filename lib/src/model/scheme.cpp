#include "normdyn/model/scheme.hpp"

#include "normdyn/scalar.hpp"

#include <stdexcept>

namespace normdyn::model {

std::string to_string(SchemeKind kind) { return std::string(scheme_row(kind).name); }

std::string scheme_names(std::string_view separator) {
    std::string names;
    for (SchemeKind kind : all_schemes) names += std::string(scheme_row(kind).name) + std::string(separator);
    return names + "cod";
}

SchemeKind parse_scheme(std::string_view name) {
    for (SchemeKind kind : all_schemes)
        if (name == scheme_row(kind).name) return kind;
    if (name == "cod" || name == "sqrt-scaling") return SchemeKind::ln_scaling;
    throw std::invalid_argument("unknown scheme '" + std::string(name) + "' (allowed: " + scheme_names(", ") + ")");
}

template <class T>
T Scheme<T>::speed_factor(const T& t, bool after_switch, const T& r, const T& attention_norm) const {
    if (speed_factor_override) return speed_factor_override(t, after_switch, r, attention_norm);  // testing hook
    return speed_factor_law<T>(kind, after_switch, t, r, attention_norm, [this](const T& time) { return alpha_at(time); });
}

template <class T> T Scheme<T>::radial_rate(bool after_switch, const T& inner, const T& attention_norm) const {
    return radial_rate_law<T>(kind, after_switch, inner, attention_norm);
}

template <class T> std::vector<T> Scheme<T>::breakpoints(const T& t0, const T& t1) const {
    if (scheme_row(kind).switches && tau > t0 && tau < t1) return {tau};
    return {};
}

#define NORMDYN_INSTANTIATE(T) template struct Scheme<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
