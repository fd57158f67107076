// One benchmark case, run inside a child process of `normdyn bench`.
#pragma once

#include "normdyn/report/json.hpp"

#include <string>

namespace normdyn::cli::bench {

/// "kernel N D BUDGET_S" (Attention<double>::apply), "rhs N D BUDGET_S" (one Pre-LN right-hand side),
/// "eigen-gemm N BUDGET_S" (Eigen's own N×N product), "integrate SCHEME CSV T_END [STEPPER]" (dopri5 unless
/// named; rtol 1e-10, atol 1e-12, β = 1, from the tokens in CSV). Returns the result as JSON; throws std::invalid_argument.
report::Json run_case(const std::string& spec);

}  // namespace normdyn::cli::bench
