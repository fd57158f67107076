// Section "small-attention" (figure 5): Theorem 4.2, drawn from the study of the claim
// thm4.2/attention-bound/identity (proofs-check/thm42_small_attention.cpp): the measured max_j |A_j(0)| over
// an (n, d) grid divided by the theorem's bound and by the heuristic size.
#include "reproduce.hpp"

#include "proofs-check/thm42_small_attention.hpp"

namespace normdyn::cli::reproduce {

void small_attention_section(Context& context) {
    const auto& study = checks::theorem42::attention_study(context.claims(), false);
    context.paragraph(
        "Theorem 4.2: at a random start attention is small, max_j |A_j(0)| ≤ C (sqrt(log n / n) + log n / d) with "
        "probability 1 − n^(−c), for β = 1, |QᵀK| ≤ 1, |V| ≤ 1 and e^(sqrt d) ≥ n log n ≥ d. Measured with identity "
        "weights over " + std::to_string(study.samples) + " seeded uniform starts per cell (the maximum over tokens "
        "and seeds). The theorem's constant C is not given; the claims give the C the data need over the cells "
        "meeting the hypothesis, and whether it grows. Consequence: Post- and Pre-LN tokens start slowly, Peri-LN "
        "and nGPT (which divide by |A_j|) at speed O(1).");
    report::HeatMap ratio{{}, {}, {}, "max_j |A_j(0)| / (sqrt(log n/n) + log n/d)"};
    report::HeatMap heuristic{{}, {}, {}, "max_j |A_j(0)| / sqrt(1/n + 1/d^2)"};
    for (auto d : study.ds) ratio.column_labels.push_back(std::to_string(d));
    for (auto n : study.ns) ratio.row_labels.push_back(std::to_string(n));
    heuristic.column_labels = ratio.column_labels;
    heuristic.row_labels = ratio.row_labels;
    std::size_t inside = 0;
    for (std::size_t row = 0; row < study.ns.size(); ++row) {
        std::vector<double> ratio_row, heuristic_row;
        for (std::size_t column = 0; column < study.ds.size(); ++column) {
            const auto& cell = study.cells[row * study.ds.size() + column];
            ratio_row.push_back(cell.largest / cell.bound);
            heuristic_row.push_back(cell.largest / cell.heuristic);
            inside += cell.hypothesis;
        }
        ratio.values.push_back(ratio_row);
        heuristic.values.push_back(heuristic_row);
    }
    report::Figure figure{checks::theorem42::attention_figure, "Theorem 4.2: |A_j(0)| at a random start, beta = 1"};
    figure.columns = 2;
    figure.width = 1700;
    figure.height = 700;
    report::Panel left{"ratio to the bound of Theorem 4.2", {"d (dimension)"}, {"n (tokens)"}};
    left.heat_map = ratio;
    report::Panel right{"ratio to the heuristic size sqrt(1/n + 1/d^2)", {"d (dimension)"}, {"n (tokens)"}};
    right.heat_map = heuristic;
    figure.panels = {left, right};
    context.figure(figure,
                   "Left: max_j |A_j(0)| divided by sqrt(log n / n) + log n / d over the (n, d) grid; right: divided by "
                   "the heuristic size sqrt(1/n + 1/d²). The hypothesis e^(sqrt d) ≥ n log n ≥ d holds in " +
                       std::to_string(inside) + " of the " + std::to_string(study.cells.size()) +
                       " cells; the largest ratio over them is the claim thm4.2/attention-bound/identity (every cell's "
                       "numbers are in the data).");
}

}  // namespace normdyn::cli::reproduce
