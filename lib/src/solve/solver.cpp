#include "normdyn/solve/solver.hpp"

#include <stdexcept>

namespace normdyn::solve {

std::string to_string(Stepper stepper) {
    switch (stepper) {
        case Stepper::euler: return "euler";
        case Stepper::rk4: return "rk4";
        case Stepper::cash_karp54: return "cash-karp54";
        case Stepper::dopri5: return "dopri5";
        case Stepper::rkf78: return "rkf78";
        case Stepper::dop853: return "dop853";
        case Stepper::bulirsch_stoer: return "bulirsch-stoer";
        case Stepper::taylor: return "taylor";
    }
    return "unknown";
}

Stepper parse_stepper(std::string_view name) {
    for (Stepper s : {Stepper::euler, Stepper::rk4, Stepper::cash_karp54, Stepper::dopri5, Stepper::rkf78,
                      Stepper::dop853, Stepper::bulirsch_stoer, Stepper::taylor})
        if (name == to_string(s)) return s;
    throw std::invalid_argument("unknown stepper '" + std::string(name) +
                                "' (allowed: euler, rk4, cash-karp54, dopri5, rkf78, dop853, bulirsch-stoer, taylor)");
}

int nominal_order(Stepper stepper) {
    switch (stepper) {
        case Stepper::euler: return 1;
        case Stepper::rk4: return 4;
        case Stepper::cash_karp54: return 5;
        case Stepper::dopri5: return 5;
        case Stepper::rkf78: return 8;
        case Stepper::dop853: return 8;
        case Stepper::bulirsch_stoer: return 0;
        case Stepper::taylor: return 0;
    }
    return 0;
}

bool has_error_estimate(Stepper stepper) { return stepper != Stepper::euler && stepper != Stepper::rk4; }
bool has_fixed_step(Stepper stepper) { return stepper != Stepper::bulirsch_stoer && stepper != Stepper::taylor; }

std::string to_string(ErrorNorm norm) { return norm == ErrorNorm::max ? "max" : "rms"; }

ErrorNorm parse_error_norm(std::string_view name) {
    for (ErrorNorm n : {ErrorNorm::max, ErrorNorm::rms})
        if (name == to_string(n)) return n;
    throw std::invalid_argument("unknown error norm '" + std::string(name) + "' (allowed: max, rms)");
}

std::string to_string(SolveStatus status) {
    switch (status) {
        case SolveStatus::done: return "done";
        case SolveStatus::partial: return "partial";
        case SolveStatus::failed: return "failed";
    }
    __builtin_unreachable();
}

}  // namespace normdyn::solve
