// Theorem 4.2 (spec §5): at a random start (β = 1, |QᵀK|_op ≤ 1, |V|_op ≤ 1) every |A_j(0)| is at most
// C (sqrt(log n / n) + log n / d) on the grid e^{sqrt d} ≥ n log n ≥ d; consequence: the initial angular
// speeds order as Pre-LN < Post-LN ≪ nGPT.
#include "thm42_small_attention.hpp"

#include "common.hpp"
#include "families.hpp"

#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"

#include <Eigen/QR>

#include <cmath>

namespace normdyn::checks::theorem42 {

namespace {

using detail::format;
using report::Claim;
using report::Verdict;
using detail::Matrix;
using model::SchemeKind;

// A uniformly random orthogonal d × d matrix (operator norm exactly 1, the largest Theorem 4.2 allows):
// the Q factor of a Gaussian matrix with its column signs fixed by R's diagonal.
Matrix random_orthogonal(std::size_t d, model::NormalSampler& normal) {
    Matrix g(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
    for (Eigen::Index i = 0; i < g.size(); ++i) g.data()[i] = normal();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
    Eigen::MatrixXd q = qr.householderQ();
    const Eigen::MatrixXd r = qr.matrixQR();
    for (Eigen::Index j = 0; j < q.cols(); ++j)
        if (r(j, j) < 0) q.col(j) *= -1;
    return q;
}

Claim attention_bound(const Context& ctx, bool random_weights) {
    const auto& study = attention_study(ctx, random_weights);
    std::vector<const AttentionCell*> inside;
    for (const auto& cell : study.cells)
        if (cell.hypothesis) inside.push_back(&cell);
    if (inside.empty()) throw std::logic_error("thm4.2: no grid cell meets the hypothesis");
    double worst = 0;
    Claim r;
    for (const auto* cell : inside) {
        worst = std::max(worst, cell->largest / cell->bound);
        r.details.push_back("n = " + std::to_string(cell->n) + ", d = " + std::to_string(cell->d) + ": max_j |A_j| = " +
                            format(cell->largest) + ", heuristic sqrt(1/n + 1/d^2) = " + format(cell->heuristic) +
                            ", ratio = " + format(cell->largest / cell->bound));
    }
    const double first = inside.front()->largest / inside.front()->bound;
    const double last = inside.back()->largest / inside.back()->bound;
    r.statement = "max_j |A_j(0)| / (sqrt(log n/n) + log n/d) stays below a constant C over the grid (Theorem 4.2), " +
                  std::string(random_weights ? "random orthogonal Q, K, V (operator norm 1)" : "Q = K = V = I");
    r.regime = "beta = 1, uniform directions, " + std::to_string(study.samples) + " seeded starts per cell, the " +
               std::to_string(inside.size()) + " cells of n = " + std::to_string(study.ns.front()) + " ... " +
               std::to_string(study.ns.back()) + " x d = " + std::to_string(study.ds.front()) + " ... " +
               std::to_string(study.ds.back()) + " with e^sqrt(d) >= n log n >= d";
    r.method = "attention at the start, largest row norm over tokens and seeds; measured = the largest ratio over "
               "the cells (the constant C the data need)";
    r.measured = worst;
    r.predicted = 1;
    r.tolerance = 0;
    r.criterion = "measured C <= 1, and the ratio at the largest (n, d) <= the ratio at the smallest (no growth)";
    r.verdict = combine({at_most(worst, 1.0), at_most(last, first)});
    if (!random_weights) r.figure = attention_figure;
    return r;
}

// Mean initial angular speed |dθ_j/dt| of Pre-LN (Gaussian x_j, r ≈ sqrt d), Post-LN and nGPT (α = 1) on
// the same directions.
Claim speed_order(const Context& ctx) {
    const std::size_t n = ctx.tier == Tier::quick ? 1024 : 4096, d = 512;
    const Matrix x = model::initial_positions<double>(detail::init_spec(model::InitKind::gaussian), SchemeKind::pre_ln, n, d, 1.0, 42);
    const Matrix theta = detail::directions(x);
    auto mean_speed = [&](SchemeKind kind, const Matrix& positions) {
        model::ParticleSystem<double> system(n, d, ctx.scheme(kind, 1, 1), model::Attention<double>(1.0));
        const auto field = system.evaluate(detail::flatten(positions), 0.0);
        double sum = 0;
        for (std::size_t j = 0; j < n; ++j) sum += field.speed(j);
        return sum / double(n);
    };
    const double pre = mean_speed(SchemeKind::pre_ln, x), post = mean_speed(SchemeKind::post_ln, theta),
                 ngpt = mean_speed(SchemeKind::ngpt, theta);
    Claim r;
    r.statement = "initial angular speeds order as Pre-LN < Post-LN << nGPT (Theorem 4.2's consequence); "
              "reports the nGPT/Post-LN ratio";
    r.regime = "beta = 1, n = " + std::to_string(n) + ", d = 512, Gaussian x_j (Pre-LN) and their directions "
               "(Post-LN, nGPT alpha = 1), seed 42";
    r.method = "mean over tokens of |dtheta_j/dt| = |P A_j| / s_j at t = 0";
    r.measured = ngpt / post;
    r.predicted = 1 / std::sqrt(1.0 / double(n) + 1.0 / double(d * d));
    r.tolerance = 10;
    // Pre-LN's angular speed is Post-LN's divided by its speed factor s_j = r_j (spec §2), and r_j(0) ≈ sqrt d
    // for the Gaussian start: the ordering asks for half that factor. A bare pre < post let a rounding tie
    // pass: with Pre-LN's speed factor set to 1 the two speeds are equal, and which is larger in the last bit
    // depends on the CPU's BLAS kernels (it passed on an AVX-512 machine, failing the sabotage test).
    const double pre_factor = std::sqrt(double(d)) / 2;
    r.criterion = "Post/Pre >= sqrt(d)/2 = " + format(pre_factor) +
                  " (predicted: about r_j ~ sqrt d) and nGPT/Post >= 10 (predicted: about 1/|A_j| ~ "
                  "1/sqrt(1/n + 1/d^2))";
    r.verdict = combine({at_least(post / pre, pre_factor), at_least(ngpt / post, 10)});
    r.details.push_back("mean speed: Pre-LN " + format(pre) + ", Post-LN " + format(post) + ", nGPT " + format(ngpt) +
                        "; Post/Pre = " + format(post / pre) + ", nGPT/Post = " + format(ngpt / post));
    return r;
}

}  // namespace

const AttentionStudy& attention_study(const Context& ctx, bool random_weights) {
    return ctx.study<AttentionStudy>(random_weights ? "thm4.2/attention/random-qkv" : "thm4.2/attention/identity", [&] {
        const bool quick = ctx.tier == Tier::quick;
        AttentionStudy study;
        for (std::size_t n = 16; n <= (quick ? 512u : 2048u); n *= 2) study.ns.push_back(n);
        for (std::size_t d = 8; d <= (quick ? 256u : 1024u); d *= 2) study.ds.push_back(d);
        study.samples = quick ? 2 : 3;
        for (std::size_t n : study.ns)
            for (std::size_t d : study.ds) {
                const double log_n = std::log(double(n));
                AttentionCell cell{n, d, 0, std::sqrt(log_n / double(n)) + log_n / double(d),
                                   std::sqrt(1.0 / double(n) + 1.0 / (double(d) * double(d))),
                                   std::exp(std::sqrt(double(d))) >= double(n) * log_n && double(n) * log_n >= double(d)};
                if (random_weights && !cell.hypothesis) continue;
                for (std::size_t sample = 0; sample < study.samples; ++sample) {
                    const std::uint64_t seed = ctx.seed + sample + 1000 * n + d;
                    model::Attention<double> attention(1.0);
                    if (random_weights) {
                        model::NormalSampler normal(seed + 7);
                        attention = model::Attention<double>(1.0, random_orthogonal(d, normal), random_orthogonal(d, normal),
                                                             random_orthogonal(d, normal));
                    }
                    const Matrix theta = model::initial_positions<double>(detail::init_spec(model::InitKind::uniform),
                                                                          SchemeKind::post_ln, n, d, 1.0, seed);
                    Matrix a;
                    attention.apply(theta, a);
                    cell.largest = std::max(cell.largest, a.rowwise().norm().maxCoeff());
                }
                study.cells.push_back(cell);
            }
        return study;
    });
}

}  // namespace normdyn::checks::theorem42

namespace normdyn::checks {

void add_theorem42_checks(std::vector<CheckDefinition>& checks) {
    using namespace theorem42;
    checks.push_back({"thm4.2/attention-bound/identity", true, [](const Context& ctx) { return attention_bound(ctx, false); }});
    checks.push_back({"thm4.2/attention-bound/random-qkv", true, [](const Context& ctx) { return attention_bound(ctx, true); }});
    checks.push_back({"thm4.2/initial-speed-order", true, speed_order});
}

}  // namespace normdyn::checks
