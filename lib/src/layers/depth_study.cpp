#include "normdyn/layers/depth_study.hpp"

#include "normdyn/layers/token_observables.hpp"
#include "normdyn/measure/fit.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <thread>

namespace normdyn::layers {

namespace {

struct SchemeRun {
    DiscreteLayer layer;
    Matrix x;
};

// One seed: per scheme, per layer, the mean pairwise cosine and the mean token norm.
struct SeedCurves {
    std::vector<std::vector<double>> cosine_mean, norm_mean;  ///< [scheme][layer]
};

void record(SeedCurves& curves, std::size_t scheme, std::size_t layer, const Matrix& x) {
    const TokenObservables o = observe_tokens(x);
    curves.cosine_mean[scheme][layer] = o.gamma_mean;
    curves.norm_mean[scheme][layer] = o.radius_mean;
}

// Every scheme from the same start, layer by layer with the same weights.
SeedCurves run_seed(const DepthStudyOptions& options, std::uint64_t seed) {
    const std::size_t schemes = options.schemes.size();
    SeedCurves curves{std::vector(schemes, std::vector<double>(options.layers + 1)),
                      std::vector(schemes, std::vector<double>(options.layers + 1))};
    std::vector<SchemeRun> runs;
    for (std::size_t i = 0; i < schemes; ++i) {
        LayerMap map = options.map;
        map.scheme = options.schemes[i];
        runs.push_back({DiscreteLayer(map, MultiHeadAttention(options.beta, options.causal)),
                        model::initial_positions<double>(options.init, map.scheme, options.n, options.d, options.r0,
                                                         seed)});
        record(curves, i, 0, runs[i].x);
    }
    WeightSchedule schedule(options.weights, options.d, options.heads, seed);
    for (std::size_t layer = 0; layer < options.layers; ++layer) {
        const AttentionWeights& weights = schedule.next();
        for (std::size_t i = 0; i < schemes; ++i) {
            try {
                runs[i].layer.apply(runs[i].x, weights, layer);
                record(curves, i, layer + 1, runs[i].x);
            } catch (const std::domain_error& e) {
                throw std::runtime_error(model::to_string(options.schemes[i]) + ", seed " + std::to_string(seed) +
                                         ", layer " + std::to_string(layer) + ": " + e.what());
            }
        }
    }
    return curves;
}

// Runs the seeds on `threads` threads (each seed is independent; the results are combined in seed order).
std::vector<SeedCurves> run_seeds(const DepthStudyOptions& options) {
    std::vector<SeedCurves> results(options.seeds);
    std::vector<std::exception_ptr> errors(options.seeds);
    std::atomic<std::size_t> next_seed{0};
    const auto work = [&] {
        for (std::size_t s; (s = next_seed++) < options.seeds;) {
            try {
                results[s] = run_seed(options, options.first_seed + s);
            } catch (...) {
                errors[s] = std::current_exception();
            }
        }
    };
    const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t threads = std::min(options.seeds, options.threads > 0 ? options.threads : hardware);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
    for (const auto& error : errors)
        if (error) std::rethrow_exception(error);
    return results;
}

}  // namespace

std::vector<DepthCurves> run_depth_study(const DepthStudyOptions& options) {
    if (options.seeds == 0) throw std::invalid_argument("--seeds: must be >= 1");
    AttentionWeights::identity(options.d, options.heads);  // checks H against d before any thread starts
    const auto seeds = run_seeds(options);
    std::vector<DepthCurves> curves;
    for (std::size_t i = 0; i < options.schemes.size(); ++i) {
        DepthCurves c;
        c.scheme = options.schemes[i];
        c.cosine_mean.assign(options.layers + 1, 0.0);
        c.norm_mean.assign(options.layers + 1, 0.0);
        for (const auto& seed : seeds) {
            for (std::size_t layer = 0; layer <= options.layers; ++layer) {
                c.cosine_mean[layer] += seed.cosine_mean[i][layer] / double(seeds.size());
                c.norm_mean[layer] += seed.norm_mean[i][layer] / double(seeds.size());
            }
            c.seed_norm_mean.push_back(seed.norm_mean[i]);
        }
        curves.push_back(std::move(c));
    }
    return curves;
}

namespace {

measure::LinearFit log_log_fit(const std::vector<double>& norms, double step, double t_lo, double t_hi,
                               double origin) {
    std::vector<double> log_t, log_norm;
    for (std::size_t layer = 1; layer < norms.size(); ++layer) {
        const double t = double(layer) * step;
        if (t < t_lo || t > t_hi || !(t > origin)) continue;
        log_t.push_back(std::log(t - origin));
        log_norm.push_back(std::log(norms[layer]));
    }
    return measure::fit_line(log_t, log_norm);  // throws with fewer than 3 points
}

}  // namespace

GrowthExponent fit_growth_exponent(const DepthCurves& curves, double step, double t_lo, double t_hi, double origin) {
    GrowthExponent g;
    const auto line = log_log_fit(curves.norm_mean, step, t_lo, t_hi, origin);
    g.exponent = line.slope;
    g.ci95[0] = line.slope_ci95[0];
    g.ci95[1] = line.slope_ci95[1];
    g.r2 = line.r2;
    g.points = line.points;
    g.t_lo = t_lo;
    g.t_hi = t_hi;
    g.origin = origin;
    for (const auto& norms : curves.seed_norm_mean)
        g.seed_exponents.push_back(log_log_fit(norms, step, t_lo, t_hi, origin).slope);
    const double k = double(g.seed_exponents.size());
    for (double p : g.seed_exponents) g.seed_mean += p / k;
    g.seed_ci95[0] = g.seed_ci95[1] = g.seed_mean;
    if (g.seed_exponents.size() >= 2) {
        double variance = 0;
        for (double p : g.seed_exponents) variance += (p - g.seed_mean) * (p - g.seed_mean) / (k - 1);
        const double q = boost::math::quantile(boost::math::students_t(k - 1), 0.975);
        const double half = q * std::sqrt(variance / k);
        g.seed_ci95[0] = g.seed_mean - half;
        g.seed_ci95[1] = g.seed_mean + half;
    }
    return g;
}

}  // namespace normdyn::layers
