// Implementation of normdyn::solve::solve, included once per scalar type by solver_<type>.cpp.
// The only file of the project that includes Boost.Odeint.
#pragma once

#include "normdyn/scalar.hpp"
#include "normdyn/solve/solver.hpp"
#include "normdyn/solve/taylor.hpp"

#include <boost/numeric/odeint.hpp>

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <sstream>

namespace normdyn::solve::detail {

namespace odeint = boost::numeric::odeint;

template <class T> using State = std::vector<T>;

/// The RHS as odeint sees it: a cheap copyable handle that counts evaluations.
template <class T> struct CountingSystem {
    model::VectorField<T>* field;
    std::size_t* evaluations;
    void operator()(const State<T>& x, State<T>& dxdt, const T& t) const {
        ++*evaluations;
        (*field)(x, dxdt, t);
    }
};

/// One stepper behind a small virtual interface, so the loop below is written once.
template <class T> class Driver {
public:
    virtual ~Driver() = default;
    /// Fixed step of size dt from (x, t); t is advanced.
    virtual void fixed_step(CountingSystem<T> system, State<T>& x, T& t, const T& dt) = 0;
    /// Adaptive trial: on acceptance x and t advance; dt becomes the proposal for the next step.
    virtual bool try_step(CountingSystem<T> system, State<T>& x, T& t, T& dt) = 0;
};

template <class T, class Method> class FixedDriver final : public Driver<T> {
public:
    void fixed_step(CountingSystem<T> system, State<T>& x, T& t, const T& dt) override {
        method_.do_step(system, x, t, dt);
        t += dt;
    }
    bool try_step(CountingSystem<T>, State<T>&, T&, T&) override { return false; }

private:
    Method method_;
};

template <class T, class Method> class AdaptiveDriver final : public Driver<T> {
public:
    // Error norm: max over components of |err_i| / (atol + rtol |x_i|) (odeint's checker with a_x = 1,
    // a_dxdt = 0).
    AdaptiveDriver(const T& atol, const T& rtol)
        : controlled_(typename Controlled::error_checker_type(atol, rtol, T(1), T(0))) {}
    void fixed_step(CountingSystem<T> system, State<T>& x, T& t, const T& dt) override {
        method_.do_step(system, x, t, dt);
        t += dt;
    }
    bool try_step(CountingSystem<T> system, State<T>& x, T& t, T& dt) override {
        return controlled_.try_step(system, x, t, dt) == odeint::success;
    }

private:
    using Controlled = odeint::controlled_runge_kutta<Method>;
    Method method_;
    Controlled controlled_;
};

template <class T> class BulirschStoerDriver final : public Driver<T> {
public:
    BulirschStoerDriver(const T& atol, const T& rtol) : method_(atol, rtol, T(1), T(0)) {}
    void fixed_step(CountingSystem<T>, State<T>&, T&, const T&) override {}
    bool try_step(CountingSystem<T> system, State<T>& x, T& t, T& dt) override {
        return method_.try_step(system, x, t, dt) == odeint::success;
    }

private:
    odeint::bulirsch_stoer<State<T>, T> method_;
};

template <class T> std::unique_ptr<Driver<T>> make_driver(Stepper stepper, const T& atol, const T& rtol) {
    using S = State<T>;
    switch (stepper) {
        case Stepper::euler: return std::make_unique<FixedDriver<T, odeint::euler<S, T, S, T>>>();
        case Stepper::rk4: return std::make_unique<FixedDriver<T, odeint::runge_kutta4<S, T, S, T>>>();
        case Stepper::cash_karp54:
            return std::make_unique<AdaptiveDriver<T, odeint::runge_kutta_cash_karp54<S, T, S, T>>>(atol, rtol);
        case Stepper::dopri5:
            return std::make_unique<AdaptiveDriver<T, odeint::runge_kutta_dopri5<S, T, S, T>>>(atol, rtol);
        case Stepper::rkf78:
            return std::make_unique<AdaptiveDriver<T, odeint::runge_kutta_fehlberg78<S, T, S, T>>>(atol, rtol);
        case Stepper::bulirsch_stoer: return std::make_unique<BulirschStoerDriver<T>>(atol, rtol);
        case Stepper::taylor: break;  // not an odeint stepper: Run::taylor_segment
    }
    return nullptr;
}

template <class T> bool all_finite(const State<T>& x) {
    return std::all_of(x.begin(), x.end(), [](const T& v) { return is_finite(v); });
}

template <class T> T max_abs(const State<T>& x) {
    using std::abs;
    T m = 0;
    for (const T& v : x) m = std::max<T>(m, abs(v));
    return m;
}

/// The integration loop over one run: segments between breakpoints, stops at output times.
template <class T> class Run {
public:
    Run(model::VectorField<T>& field, const SolveOptions<T>& options, const Observer<T>& observer)
        : field_(field), options_(options), observer_(observer) {}

    Solution<T> operator()(State<T> x, const T& t0, const T& t_end) {
        const auto start = std::chrono::steady_clock::now();
        solution_.t_reached = t0;
        try {
            observe(t0, x);
            auto stops = segment_ends(t0, t_end);
            T t = t0;
            for (const T& segment_end : stops) {
                if (options_.stop_at_breakpoints) field_.begin_segment(t, segment_end);
                const bool finished = options_.stepper == Stepper::taylor ? taylor_segment(x, t, segment_end)
                                                                          : segment(x, t, segment_end);
                if (!finished) break;
            }
            field_.end_segments();
            observe(solution_.t_reached, x);
        } catch (const model::FieldSingularity& e) {
            field_.end_segments();
            stop(e.what());
        }
        solution_.final_state = std::move(x);
        solution_.stats.rhs_evals = evaluations_;
        solution_.stats.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::move(solution_);
    }

private:
    std::vector<T> segment_ends(const T& t0, const T& t_end) const {
        std::vector<T> ends;
        if (options_.stop_at_breakpoints)
            for (const T& b : field_.breakpoints())
                if (b > t0 && b < t_end) ends.push_back(b);
        std::sort(ends.begin(), ends.end());
        ends.push_back(t_end);
        return ends;
    }

    void stop(std::string reason) {
        solution_.status = SolveStatus::partial;
        solution_.reason = std::move(reason);
    }

    // Next output time strictly after t, or the segment end if that comes first.
    T next_stop(const T& t, const T& segment_end) {
        while (next_output_ < options_.output_times.size() && !(options_.output_times[next_output_] > t))
            ++next_output_;
        if (next_output_ < options_.output_times.size() && !(options_.output_times[next_output_] > segment_end))
            return options_.output_times[next_output_];
        return segment_end;
    }

    bool is_output_time(const T& t) const {
        return std::binary_search(options_.output_times.begin(), options_.output_times.end(), t);
    }

    void observe(const T& t, const State<T>& x) {
        if (!observer_ || (observed_any_ && t == last_observed_)) return;
        observer_(t, x);
        observed_any_ = true;
        last_observed_ = t;
    }

    // The observer may throw FieldSingularity: t_reached moves on only once it has seen the state.
    void reached(const T& t, const State<T>& x) {
        if (is_output_time(t)) observe(t, x);
        solution_.t_reached = t;
    }

    bool segment(State<T>& x, T& t, const T& segment_end) {
        using std::abs;
        auto driver = make_driver(options_.stepper, options_.atol, options_.rtol);
        CountingSystem<T> system{&field_, &evaluations_};
        State<T> last_good = x;
        T dt = options_.dt > 0 ? options_.dt : first_step(system, x, t, segment_end);
        try {
            while (t < segment_end) {
                if (solution_.stats.steps >= options_.max_steps) {
                    stop("step limit of " + std::to_string(options_.max_steps) + " steps reached");
                    return false;
                }
                const T target = next_stop(t, segment_end);
                // A fixed step that would land within round-off of the stop lands on it exactly.
                const T slack = options_.dt > 0 ? T(64) * std::numeric_limits<T>::epsilon() * dt : T(0);
                const bool clamped = dt + slack >= target - t;
                T h = clamped ? target - t : dt;
                if (!(t + h > t) || (options_.dt == 0 && !clamped && h < T(16) * std::numeric_limits<T>::epsilon() * abs(t))) {
                    stop("step-size underflow: step " + to_decimal(h) + " at t = " + to_decimal(t) +
                         (non_finite_trials_ ? " (trial steps gave non-finite states)" : ""));
                    return false;
                }
                last_good = x;
                const T t_before = t;
                if (options_.dt > 0) {
                    driver->fixed_step(system, x, t, h);
                    if (clamped) t = target;  // land exactly, free of round-off in t + h
                } else {
                    const bool accepted = driver->try_step(system, x, t, h);
                    if (accepted && !all_finite(x)) {
                        // odeint accepts a NaN error estimate (NaN > 1 is false): reject it here, shrink
                        // the step and restart the stepper, whose FSAL derivative is now stale.
                        x = last_good;
                        t = t_before;
                        h = (target - t_before < dt ? target - t_before : dt) / 4;
                        driver = make_driver(options_.stepper, options_.atol, options_.rtol);
                        non_finite_trials_ = true;
                    }
                    if (!accepted || t == t_before) {
                        ++solution_.stats.rejected;
                        dt = h;
                        continue;
                    }
                    if (clamped) t = target;
                    // After a step shortened to land on a stop, keep the larger of the two proposals.
                    dt = clamped ? std::max<T>(h, dt) : h;
                }
                ++solution_.stats.steps;
                if (!all_finite(x)) {
                    x = last_good;
                    t = t_before;
                    stop("state became non-finite in the step from t = " + to_decimal(t_before));
                    return false;
                }
                reached(t, x);
            }
        } catch (const model::FieldSingularity& e) {
            x = last_good;
            stop(e.what());
            return false;
        }
        return true;
    }

    // The Taylor method chooses its own step and lands exactly on every stop (output time, breakpoint,
    // t_end) by summing its series there; it never rejects a step.
    bool taylor_segment(State<T>& x, T& t, const T& segment_end) {
        using std::abs;
        if (!taylor_) taylor_ = std::make_unique<TaylorIntegrator<T>>(field_, options_.atol, options_.rtol);
        if (options_.stop_at_breakpoints) {
            const auto* scheme = scheme_of(field_);
            taylor_->set_regime(scheme->switched((t + segment_end) / 2));
        } else {
            taylor_->set_regime(std::nullopt);
        }
        State<T> last_good = x;
        try {
            while (t < segment_end) {
                if (solution_.stats.steps >= options_.max_steps) {
                    stop("step limit of " + std::to_string(options_.max_steps) + " steps reached");
                    return false;
                }
                const T target = next_stop(t, segment_end);
                last_good = x;
                const std::size_t passes_before = taylor_->coefficient_passes();
                const T h = taylor_->step(x, t, target - t);
                evaluations_ += taylor_->coefficient_passes() - passes_before;
                const bool landed = h == target - t;
                const T t_next = landed ? target : t + h;
                if (!(t_next > t) || (!landed && h < T(16) * std::numeric_limits<T>::epsilon() * abs(t))) {
                    x = last_good;
                    stop("step-size underflow: step " + to_decimal(h) + " at t = " + to_decimal(t));
                    return false;
                }
                ++solution_.stats.steps;
                if (!all_finite(x)) {
                    x = last_good;
                    stop("state became non-finite in the step from t = " + to_decimal(t));
                    return false;
                }
                t = t_next;
                reached(t, x);
            }
        } catch (const model::FieldSingularity& e) {
            x = last_good;
            stop(e.what());
            return false;
        }
        return true;
    }

    // Initial trial step from the scale of x and f(x) (Hairer–Nørsett–Wanner's first guess).
    T first_step(CountingSystem<T>& system, const State<T>& x, const T& t, const T& segment_end) {
        if (options_.initial_dt > 0) return options_.initial_dt;
        State<T> f(x.size());
        try {
            system(x, f, t);
        } catch (const model::FieldSingularity&) {
            return (segment_end - t) / 100;  // the loop reports it on the first step
        }
        const T d0 = max_abs(x), d1 = max_abs(f);
        T h = (d0 < T(1e-5) || d1 < T(1e-5)) ? T(1e-6) : T(0.01) * d0 / d1;
        return std::min<T>(h, segment_end - t);
    }

    model::VectorField<T>& field_;
    std::unique_ptr<TaylorIntegrator<T>> taylor_;
    const SolveOptions<T>& options_;
    const Observer<T>& observer_;
    Solution<T> solution_;
    std::size_t evaluations_ = 0;
    std::size_t next_output_ = 0;
    bool observed_any_ = false;
    bool non_finite_trials_ = false;
    T last_observed_ = 0;
};

}  // namespace normdyn::solve::detail

namespace normdyn::solve {

template <class T>
Solution<T> solve(model::VectorField<T>& field, std::vector<T> x0, const T& t0, const T& t_end,
                  const SolveOptions<T>& options, const Observer<T>& observer) {
    if (options.dt > 0 && !has_fixed_step(options.stepper))
        throw std::invalid_argument(to_string(options.stepper) + " has no fixed-step mode: drop --dt");
    if (!(options.dt > 0) && !has_error_estimate(options.stepper))
        throw std::invalid_argument(to_string(options.stepper) + " is fixed-step only: give --dt");
    if (options.stepper == Stepper::taylor && !has_taylor_tape(field))
        throw std::invalid_argument("stepper taylor: supports the equiangular and the n-particle systems only");
    if (!detail::all_finite(x0)) throw std::invalid_argument("initial state is not finite");
    if (!(t_end >= t0)) throw std::invalid_argument("t_end must not precede t0");
    detail::Run<T> run(field, options, observer);
    return run(std::move(x0), t0, t_end);
}

}  // namespace normdyn::solve

#define NORMDYN_INSTANTIATE_SOLVE(T)                                                                          \
    template normdyn::solve::Solution<T> normdyn::solve::solve<T>(                                           \
        normdyn::model::VectorField<T>&, std::vector<T>, const T&, const T&,                                 \
        const normdyn::solve::SolveOptions<T>&, const normdyn::solve::Observer<T>&);
