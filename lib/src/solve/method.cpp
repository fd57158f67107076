#include "normdyn/solve/method.hpp"

#include <limits>
#include <stdexcept>

namespace normdyn::solve {

std::vector<std::string> precision_names() {
    std::vector<std::string> names;
#define NORMDYN_ADD_NAME(T) \
    if (!has_runtime_precision_v<T>) names.push_back(scalar_name<T>());
    NORMDYN_FOR_EACH_SCALAR(NORMDYN_ADD_NAME)
#undef NORMDYN_ADD_NAME
    return names;
}

unsigned Precision::decimal_digits() const {
    if (name == scalar_name<mp_digits>()) return digits;
#define NORMDYN_DIGITS_IF_NAMED(T) \
    if (!has_runtime_precision_v<T> && name == scalar_name<T>()) return unsigned(std::numeric_limits<T>::digits10);
    NORMDYN_FOR_EACH_SCALAR(NORMDYN_DIGITS_IF_NAMED)
#undef NORMDYN_DIGITS_IF_NAMED
    throw std::invalid_argument("--precision: unknown precision '" + name + "'");
}

std::string Precision::describe() const {
    return name == scalar_name<mp_digits>() ? name + " (" + std::to_string(digits) + " digits)" : name;
}

Method default_method(const Precision& precision, std::optional<Stepper> stepper) {
    Method method;
    method.precision = precision;
    const bool extended = precision.name != scalar_name<double>();
    method.stepper = stepper.value_or(extended ? Stepper::taylor : Stepper::dopri5);
    const bool reaches_precision = method.stepper == Stepper::taylor || method.stepper == Stepper::bulirsch_stoer;
    if (extended && reaches_precision) {
        const unsigned digits = precision.decimal_digits();
        const std::string tolerance = "1e-" + std::to_string(digits > 4 ? digits - 2 : 2);
        method.rtol = tolerance;
        method.atol = tolerance;
    }
    return method;
}

void Method::validate() const {
    const std::string name = to_string(stepper);
    if (fixed_step() && !has_fixed_step(stepper))
        throw std::invalid_argument("--dt: " + name + " has no fixed-step mode (drop --dt, or use euler, rk4, "
                                    "cash-karp54, dopri5, rkf78 or dop853)");
    if (!fixed_step() && !has_error_estimate(stepper))
        throw std::invalid_argument("--stepper " + name + ": is fixed-step only, give --dt");
    if (stepper == Stepper::dop853 && precision.name != scalar_name<double>() &&
        precision.name != scalar_name<long double>())
        throw std::invalid_argument("--stepper dop853: its coefficients are given to 30 digits; use it with --precision "
                                    "double or long-double (for more digits use taylor or bulirsch-stoer), got " +
                                    precision.describe());
}

}  // namespace normdyn::solve
