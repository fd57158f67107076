// Theorem 4.2's study (thm42_small_attention.cpp): |A_j(0)| at random starts over an (n, d) grid, which its
// claims measure and the report's figure 5 draws.
#pragma once

#include "check.hpp"

#include <cstddef>
#include <vector>

namespace normdyn::checks::theorem42 {

inline constexpr const char* attention_figure = "fig5_attention_at_random_start";

struct AttentionCell {
    std::size_t n, d;
    double largest;     ///< max over tokens and seeds of |A_j(0)|
    double bound;       ///< sqrt(log n / n) + log n / d (Theorem 4.2 without its constant C)
    double heuristic;   ///< sqrt(1/n + 1/d²)
    bool hypothesis;    ///< e^(sqrt d) >= n log n >= d
};

/// β = 1, uniform directions, `samples` seeded starts per cell; ns × ds in row-major order. With random
/// weights (random orthogonal Q, K, V) only the cells meeting the hypothesis are measured.
struct AttentionStudy {
    std::vector<std::size_t> ns, ds;
    std::size_t samples = 0;
    std::vector<AttentionCell> cells;
};
const AttentionStudy& attention_study(const Context& ctx, bool random_weights);

}  // namespace normdyn::checks::theorem42
