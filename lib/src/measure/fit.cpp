// Fitting library: see normdyn/measure/fit.hpp.
#include "normdyn/measure/fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

namespace normdyn::measure {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kFloorBand = 10.0; // points within this factor of a round-off floor are not trusted

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, a, b, c);
    return buf;
}

struct Line {
    double slope = kNaN, intercept = kNaN, sxx = 0, syy = 0, rss = kInf, xbar = 0;
};

// Two-pass centred least squares. rss = +inf when the fit is impossible (n < 2, non-finite, equal x).
Line least_squares(const double* x, const double* y, std::size_t n) {
    Line l;
    if (n < 2) return l;
    double xs = 0, ys = 0;
    for (std::size_t i = 0; i < n; ++i) xs += x[i], ys += y[i];
    if (!std::isfinite(xs) || !std::isfinite(ys)) return l;
    l.xbar = xs / double(n);
    const double ybar = ys / double(n);
    double sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = x[i] - l.xbar, dy = y[i] - ybar;
        l.sxx += dx * dx, sxy += dx * dy, l.syy += dy * dy;
    }
    if (!(l.sxx > 0) || !std::isfinite(l.sxx) || !std::isfinite(sxy)) return l;
    l.slope = sxy / l.sxx;
    l.intercept = ybar - l.slope * l.xbar;
    l.rss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = (y[i] - ybar) - l.slope * (x[i] - l.xbar);
        l.rss += r * r;
    }
    return l;
}

double median(std::vector<double> v) {
    auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// Start of a round-off floor in a decreasing sequence L: the first p with stalled(p) after which L never
// falls more than a factor 100 below L[p-1]; the points within kFloorBand of the floor level (the lower
// of L[p-1] and the median of L[p..]) belong to it too. Returns L.size() when there is no floor.
template <class Stalled> std::size_t floor_start(const std::vector<double>& L, Stalled stalled, double& level) {
    const std::size_t m = L.size();
    if (m < 2) return m;
    std::vector<double> sufmin(L);
    for (std::size_t i = m - 1; i-- > 0;) sufmin[i] = std::min(sufmin[i], sufmin[i + 1]);
    for (std::size_t p = 1; p < m; ++p) {
        if (!(stalled(p) && sufmin[p] >= L[p - 1] - std::log(100.0))) continue;
        level = std::min(median(std::vector<double>(L.begin() + std::ptrdiff_t(p), L.end())), L[p - 1]);
        std::size_t q = p;
        while (q > 0 && L[q - 1] <= level + std::log(kFloorBand)) --q;
        return q;
    }
    return m;
}

double coordinate(DecayLaw law, double t, double c) {
    switch (law) {
    case DecayLaw::exponential: return t;
    case DecayLaw::power: return t + c > 0 ? std::log(t + c) : kNaN;
    case DecayLaw::stretched_exponential: return t >= -1 ? std::sqrt(t + 1) : kNaN;
    }
    return kNaN;
}

constexpr std::array<DecayLaw, 3> kLaws = {DecayLaw::exponential, DecayLaw::power,
                                           DecayLaw::stretched_exponential};

// Power-law offset on points [a, b]: minimise rss over d = t_a + c > 0, first on a log grid spanning
// d / S in [1e-8, 1e3] (S the time scale of the window), then by golden section between the grid
// neighbours of the best grid point. Returns c.
double fit_offset(const std::vector<double>& t, const std::vector<double>& L, std::size_t a, std::size_t b,
                  std::vector<std::string>& notes) {
    const std::size_t n = b - a + 1;
    const double ta = t[a], S = std::max({t[b] - ta, std::abs(ta), 1e-300});
    std::vector<double> x(n);
    auto rss = [&](double d) {
        for (std::size_t i = 0; i < n; ++i) x[i] = std::log((t[a + i] - ta) + d);
        return least_squares(x.data(), &L[a], n).rss;
    };
    constexpr int G = 88; // 8 points per decade over 11 decades
    std::vector<double> d(G + 1), f(G + 1);
    for (int j = 0; j <= G; ++j) d[j] = S * std::pow(10.0, -8.0 + j / 8.0), f[j] = rss(d[j]);
    const int j = int(std::min_element(f.begin(), f.end()) - f.begin());
    if (j == 0 || j == G) notes.push_back(fmt("power-law offset at the edge of its bracket: c = %g", d[j] - ta));
    double lo = d[std::max(j - 1, 0)], hi = d[std::min(j + 1, G)];
    const double g = (std::sqrt(5.0) - 1) / 2;
    double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo), f1 = rss(x1), f2 = rss(x2);
    for (int it = 0; it < 300 && hi - lo > 4e-16 * hi; ++it) {
        if (f1 <= f2) hi = x2, x2 = x1, f2 = f1, x1 = hi - g * (hi - lo), f1 = rss(x1);
        else lo = x1, x1 = x2, f1 = f2, x2 = lo + g * (hi - lo), f2 = rss(x2);
    }
    double best = f1 <= f2 ? x1 : x2;
    if (f[j] < std::min(f1, f2)) best = d[j];
    return best - ta;
}

LawFit fit_law(DecayLaw law, const std::vector<double>& t, const std::vector<double>& L, std::size_t a,
               std::size_t b, bool offset, std::vector<std::string>& notes) {
    LawFit f;
    f.law = law;
    if (law == DecayLaw::power && offset) f.offset = fit_offset(t, L, a, b, notes);
    std::vector<double> x(b - a + 1);
    for (std::size_t i = a; i <= b; ++i) x[i - a] = coordinate(law, t[i], f.offset);
    if (std::any_of(x.begin(), x.end(), [](double v) { return !std::isfinite(v); })) {
        notes.push_back(to_string(law) + " law not fitted: its coordinate is undefined on the window");
        return f;
    }
    try {
        f.line = fit_line(x, std::span<const double>(&L[a], x.size()));
    } catch (const std::invalid_argument&) {
        notes.push_back(to_string(law) + " law not fitted: degenerate coordinate on the window");
        return f;
    }
    f.rate = -f.line.slope;
    f.ci95[0] = -f.line.slope_ci95[1];
    f.ci95[1] = -f.line.slope_ci95[0];
    f.rss = f.line.rss;
    return f;
}

struct Window {
    std::size_t a = 0, b = 0; // inclusive point indices
    bool flat = false;        // a constant-slope stretch was found
    bool extended = false;    // widened beyond that stretch to the minimum length
    std::size_t flat_points = 0;
};

// The latest block of min_points points whose local slopes (consecutive differences of L against X) are
// all negative and within tol (relative) of the block median, extended backwards while the slopes stay
// within tol of that median; then widened backwards to min_len points if shorter.
Window detect_window(const std::vector<double>& X, const std::vector<double>& L, std::size_t min_points,
                     double tol, std::size_t min_len) {
    const std::size_t m = X.size(), k = min_points - 1;
    std::vector<double> s(m - 1);
    for (std::size_t j = 0; j + 1 < m; ++j) {
        const double dx = X[j + 1] - X[j];
        s[j] = (std::isfinite(dx) && dx > 0) ? (L[j + 1] - L[j]) / dx : kNaN;
    }
    auto near = [&](double v, double ref) { return std::isfinite(v) && std::abs(v - ref) <= tol * std::abs(ref); };
    Window w;
    for (std::size_t end = m - 1; end >= k; --end) {
        std::vector<double> block(s.begin() + std::ptrdiff_t(end - k), s.begin() + std::ptrdiff_t(end));
        if (!std::all_of(block.begin(), block.end(), [](double v) { return std::isfinite(v) && v < 0; }))
            continue;
        const double ref = median(block);
        if (!std::all_of(block.begin(), block.end(), [&](double v) { return near(v, ref); })) continue;
        std::size_t a = end - k;
        while (a > 0 && near(s[a - 1], ref)) --a;
        w = {a, end, true, false, end - a + 1};
        break;
    }
    if (!w.flat) w.a = m - min_len, w.b = m - 1;
    else if (w.b - w.a + 1 < min_len) w.a = w.b + 1 >= min_len ? w.b + 1 - min_len : 0, w.extended = true;
    return w;
}

} // namespace

LinearFit fit_line(std::span<const double> x, std::span<const double> y) {
    if (x.size() != y.size()) throw std::invalid_argument("fit_line: x and y differ in length");
    if (x.size() < 3) throw std::invalid_argument("fit_line: need at least 3 points");
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) throw std::invalid_argument("fit_line: non-finite input");
    const std::size_t n = x.size();
    const Line l = least_squares(x.data(), y.data(), n);
    if (!std::isfinite(l.rss)) throw std::invalid_argument("fit_line: all x are equal (or sums overflow)");
    LinearFit f;
    f.slope = l.slope, f.intercept = l.intercept, f.rss = l.rss, f.points = n;
    const double s2 = l.rss / double(n - 2);
    f.slope_se = std::sqrt(s2 / l.sxx);
    f.intercept_se = std::sqrt(s2 * (1.0 / double(n) + l.xbar * l.xbar / l.sxx));
    const double q = boost::math::quantile(boost::math::students_t(double(n - 2)), 0.975);
    f.slope_ci95[0] = f.slope - q * f.slope_se;
    f.slope_ci95[1] = f.slope + q * f.slope_se;
    f.r2 = l.syy > 0 ? 1 - l.rss / l.syy : 1.0;
    return f;
}

std::string to_string(DecayLaw law) {
    switch (law) {
    case DecayLaw::exponential: return "exponential";
    case DecayLaw::power: return "power";
    case DecayLaw::stretched_exponential: return "stretched-exponential";
    }
    return "unknown";
}

DecayFit fit_decay(std::span<const double> t, std::span<const double> u, const DecayFitOptions& opt) {
    const std::size_t n = t.size();
    if (u.size() != n) throw std::invalid_argument("fit_decay: t and u differ in length");
    if (n < 3) throw std::invalid_argument("fit_decay: need at least 3 points");
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(t[i]) || (i > 0 && !(t[i] > t[i - 1])))
            throw std::invalid_argument("fit_decay: t must be finite and strictly increasing");
    if (!(opt.slope_tolerance > 0)) throw std::invalid_argument("fit_decay: slope_tolerance must be > 0");
    DecayFit out;

    // 1. Hard floor: the usable prefix ends at the first non-finite, non-positive or <= floor value.
    std::size_t m = 0;
    while (m < n && std::isfinite(u[m]) && u[m] > 0 && u[m] > opt.floor) ++m;
    if (m < n) out.notes.push_back(fmt("dropped %.0f points from t = %g on: u non-finite, <= 0 or <= floor",
                                       double(n - m), t[m]));
    std::vector<double> tt(t.begin(), t.begin() + std::ptrdiff_t(m)), L(m);
    for (std::size_t i = 0; i < m; ++i) L[i] = std::log(u[i]);

    // 2. Round-off floor: the first point where log u stops decreasing and never again falls more than a
    //    factor 100 below; then also drop the points within a factor 10 of the floor level.
    if (!opt.window) {
        double level = 0;
        const std::size_t q = floor_start(L, [&](std::size_t p) { return L[p] >= L[p - 1]; }, level);
        if (q < m)
            out.notes.push_back(fmt("round-off floor near u = %g: dropped %.0f points from t = %g on",
                                    std::exp(level), double(m - q), tt[q]));
        m = q;
        tt.resize(m), L.resize(m);
    }
    if (m < 3) throw std::invalid_argument("fit_decay: fewer than 3 usable points");
    out.usable_points = m;

    // 3. Windows.
    const std::size_t minp = std::clamp<std::size_t>(opt.min_points, 3, m);
    const std::size_t min_len =
        std::clamp<std::size_t>(std::max<std::size_t>(minp, std::size_t(std::ceil(opt.min_fraction * double(m)))), 3, m);
    std::array<Window, 3> win;
    std::size_t cand = 0;
    std::vector<std::string> wnotes;
    if (opt.window) {
        const auto [lo, hi] = *opt.window;
        std::size_t a = 0;
        while (a < m && tt[a] < lo) ++a;
        std::size_t b = a;
        while (b < m && tt[b] <= hi) ++b;
        if (b < a + 3) throw std::invalid_argument("fit_decay: fewer than 3 usable points in the given window");
        win.fill(Window{a, b - 1, false, false, b - a});
        wnotes.push_back("window given by the caller");
    } else {
        std::vector<double> X(m);
        auto detect = [&](DecayLaw law, double c) {
            for (std::size_t i = 0; i < m; ++i) X[i] = coordinate(law, tt[i], c);
            return detect_window(X, L, minp, opt.slope_tolerance, min_len);
        };
        for (std::size_t l = 0; l < 3; ++l) win[l] = detect(kLaws[l], 0);
        if (opt.power_offset) { // re-detect in the coordinate log(t + c) with c fitted on the previous window
            std::vector<std::string> scratch;
            for (int it = 0; it < 2; ++it) {
                const Window& w = win[1];
                win[1] = detect(DecayLaw::power, fit_offset(tt, L, w.a, w.b, scratch));
            }
        }
        bool any = false;
        for (std::size_t l = 0; l < 3; ++l)
            if (win[l].flat && (!any || win[l].flat_points > win[cand].flat_points)) cand = l, any = true;
        if (!any) wnotes.push_back("no law has a constant local slope: asymptotic regime not reached?");
    }

    // 4. Fit all laws on the candidate's window; move to the winner's window until they agree.
    std::vector<std::string> fnotes;
    std::size_t winner = cand;
    for (int it = 0; it < 4; ++it) {
        fnotes.clear();
        out.laws.clear();
        for (DecayLaw law : kLaws)
            out.laws.push_back(fit_law(law, tt, L, win[cand].a, win[cand].b, opt.power_offset, fnotes));
        winner = std::size_t(std::min_element(out.laws.begin(), out.laws.end(),
                                              [](const LawFit& x, const LawFit& y) { return x.rss < y.rss; }) -
                             out.laws.begin());
        if (winner == cand) break;
        if (it == 3) wnotes.push_back("law selection did not settle; reporting the last window");
        else cand = winner;
    }
    const Window& w = win[cand];
    out.best = out.laws[winner];
    out.t_lo = tt[w.a], out.t_hi = tt[w.b], out.points = w.b - w.a + 1;
    if (!opt.window) {
        const std::string law = to_string(kLaws[cand]);
        if (w.flat)
            wnotes.push_back(fmt("local slope constant within the tolerance on [%g, %g] (%.0f points)",
                                 tt[w.b + 1 - w.flat_points], tt[w.b], double(w.flat_points)) +
                             " in the " + law + " coordinate");
        if (w.extended)
            wnotes.push_back("window widened beyond the constant-slope stretch to min_points / min_fraction: "
                             "the rate may carry transient bias");
        if (w.b + 1 < m) wnotes.push_back(fmt("window ends %.0f usable points before the last", double(m - 1 - w.b)));
    }
    if (opt.power_offset) wnotes.push_back("power-law CI ignores the uncertainty of the fitted offset");
    out.notes.insert(out.notes.end(), wnotes.begin(), wnotes.end());
    out.notes.insert(out.notes.end(), fnotes.begin(), fnotes.end());
    return out;
}

OrderFit fit_order(std::span<const double> step, std::span<const double> error, double nominal_order,
                   double floor, double tolerance) {
    const std::size_t n = step.size();
    if (error.size() != n) throw std::invalid_argument("fit_order: step and error differ in length");
    for (double h : step)
        if (!std::isfinite(h) || !(h > 0)) throw std::invalid_argument("fit_order: steps must be finite and > 0");
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    std::sort(idx.begin(), idx.end(), [&](std::size_t i, std::size_t j) { return step[i] > step[j]; });
    for (std::size_t i = 1; i < n; ++i)
        if (step[idx[i]] == step[idx[i - 1]]) throw std::invalid_argument("fit_order: repeated step");

    OrderFit out;
    out.used.assign(n, false);
    auto flag = [&](const char* f) {
        if (std::find(out.flags.begin(), out.flags.end(), f) == out.flags.end()) out.flags.emplace_back(f);
    };
    // Coarse-to-fine sequence of valid points.
    std::vector<std::size_t> seq;
    for (std::size_t i : idx) {
        const double e = error[i];
        if (!std::isfinite(e) || !(e > 0)) flag("invalid-error");
        else if (floor > 0 && e <= kFloorBand * floor) flag("roundoff-floor");
        else seq.push_back(i);
    }
    std::vector<double> X, L;
    for (std::size_t i : seq) X.push_back(std::log(step[i])), L.push_back(std::log(error[i]));
    // Round-off floor: the error stops decreasing (pairwise order below stall_order) and never again
    // falls a factor 100 lower.
    const double stall_order = std::clamp(nominal_order / 4, 0.0, 0.5);
    double level = 0;
    const std::size_t q = floor_start(
        L, [&](std::size_t p) { return !((L[p - 1] - L[p]) / (X[p - 1] - X[p]) > stall_order); }, level);
    if (q < seq.size()) seq.resize(q), X.resize(q), L.resize(q), flag("roundoff-floor");
    const std::size_t M = seq.size();
    // Pairwise slopes; the finest pair of neighbouring slopes that agree sets the reference.
    std::vector<double> qs;
    for (std::size_t j = 0; j + 1 < M; ++j) qs.push_back((L[j] - L[j + 1]) / (X[j] - X[j + 1]));
    std::size_t a = 0, b = M == 0 ? 0 : M - 1; // used range of seq, inclusive
    bool found = false;
    for (std::size_t e = qs.size(); e-- > 1;) {
        if (std::abs(qs[e] - qs[e - 1]) > tolerance) continue;
        const double ref = (qs[e] + qs[e - 1]) / 2;
        a = e - 1, b = e + 1, found = true;
        while (a > 0 && std::abs(qs[a - 1] - ref) <= tolerance) --a;
        break;
    }
    if (!found && M >= 3) flag("no-asymptotic-range");
    if (found && a > 0) flag("pre-asymptotic");
    if (found && b + 1 < M) flag("roundoff-floor");
    if (M == 0) {
        flag("insufficient-points");
        return out;
    }
    for (std::size_t j = a; j <= b; ++j) out.used[seq[j]] = true;
    out.points_used = b - a + 1;
    if (out.points_used >= 3) {
        const LinearFit f = fit_line(std::span<const double>(&X[a], out.points_used),
                                     std::span<const double>(&L[a], out.points_used));
        out.observed = f.slope, out.ci95[0] = f.slope_ci95[0], out.ci95[1] = f.slope_ci95[1];
    } else {
        flag("insufficient-points");
        if (out.points_used == 2) out.observed = qs[a];
    }
    if (out.observed > nominal_order + 0.5) flag("superconvergence");
    if (out.observed < nominal_order - 0.5) flag("below-nominal");
    return out;
}

} // namespace normdyn::measure
