// Fitting library (double precision): least-squares lines with confidence intervals, decay-law
// identification on an automatically found asymptotic window (spec §5, §8), and observed convergence
// orders. All intervals are 95% Student-t intervals of an ordinary least-squares slope.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace normdyn::measure {

/// Ordinary least-squares line y ≈ intercept + slope x.
struct LinearFit {
    double slope = std::numeric_limits<double>::quiet_NaN();
    double intercept = std::numeric_limits<double>::quiet_NaN();
    double slope_se = std::numeric_limits<double>::quiet_NaN();     ///< standard error of the slope
    double intercept_se = std::numeric_limits<double>::quiet_NaN(); ///< standard error of the intercept
    double slope_ci95[2] = {std::numeric_limits<double>::quiet_NaN(),
                            std::numeric_limits<double>::quiet_NaN()}; ///< t-interval, points-2 dof
    double rss = std::numeric_limits<double>::quiet_NaN();          ///< residual sum of squares
    double r2 = std::numeric_limits<double>::quiet_NaN();           ///< 1 - rss / total sum of squares
    std::size_t points = 0;
};

/// Throws std::invalid_argument on different lengths, fewer than 3 points, non-finite input or all x equal.
LinearFit fit_line(std::span<const double> x, std::span<const double> y);

/// Candidate asymptotic laws of a series u(t) -> 0, each linear in log u against one coordinate:
///   exponential            log u = a - k t
///   power                  log u = a - p log(t + c)      (c = 0 unless the offset is fitted)
///   stretched_exponential  log u = a - c sqrt(t + 1)     (LN-Scaling: c = 4)
enum class DecayLaw { exponential, power, stretched_exponential };
/// "exponential", "power", "stretched-exponential".
std::string to_string(DecayLaw law);

struct LawFit {
    DecayLaw law = DecayLaw::exponential;
    double rate = std::numeric_limits<double>::quiet_NaN(); ///< k, p or c (minus the slope of `line`)
    double ci95[2] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    double rss = std::numeric_limits<double>::infinity(); ///< of log u on the window; +inf if not fittable
    double offset = 0;                                    ///< power law: the c in (t + c); 0 otherwise
    LinearFit line;                                       ///< log u against the law's coordinate
};

struct DecayFitOptions {
    std::size_t min_points = 8;     ///< smallest window, and the block length of the constancy test
    double min_fraction = 1.0 / 3;  ///< the window spans at least this fraction of the usable points
    double slope_tolerance = 1e-2;  ///< relative tolerance on the local slope inside the window
    double floor = 0;               ///< points with u <= floor (and all later ones) are unusable
    std::optional<std::pair<double, double>> window; ///< explicit [t_lo, t_hi]: skips all detection
    bool power_offset = false;      ///< fit u ≈ C (t + c)^(-p) with c found by 1-D minimisation of rss
};

struct DecayFit {
    LawFit best;                    ///< the law with the smallest rss on the window
    std::vector<LawFit> laws;       ///< all three, in enum order, on the same window
    double t_lo = 0, t_hi = 0;      ///< the window (inclusive)
    std::size_t points = 0;         ///< points in the window
    std::size_t usable_points = 0;  ///< points before the round-off floor / `floor`
    std::vector<std::string> notes; ///< what was dropped, how the window was found, caveats
};

/// Identifies the decay law of u(t) (t strictly increasing, u > 0 decreasing towards 0) on its asymptotic
/// window. Throws std::invalid_argument on bad input or fewer than 3 usable points.
DecayFit fit_decay(std::span<const double> t, std::span<const double> u, const DecayFitOptions& options = {});

struct OrderFit {
    double observed = std::numeric_limits<double>::quiet_NaN(); ///< slope of log error against log step
    double ci95[2] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    std::size_t points_used = 0;
    std::vector<bool> used;         ///< per input point, in input order
    /// Any of "invalid-error", "roundoff-floor", "pre-asymptotic", "no-asymptotic-range",
    /// "insufficient-points", "superconvergence", "below-nominal".
    std::vector<std::string> flags;
};

/// Observed convergence order from (step, error) pairs in any order and with any refinement ratios.
/// Excludes non-finite or zero errors, the round-off floor (error <= 10 floor, and the points from where the
/// error stops decreasing, together with those within a factor 10 of that level) and the pre-asymptotic
/// large steps (pairwise slopes more than `tolerance` away from those of the finest agreeing points).
/// Throws std::invalid_argument on different lengths, non-positive or repeated steps.
OrderFit fit_order(std::span<const double> step, std::span<const double> error, double nominal_order,
                   double floor = 0, double tolerance = 0.2);

} // namespace normdyn::measure
