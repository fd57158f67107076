#include "normdyn/certify/equiangular_enclosure.hpp"

#include "normdyn/certify/series.hpp"
#include "normdyn/model/equiangular.hpp"
#include "normdyn/solve/taylor.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace normdyn::certify {

template <class V>
EquiangularRates<V> equiangular_rates(model::SchemeKind kind, bool after_switch, std::size_t n, const V& beta,
                                      const V& alpha, const V& u, const V& r, const V& t) {
    const auto field = model::equiangular_field(u, n, beta);
    const auto alpha_at = [&](const V&) { return alpha; };
    EquiangularRates<V> rates;
    rates.speed = model::speed_factor_law<V>(kind, after_switch, t, r, field.attention_norm, alpha_at);
    rates.du = -field.drift / rates.speed;
    rates.dr = model::radial_rate_law<V>(kind, after_switch, field.inner, field.attention_norm);
    return rates;
}

template struct EquiangularRates<interval>;
template struct EquiangularRates<Series>;
template EquiangularRates<interval> equiangular_rates<interval>(model::SchemeKind, bool, std::size_t, const interval&,
                                                                const interval&, const interval&, const interval&,
                                                                const interval&);
template EquiangularRates<Series> equiangular_rates<Series>(model::SchemeKind, bool, std::size_t, const Series&,
                                                            const Series&, const Series&, const Series&, const Series&);

namespace {

using Box = std::array<interval, 2>;  // {u, r}
using Matrix = std::array<std::array<interval, 2>, 2>;

/// Restores the interval precision on scope exit.
class PrecisionScope {
public:
    explicit PrecisionScope(unsigned digits) : saved_(interval_digits()) { set_interval_digits(digits); }
    ~PrecisionScope() { set_interval_digits(saved_); }
    PrecisionScope(const PrecisionScope&) = delete;
    PrecisionScope& operator=(const PrecisionScope&) = delete;

private:
    unsigned saved_;
};

class Stepper {
public:
    Stepper(const EquiangularCase& problem, const EnclosureOptions& options, bool after_switch, std::size_t order)
        : kind_(problem.scheme), after_(after_switch), n_(problem.n), beta_(interval_from_text(problem.beta)),
          alpha_(interval_from_text(problem.alpha)), options_(options), order_(order),
          epsilon_(std::ldexp(1.0, -static_cast<int>(interval_bits()))) {
        auto scheme = model::make_scheme<interval>(kind_, interval_from_text(problem.tau), alpha_);
        tape_ = solve::record_equiangular_tape<interval>(n_, beta_, scheme, after_);
        // The remainder's coefficient needs a bound, not digits: its tape runs at 64 bits (four times faster),
        // constants read from the text again at that precision (still enclosures of the exact ones).
        PrecisionScope low(remainder_digits);
        auto low_scheme = model::make_scheme<interval>(kind_, interval_from_text(problem.tau), interval_from_text(problem.alpha));
        box_tape_ = solve::record_equiangular_tape<interval>(n_, interval_from_text(problem.beta), low_scheme, after_);
    }

    static constexpr unsigned remainder_digits = 19;

    /// f over the box x and the times t: {du, dr, s}.
    EquiangularRates<interval> rates(const Box& x, const interval& t) const {
        return equiangular_rates<interval>(kind_, after_, n_, beta_, alpha_, x[0], x[1], t);
    }

    /// Df over the box x and the times t, by order-1 series in u and in r.
    Matrix jacobian(const Box& x, const interval& t) const {
        Matrix d;
        for (std::size_t j = 0; j < 2; ++j) {
            const Series u = j == 0 ? Series::variable(x[0], 1) : Series(x[0]);
            const Series r = j == 1 ? Series::variable(x[1], 1) : Series(x[1]);
            const auto f = equiangular_rates<Series>(kind_, after_, n_, Series(beta_), Series(alpha_), u, r, Series(t));
            d[0][j] = f.du[1];
            d[1][j] = f.dr[1];
        }
        return d;
    }

    /// Why the speed factor rules out a step from x at t (empty: it does not): its enclosure over x holds 0.
    std::string singular_at(const Box& x, const interval& t) const {
        const interval s = rates(x, t).speed;
        if (strictly_positive(s)) return {};
        return "the speed factor's enclosure [" + lower_text(s, 6) + ", " + upper_text(s, 6) + "] contains 0";
    }

    /// One step of length h (an interval: the exact target minus t, or a thin value) from X at t, after
    /// suggested_step(X, t) (whose midpoint coefficients it uses). Returns false (X unchanged) when the
    /// a-priori enclosure or the remainder fails for this h; then shrink() is the factor to try next.
    bool step(Box& x, const interval& t, const interval& h) {
        shrink_ = 0.5;
        const interval times = hull(t, t + h);
        const interval unit_h = times_unit(h);
        // Picard–Lindelöf: B ⊇ X + [0, h] f(B).
        Box b;
        {
            const auto f0 = rates(x, times);
            if (!strictly_positive(f0.speed)) return false;
            for (std::size_t i = 0; i < 2; ++i) {
                const interval reach = hull(x[i], x[i] + unit_h * (i == 0 ? f0.du : f0.dr));
                b[i] = reach + symmetric(reach - midpoint(reach)) / 10 + interval(epsilon_) * symmetric(reach);
            }
        }
        bool validated = false;
        for (int attempt = 0; attempt < 4 && !validated; ++attempt) {
            const auto f = rates(b, times);
            if (!strictly_positive(f.speed)) return false;
            const Box next = {x[0] + unit_h * f.du, x[1] + unit_h * f.dr};
            validated = subset(next[0], b[0]) && subset(next[1], b[1]);
            if (validated) b = next;
            else
                for (std::size_t i = 0; i < 2; ++i) {
                    const interval grown = hull(b[i], next[i]);
                    b[i] = grown + symmetric(grown - midpoint(grown)) / 4;
                }
        }
        if (!validated) return false;
        // Remainder: coefficient p + 1 of the solution through any point of B at any time of the step.
        Box remainder;
        {
            PrecisionScope low(remainder_digits);
            box_tape_->expand(std::span<const interval>(b), times, order_ + 1, box_series_);
            interval hp = 1;
            for (std::size_t k = 0; k <= order_; ++k) hp *= h;
            for (std::size_t i = 0; i < 2; ++i) remainder[i] = box_series_[i][order_ + 1] * hp;
        }
        for (std::size_t i = 0; i < 2; ++i) {
            // Too large: the remainder scales about like h^{p+1}, so aim at a quarter of the bound.
            if (is_bounded(remainder[i]) && magnitude(remainder[i]) > 16 * epsilon_)
                shrink_ = std::clamp(std::pow(4 * epsilon_ / magnitude(remainder[i]), 1.0 / double(order_ + 1)), 0.1, 0.9);
            if (!is_bounded(remainder[i]) || magnitude(remainder[i]) > 16 * epsilon_) return false;
        }
        // The solution from the midpoint: its Taylor polynomial (Horner) plus the remainder.
        const Box centre = {midpoint(x[0]), midpoint(x[1])};
        Box image;
        for (std::size_t i = 0; i < 2; ++i) {
            interval sum = series_[i][order_];
            for (std::size_t k = order_; k-- > 0;) sum = sum * h + series_[i][k];
            image[i] = sum + remainder[i];
        }
        // Mean-value form: Φ ∈ I + [0, h] Df(B) Φ̃, Φ̃ = I + [−E, E].
        const Matrix d = jacobian(b, times);
        // Its upper end bounds the ∞-norm (the hull's upper end is the larger row sum's).
        const interval norm = hull(abs(d[0][0]) + abs(d[0][1]), abs(d[1][0]) + abs(d[1][1]));
        const interval spread = symmetric(exp(norm * hull(interval(0), h)) - 1);
        Matrix phi;
        for (std::size_t i = 0; i < 2; ++i)
            for (std::size_t j = 0; j < 2; ++j) {
                interval sum = 0;
                for (std::size_t k = 0; k < 2; ++k) sum += d[i][k] * ((k == j ? interval(1) : interval(0)) + spread);
                phi[i][j] = (i == j ? interval(1) : interval(0)) + unit_h * sum;
            }
        const Box offset = {x[0] - centre[0], x[1] - centre[1]};
        for (std::size_t i = 0; i < 2; ++i) {
            x[i] = image[i] + phi[i][0] * offset[0] + phi[i][1] * offset[1];
            if (!is_bounded(x[i])) return false;
        }
        return true;
    }

    /// A step length from the midpoint's coefficients: (ε / |c_k|)^{1/k} for k = p − 1, p (Jorba–Zou).
    double suggested_step(const Box& x, const interval& t) {
        const Box centre = {midpoint(x[0]), midpoint(x[1])};
        tape_->expand(std::span<const interval>(centre), t, order_, series_);
        double h = 1e300;
        for (std::size_t i = 0; i < 2; ++i)
            for (std::size_t k : {order_ - 1, order_}) {
                const double c = magnitude(series_[i][k]);
                if (c > 0) h = std::min(h, std::pow(epsilon_ / c, 1.0 / double(k)));
            }
        return std::min(h, 4.0) * 0.5;
    }

    double shrink() const { return shrink_; }

private:
    model::SchemeKind kind_;
    bool after_;
    std::size_t n_;
    interval beta_, alpha_;
    EnclosureOptions options_;
    std::size_t order_;
    double epsilon_;
    std::unique_ptr<solve::taylor::Tape<interval>> tape_, box_tape_;
    double shrink_ = 0.5;
    std::vector<std::vector<interval>> series_, box_series_;
};

/// A double with its 24 leading bits kept (rounded down): steps made of it keep t_j + h exact.
double short_step(double h) {
    int exponent = 0;
    const double mantissa = std::frexp(h, &exponent);
    return std::ldexp(std::floor(std::ldexp(mantissa, 24)), exponent - 24);
}

}  // namespace

EquiangularEnclosure enclose_equiangular(const EquiangularCase& problem, const EnclosureOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    if (problem.n < 2) throw std::invalid_argument("the equiangular system needs n >= 2");
    if (options.digits < 10) throw std::invalid_argument("interval digits must be at least 10");
    PrecisionScope precision(options.digits);
    EquiangularEnclosure out;
    out.digits = options.digits;
    out.bits = interval_bits();
    const double epsilon = std::ldexp(1.0, -static_cast<int>(out.bits));
    out.order = options.order ? options.order
                              : std::size_t(std::ceil(0.5 * std::log(1 / epsilon) + 1));
    const interval t_end = interval_from_text(problem.t_end);
    if (!strictly_positive(t_end)) throw std::invalid_argument("t_end must be positive");

    // Targets: output times, then t_end; Mix-LN also lands on τ (not an output).
    std::vector<std::pair<interval, bool>> targets;  // (time, is an output)
    for (const auto& text : problem.output_times) targets.emplace_back(interval_from_text(text), true);
    targets.emplace_back(t_end, true);
    const bool switches = model::scheme_row(problem.scheme).switches;
    const interval tau = interval_from_text(problem.tau);
    if (switches && strictly_positive(tau) && strictly_positive(t_end - tau)) {
        auto at = std::find_if(targets.begin(), targets.end(),
                               [&](const auto& target) { return !strictly_positive(tau - target.first); });
        targets.insert(at, {tau, false});
    }

    Box x = {interval_from_text(problem.u0), interval_from_text(problem.r0)};
    interval t = 0;
    std::unique_ptr<Stepper> stepper;
    bool stepper_after = false;
    double ratio = 1;  // steps the remainder allowed lately, relative to the midpoint's suggestion
    for (const auto& [target, output] : targets) {
        // The regime of this segment: Mix-LN is Pre-LN from τ on (t is τ's own interval once landed there).
        const bool after_regime = switches && !strictly_positive(tau - t);
        if (!stepper || stepper_after != after_regime) {
            stepper = std::make_unique<Stepper>(problem, options, after_regime, out.order);
            stepper_after = after_regime;
        }
        while (out.reason.empty()) {
            const interval remaining = target - t;
            if (!strictly_positive(remaining)) break;  // landed (t is the target's interval)
            if (auto why = stepper->singular_at(x, t); !why.empty()) {
                out.reason = why;
                break;
            }
            const double suggested = stepper->suggested_step(x, t);
            double h = std::min(suggested * ratio, upper_double(remaining));
            bool taken = false;
            while (!taken) {
                const bool lands = h >= lower_double(remaining);
                const interval step = lands ? remaining : interval(short_step(h));
                Box trial = x;
                if (stepper->step(trial, t, step)) {
                    x = trial;
                    t = lands ? target : t + step;
                    taken = true;
                    if (!lands) ratio = std::min(1.0, 1.02 * h / suggested);
                    ++out.steps;
                } else {
                    ++out.rejected;
                    h = short_step(std::min(h, lower_double(remaining)) * stepper->shrink());
                    if (h < options.min_step) {
                        out.reason = "step-size underflow (a step shorter than " + std::to_string(options.min_step) +
                                     " still fails the a-priori enclosure or the remainder bound)";
                        break;
                    }
                }
            }
            if (taken && (width(x[0]) > options.max_width || width(x[1]) > options.max_width))
                out.reason = "width growth (the enclosure of u or r is wider than " + std::to_string(options.max_width) + ")";
        }
        if (!out.reason.empty()) break;
        if (output) out.samples.push_back({t, x[0], x[1]});
    }
    out.t_reached = t;
    out.certified = out.reason.empty();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return out;
}

}  // namespace normdyn::certify
