// Implementation of normdyn::solve::solve, included once per scalar type by solver_<type>.cpp.
// The only file of the project that includes Boost.Odeint.
#pragma once

#include "normdyn/scalar.hpp"
#include "normdyn/solve/solver.hpp"
#include "normdyn/solve/taylor.hpp"

#include "dop853_coefficients.hpp"
#include "kernels/dop853_loops.hpp"

#include <boost/numeric/odeint.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <memory>
#include <sstream>
#include <type_traits>
#include <utility>

namespace normdyn::solve::detail {

namespace odeint = boost::numeric::odeint;

template <class T> using State = model::State<T>;

/// The RHS as odeint sees it: a cheap copyable handle that counts evaluations.
template <class T> struct CountingSystem {
    model::VectorField<T>* field;
    std::size_t* evaluations;
    void operator()(const State<T>& x, State<T>& dxdt, const T& t) const {
        ++*evaluations;
        (*field)(x, dxdt, t);
    }
};

template <class T> bool all_finite(const State<T>& x) {
    return std::all_of(x.begin(), x.end(), [](const T& v) { return is_finite(v); });
}

/// The outcome of an adaptive trial step.
enum class Trial {
    accepted,   ///< x and t advanced, dt is the proposal for the next step
    rejected,   ///< x and t unchanged, dt shrunk
    non_finite  ///< the trial state was not finite: the loop restores x and t and restarts the stepper
};

/// One stepper behind a small virtual interface, so the loop below is written once.
template <class T> class Driver {
public:
    virtual ~Driver() = default;
    /// Fixed step of size dt from (x, t); t is advanced.
    virtual void fixed_step(CountingSystem<T> system, State<T>& x, T& t, const T& dt) = 0;
    /// Adaptive trial of size dt from (x, t).
    virtual Trial try_step(CountingSystem<T> system, State<T>& x, T& t, T& dt) = 0;
    /// f = f(t, x) for the (x, t) of the next trial, which the loop evaluated already (for the first step's
    /// size): dop853 takes it (swapped out of f) as its first stage instead of evaluating it again.
    virtual void take_derivative(State<T>& f, const T& t) {
        (void)f;
        (void)t;
    }
    /// Whether an accepted trial has a continuous extension (prepare_dense, dense_state): then output times
    /// never shorten a step.
    virtual bool has_dense_output() const { return false; }
    /// After an accepted trial from x_old to (t_new, x_new): builds that step's continuous extension, with the
    /// evaluations it needs on system.
    virtual void prepare_dense(CountingSystem<T> system, const State<T>& x_old, const State<T>& x_new, const T& t_new) {
        (void)system;
        (void)x_old;
        (void)x_new;
        (void)t_new;
    }
    /// x = the continuous extension of the last accepted step at t, inside that step.
    virtual void dense_state(const T& t, State<T>& x) const {
        (void)t;
        (void)x;
    }
};

/// odeint's outcome as a Trial. odeint accepts a NaN error estimate (NaN > 1 is false), so an accepted
/// state is checked here.
template <class T> Trial odeint_trial(odeint::controlled_step_result result, const State<T>& x) {
    if (result != odeint::success) return Trial::rejected;
    return all_finite(x) ? Trial::accepted : Trial::non_finite;
}

template <class T, class Method> class FixedDriver final : public Driver<T> {
public:
    void fixed_step(CountingSystem<T> system, State<T>& x, T& t, const T& dt) override {
        method_.do_step(system, x, t, dt);
        t += dt;
    }
    Trial try_step(CountingSystem<T>, State<T>&, T&, T&) override { return Trial::rejected; }

private:
    Method method_;
};

/// odeint's error checker (controlled_runge_kutta's ErrorChecker) in the selected norm, with the scale
/// atol + rtol |x_old_i| (a_x = 1, a_dxdt = 0). max is odeint's default_error_checker itself, so the
/// default runs are unchanged; rms is sqrt(mean_i (err_i / scale_i)²).
template <class T, class Algebra, class Operations> class NormErrorChecker {
public:
    using value_type = T;
    using algebra_type = Algebra;
    using operations_type = Operations;

    NormErrorChecker(const T& atol, const T& rtol, ErrorNorm norm)
        : max_(atol, rtol, T(1), T(0)), atol_(atol), rtol_(rtol), norm_(norm) {}

    template <class S, class Deriv, class Err, class Time>
    T error(const S& x_old, const Deriv& dxdt_old, Err& x_err, Time dt) const {
        algebra_type algebra;
        return error(algebra, x_old, dxdt_old, x_err, dt);
    }

    template <class S, class Deriv, class Err, class Time>
    T error(algebra_type& algebra, const S& x_old, const Deriv& dxdt_old, Err& x_err, Time dt) const {
        if (norm_ == ErrorNorm::max) return max_.error(algebra, x_old, dxdt_old, x_err, dt);
        using std::abs;
        using std::sqrt;
        T sum = 0;
        for (std::size_t i = 0; i < x_err.size(); ++i) {
            // 0/0 (atol = 0 at a zero component with no error) counts as no error, as in max's norm_inf.
            if (x_err[i] == 0) continue;
            const T q = abs(x_err[i]) / (atol_ + rtol_ * abs(x_old[i]));
            sum += q * q;
        }
        return x_err.empty() ? T(0) : T(sqrt(sum / T(x_err.size())));
    }

private:
    odeint::default_error_checker<T, Algebra, Operations> max_;
    T atol_, rtol_;
    ErrorNorm norm_;
};

template <class T, class Method> class AdaptiveDriver final : public Driver<T> {
public:
    AdaptiveDriver(const T& atol, const T& rtol, ErrorNorm norm) : controlled_(Checker(atol, rtol, norm)) {}
    void fixed_step(CountingSystem<T> system, State<T>& x, T& t, const T& dt) override {
        method_.do_step(system, x, t, dt);
        t += dt;
    }
    Trial try_step(CountingSystem<T> system, State<T>& x, T& t, T& dt) override {
        return odeint_trial(controlled_.try_step(system, x, t, dt), x);
    }

private:
    using Checker = NormErrorChecker<T, typename Method::algebra_type, typename Method::operations_type>;
    using Controlled = odeint::controlled_runge_kutta<Method, Checker>;
    Method method_;
    Controlled controlled_;
};

template <class T> class BulirschStoerDriver final : public Driver<T> {
public:
    // Error norm: max over components of |err_i| / (atol + rtol |x_i|) (odeint's checker with a_x = 1,
    // a_dxdt = 0); solve() refuses rms.
    BulirschStoerDriver(const T& atol, const T& rtol) : method_(atol, rtol, T(1), T(0)) {}
    void fixed_step(CountingSystem<T>, State<T>&, T&, const T&) override {}
    Trial try_step(CountingSystem<T> system, State<T>& x, T& t, T& dt) override {
        return odeint_trial(method_.try_step(system, x, t, dt), x);
    }

private:
    odeint::bulirsch_stoer<State<T>, T> method_;
};

/// dop853 runs in the types its 30-digit coefficients serve (double, long double); solve() refuses the
/// others, and no DOP853 code is instantiated for them.
template <class T>
inline constexpr bool dop853_runs_v = std::numeric_limits<T>::is_specialized && std::numeric_limits<T>::digits10 <= 18;

namespace dop853 {

/// Whether the stages J... are exactly those with a nonzero weight in row: the passes below skip the
/// zero entries of the tableau, and this check keeps their lists honest.
template <std::size_t... J, std::size_t N> constexpr bool support_is(const long double (&row)[N]) {
    for (std::size_t j = 0; j < N; ++j)
        if (((std::size_t(j) == J) || ...) != (row[j] != 0)) return false;
    return true;
}

/// The stages the new state and both error estimates combine (b, e5 and bhh vanish at stages 1 to 4).
using WeightStages = std::index_sequence<0, 5, 6, 7, 8, 9, 10, 11>;
template <std::size_t... J> constexpr bool weight_support_ok(std::index_sequence<J...>) {
    for (int j = 0; j < stages; ++j)
        if (bhh[j] != 0 && b[j] == 0) return false;  // e3 = b − bhh vanishes where b does
    return support_is<J...>(b) && support_is<J...>(e5);
}
static_assert(weight_support_ok(WeightStages{}), "dop853: b, e5 or e3 has a nonzero weight off WeightStages");

/// The stages the continuous extension's F_3 … F_6 combine (d vanishes at stages 1 to 4).
using DenseStages = std::index_sequence<0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15>;
template <std::size_t... J> constexpr bool dense_support_ok(std::index_sequence<J...>) {
    return support_is<J...>(d[0]) && support_is<J...>(d[1]) && support_is<J...>(d[2]) && support_is<J...>(d[3]);
}
static_assert(dense_support_ok(DenseStages{}), "dop853: d has a nonzero weight off DenseStages");

}  // namespace dop853

/// Hairer's DOP853 (dop853_coefficients.hpp), step for step SciPy's DOP853 (scipy/integrate/_ivp/rk.py:
/// rk_step, DOP853._estimate_error_norm, RungeKutta._step_impl): 12 stages, the 8th-order state
/// x_new = x + h Σ b_j k_j, and the error |h| ‖E5‖² / sqrt(‖E5‖² + 0.01 ‖E3‖²) of the 5th- and 3rd-order
/// estimates E5 = Σ e5_j k_j, E3 = Σ e3_j k_j, each component scaled by atol + rtol max(|x_i|, |x_new_i|)
/// (rms: sums of squares over N components and a factor 1/sqrt(N); max: maxima of the squares).
///
/// FSAL: the 13th evaluation of a step, f(t + h, x_new), is the first stage k_0 of the next. It is kept
/// while trials are rejected (x and t unchanged) and evaluated at the start of the next trial after an
/// accepted step (or by prepare_dense), at exactly the (t, x) the loop hands over — so a step clamped onto a
/// stop, whose t the loop sets to the stop exactly, takes its derivative there. ~12 evaluations per accepted
/// step as in SciPy; a rejected trial costs 11 (SciPy evaluates f(x_new) even for those, Hairer does not).
/// The loop makes a new driver per segment and after a non-finite trial, so k_0 never outlives (t, x).
///
/// Dense output: Hairer's 7th-order continuous extension (dop853.f's contd8, SciPy's _dense_output_impl;
/// dop853_coefficients.hpp) of an accepted step costs k_12 = f(t + h, x_new), which is kept as the next
/// trial's k_0 (so the step sequence is unchanged, bit for bit), and three extra stages.
template <class T> class Dop853Driver final : public Driver<T> {
public:
    Dop853Driver(const T& atol, const T& rtol, ErrorNorm norm) : atol_(atol), rtol_(rtol), norm_(norm) {}

    /// The 8th-order update alone.
    void fixed_step(CountingSystem<T> system, State<T>& x, T& t, const T& dt) override {
        stages(system, x, t, dt);
        weighted_sum(x, dt, dop853::WeightStages{});
        advance(x, t, dt);
    }

    Trial try_step(CountingSystem<T> system, State<T>& x, T& t, T& dt) override {
        using std::max;
        using std::min;
        using std::pow;
        stages(system, x, t, dt);
        const Estimate estimate = norm_ == ErrorNorm::rms ? new_state_and_error<true>(x, dt, dop853::WeightStages{})
                                                          : new_state_and_error<false>(x, dt, dop853::WeightStages{});
        if (!estimate.finite) return Trial::non_finite;
        const T& error = estimate.error;  // huge or ∞ where a zero scale (atol = 0) meets a nonzero error
        if (error < 1) {
            T factor = error == 0 ? max_factor() : min(max_factor(), safety() * pow(error, exponent()));
            if (rejected_) factor = min(T(1), factor);  // no increase right after a rejection
            step_t_ = t;
            step_h_ = dt;
            advance(x, t, dt);
            dt *= factor;
            rejected_ = false;
            return Trial::accepted;
        }
        dt *= max(min_factor(), safety() * pow(error, exponent()));
        rejected_ = true;
        return Trial::rejected;
    }

    bool has_dense_output() const override { return true; }

    // k_12 = f(t_new, x_new), the extra stages k_13 … k_15 from x_old, then F_0 … F_6; k_12 becomes the
    // next trial's k_0.
    void prepare_dense(CountingSystem<T> system, const State<T>& x_old, const State<T>& x_new, const T& t_new) override {
        const std::size_t n = x_new.size();
        for (int s = dop853::stages; s < dop853::extended_stages; ++s)
            if (k_[s].size() != n) k_[s].assign(n, T(0));
        system(x_new, k_[12], t_new);
        extra_stage<13>(system, x_old, std::index_sequence<0, 6, 7, 8, 9, 10, 11, 12>{});
        extra_stage<14>(system, x_old, std::index_sequence<0, 5, 6, 7, 10, 11, 12, 13>{});
        extra_stage<15>(system, x_old, std::index_sequence<0, 5, 6, 7, 8, 12, 13, 14>{});
        interpolant(x_old, x_new, dop853::DenseStages{});
        k_[0].swap(k_[12]);
        first_stage_ready_ = true;
        first_stage_t_ = t_new;
    }

    // x(t) ≈ x_old + θ (F0 + (1−θ) (F1 + θ (F2 + (1−θ) (F3 + θ (F4 + (1−θ) (F5 + θ F6)))))), θ = (t − t_old) / h.
    void dense_state(const T& t, State<T>& x) const override {
        const T theta = (t - step_t_) / step_h_, eta = T(1) - theta;
        const std::size_t n = dense_base_.size();
        x.resize(n);
        const auto& f = dense_;
        for (std::size_t i = 0; i < n; ++i)
            x[i] = dense_base_[i] +
                   theta * (f[0][i] +
                            eta * (f[1][i] +
                                   theta * (f[2][i] +
                                            eta * (f[3][i] + theta * (f[4][i] + eta * (f[5][i] + theta * f[6][i]))))));
    }

private:
    struct Estimate {
        T error;
        bool finite;  ///< x_new finite (then so are the stages the estimates combine)
    };

    // SciPy's controller: safety 0.9, factors in [0.2, 10], exponent −1/(error estimator order + 1).
    static T safety() { return T(9) / T(10); }
    static T min_factor() { return T(1) / T(5); }
    static T max_factor() { return T(10); }
    static T exponent() { return T(-1) / T(8); }

    void take_derivative(State<T>& f, const T& t) override {
        reserve(f.size());
        k_[0].swap(f);
        first_stage_ready_ = true;
        first_stage_t_ = t;
    }

    // Once per driver: the 12 stages and the stage state.
    void reserve(std::size_t size) {
        if (stage_.size() == size) return;
        for (int s = 0; s < dop853::stages; ++s) k_[s].assign(size, T(0));
        stage_.assign(size, T(0));
        first_stage_ready_ = false;
    }

    // k_0 = f(t, x) unless kept from the last rejected trial or given (take_derivative), then k_1 … k_11: one
    // pass and one evaluation per stage, each pass over the stages with a nonzero a[s][j] only.
    void stages(const CountingSystem<T>& system, const State<T>& x, const T& t, const T& h) {
        reserve(x.size());
        if (!first_stage_ready_ || t != first_stage_t_) {
            system(x, k_[0], t);
            first_stage_ready_ = true;
            first_stage_t_ = t;
        }
        stage<1>(system, x, t, h, std::index_sequence<0>{});
        stage<2>(system, x, t, h, std::index_sequence<0, 1>{});
        stage<3>(system, x, t, h, std::index_sequence<0, 2>{});
        stage<4>(system, x, t, h, std::index_sequence<0, 2, 3>{});
        stage<5>(system, x, t, h, std::index_sequence<0, 3, 4>{});
        stage<6>(system, x, t, h, std::index_sequence<0, 3, 4, 5>{});
        stage<7>(system, x, t, h, std::index_sequence<0, 3, 4, 5, 6>{});
        stage<8>(system, x, t, h, std::index_sequence<0, 3, 4, 5, 6, 7>{});
        stage<9>(system, x, t, h, std::index_sequence<0, 3, 4, 5, 6, 7, 8>{});
        stage<10>(system, x, t, h, std::index_sequence<0, 3, 4, 5, 6, 7, 8, 9>{});
        stage<11>(system, x, t, h, std::index_sequence<0, 3, 4, 5, 6, 7, 8, 9, 10>{});
    }

    template <std::size_t S, std::size_t... J>
    void stage(const CountingSystem<T>& system, const State<T>& x, const T& t, const T& h, std::index_sequence<J...>) {
        static_assert(dop853::support_is<J...>(dop853::a[S]), "dop853: stage list differs from the tableau");
        combine<J...>(x, {T(h * T(dop853::a[S][J]))...});
        system(stage_, k_[S], t + T(dop853::c[S]) * h);
    }

    // stage_ = x + Σ_m w_m k_{J_m}: one pass over the state, vectorised by the compiler (double:
    // dop853_loops.hpp, also cloned for AVX2 with FMA, and threaded for large states).
    template <std::size_t... J> void combine(const State<T>& x, const std::array<T, sizeof...(J)> w) {
        combine_into<J...>(stage_, x, w);
    }

    // into = x + Σ_m w_m k_{J_m}.
    template <std::size_t... J>
    void combine_into(State<T>& into, const State<T>& x, const std::array<T, sizeof...(J)> w) {
        if constexpr (std::is_same_v<T, double>) {
            dop853::combine<sizeof...(J)>(into.data(), x.data(), {k_[J].data()...}, w, x.size());
        } else {
            const std::size_t n = x.size();
            T* const out = into.data();
            const T* const base = x.data();
            const T* const k[] = {k_[J].data()...};
            [&]<std::size_t... M>(std::index_sequence<M...>) {
                for (std::size_t i = 0; i < n; ++i) out[i] = base[i] + (... + (w[M] * k[M][i]));
            }(std::make_index_sequence<sizeof...(J)>{});
        }
    }

    // k_S = f(t + c_extra h, x_old + h Σ_j a_extra[S − 13][j] k_j) for the last accepted step (t, h).
    template <std::size_t S, std::size_t... J>
    void extra_stage(const CountingSystem<T>& system, const State<T>& x_old, std::index_sequence<J...>) {
        static_assert(dop853::support_is<J...>(dop853::a_extra[S - 13]), "dop853: extra stage list differs from the tableau");
        combine<J...>(x_old, {T(step_h_ * T(dop853::a_extra[S - 13][J]))...});
        system(stage_, k_[S], step_t_ + T(dop853::c_extra[S - 13]) * step_h_);
    }

    // F_0 … F_6 of the continuous extension (dop853_coefficients.hpp): F_3 … F_6 as sums over the stages from
    // zero (the stage passes: vectorised and threaded in double), F_0 … F_2 in one more pass.
    template <std::size_t... J> void interpolant(const State<T>& x_old, const State<T>& x_new, std::index_sequence<J...>) {
        const std::size_t n = x_new.size();
        const T h = step_h_;
        dense_base_ = x_old;
        for (auto& f : dense_) f.resize(n);
        if (zero_.size() != n) zero_.assign(n, T(0));
        combine_into<J...>(dense_[3], zero_, {T(h * T(dop853::d[0][J]))...});
        combine_into<J...>(dense_[4], zero_, {T(h * T(dop853::d[1][J]))...});
        combine_into<J...>(dense_[5], zero_, {T(h * T(dop853::d[2][J]))...});
        combine_into<J...>(dense_[6], zero_, {T(h * T(dop853::d[3][J]))...});
        const T* const k0 = k_[0].data();
        const T* const k12 = k_[12].data();
        T* const f0 = dense_[0].data();
        T* const f1 = dense_[1].data();
        T* const f2 = dense_[2].data();
        for (std::size_t i = 0; i < n; ++i) {
            const T dx = x_new[i] - x_old[i];
            f0[i] = dx;
            f1[i] = h * k0[i] - dx;
            f2[i] = T(2) * dx - h * (k12[i] + k0[i]);
        }
    }

    // stage_ = x_new = x + h Σ b_j k_j.
    template <std::size_t... J> void weighted_sum(const State<T>& x, const T& h, std::index_sequence<J...>) {
        combine<J...>(x, {T(h * T(dop853::b[J]))...});
    }

    // stage_ = x_new, and the error norm, from one pass over the state (error_sums).
    template <bool rms, std::size_t... J>
    Estimate new_state_and_error(const State<T>& x, const T& h, std::index_sequence<J...> terms) {
        using std::abs;
        using std::sqrt;
        const dop853::ErrorSums<T> sums = error_sums<rms>(x, h, terms);
        const T &err5 = sums.err5, &err3 = sums.err3;
        if (!is_finite(sums.probe)) return {std::numeric_limits<T>::quiet_NaN(), false};
        if (err5 == 0 && err3 == 0) return {T(0), true};
        if (!is_finite(err5) || !is_finite(err3)) return {std::numeric_limits<T>::infinity(), true};
        const T denominator = (err5 + err3 / T(100)) * (rms ? T(x.size()) : T(1));
        return {T(abs(h) * err5 / sqrt(denominator)), true};
    }

    // stage_ = x_new, and the sums (or maxima) of the squared scaled errors with the NaN probe. Double:
    // dop853_loops.hpp (vector lanes, also cloned for AVX2 with FMA, threaded for large states). Long double:
    // one pass, the sums in `lanes` independent accumulators; probe is Σ x_new_i · 0, NaN exactly when some
    // x_new_i is not finite.
    template <bool rms, std::size_t... J>
    dop853::ErrorSums<T> error_sums(const State<T>& x, const T& h, std::index_sequence<J...>) {
        if constexpr (std::is_same_v<T, double>) {
            const dop853::ErrorWeights<sizeof...(J)> weights{
                {T(h * T(dop853::b[J]))...}, {T(dop853::e5[J])...}, {T(dop853::e3(int(J)))...}, atol_, rtol_};
            return dop853::new_state_and_error<rms>(stage_.data(), x.data(), {k_[J].data()...}, weights, x.size());
        } else {
            using std::abs;
            constexpr std::size_t lanes = 4;
            const std::size_t n = x.size();
            T* const out = stage_.data();
            const T* const base = x.data();
            const T* const k[] = {k_[J].data()...};
            const T hb[] = {T(h * T(dop853::b[J]))...};
            const T w5[] = {T(dop853::e5[J])...};
            const T w3[] = {T(dop853::e3(int(J)))...};
            const T atol = atol_, rtol = rtol_, tiny = std::numeric_limits<T>::min();
            T acc5[lanes] = {}, acc3[lanes] = {}, probe[lanes] = {};
            const auto component = [&]<std::size_t... M>(std::size_t i, std::size_t l, std::index_sequence<M...>) {
                const T x_new = base[i] + (... + (hb[M] * k[M][i]));
                const T err5 = (... + (w5[M] * k[M][i]));
                const T err3 = (... + (w3[M] * k[M][i]));
                const T a_old = abs(base[i]), a_new = abs(x_new);
                const T scale = atol + rtol * (a_old > a_new ? a_old : a_new);
                // Where atol = 0 meets a zero component the scale is 0: dividing by the least normal number
                // instead makes a zero error zero and any other error huge (a plain select on err == 0 would
                // stop the vectoriser).
                const T divisor = scale > tiny ? scale : tiny;
                out[i] = x_new;
                probe[l] += x_new * T(0);
                const T q5 = err5 / divisor, q3 = err3 / divisor;
                const T s5 = q5 * q5, s3 = q3 * q3;
                if constexpr (rms) {
                    acc5[l] += s5;
                    acc3[l] += s3;
                } else {
                    acc5[l] = s5 > acc5[l] ? s5 : acc5[l];
                    acc3[l] = s3 > acc3[l] ? s3 : acc3[l];
                }
            };
            constexpr auto terms = std::make_index_sequence<sizeof...(J)>{};
            std::size_t i = 0;
            for (; i + lanes <= n; i += lanes)
                for (std::size_t l = 0; l < lanes; ++l) component(i + l, l, terms);
            for (; i < n; ++i) component(i, 0, terms);
            dop853::ErrorSums<T> sums;
            for (std::size_t l = 0; l < lanes; ++l) dop853::merge<rms>(sums, {acc5[l], acc3[l], probe[l]});
            return sums;
        }
    }

    // Accepts stage_ as the new state: x and t advance, k_0 is stale.
    void advance(State<T>& x, T& t, const T& h) {
        x.swap(stage_);
        t += h;
        first_stage_ready_ = false;
    }

    T atol_, rtol_;
    ErrorNorm norm_;
    std::array<State<T>, dop853::extended_stages> k_;  ///< k_0 … k_11; k_12 … k_15 for dense output only
    State<T> stage_;                          ///< the state a stage evaluates at; then x_new
    bool first_stage_ready_ = false;          ///< k_0 = f(first_stage_t_, x) for the x of the next trial
    T first_stage_t_ = 0;
    bool rejected_ = false;                   ///< the last trial was rejected
    T step_t_ = 0, step_h_ = 0;               ///< start and size of the last accepted step
    State<T> dense_base_;                     ///< its x_old, for the continuous extension
    std::array<State<T>, 7> dense_;           ///< F_0 … F_6 of the continuous extension
    State<T> zero_;                           ///< zeros, the base of F_3 … F_6
};

template <class T>
std::unique_ptr<Driver<T>> make_driver(Stepper stepper, const T& atol, const T& rtol, ErrorNorm norm) {
    using S = State<T>;
    switch (stepper) {
        case Stepper::euler: return std::make_unique<FixedDriver<T, odeint::euler<S, T, S, T>>>();
        case Stepper::rk4: return std::make_unique<FixedDriver<T, odeint::runge_kutta4<S, T, S, T>>>();
        case Stepper::cash_karp54:
            return std::make_unique<AdaptiveDriver<T, odeint::runge_kutta_cash_karp54<S, T, S, T>>>(atol, rtol, norm);
        case Stepper::dopri5:
            return std::make_unique<AdaptiveDriver<T, odeint::runge_kutta_dopri5<S, T, S, T>>>(atol, rtol, norm);
        case Stepper::rkf78:
            return std::make_unique<AdaptiveDriver<T, odeint::runge_kutta_fehlberg78<S, T, S, T>>>(atol, rtol, norm);
        case Stepper::dop853:
            if constexpr (dop853_runs_v<T>) return std::make_unique<Dop853Driver<T>>(atol, rtol, norm);
            break;  // refused by solve()
        case Stepper::bulirsch_stoer: return std::make_unique<BulirschStoerDriver<T>>(atol, rtol);
        case Stepper::taylor: break;  // not an odeint stepper: Run::taylor_segment
    }
    return nullptr;
}

template <class T> T max_abs(const State<T>& x) {
    using std::abs;
    T m = 0;
    for (const T& v : x) m = std::max<T>(m, abs(v));
    return m;
}

/// The integration loop over one run: segments between breakpoints, stops at output times — or, for an
/// adaptive stepper with dense output, output times filled from each step's continuous extension.
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
        solution_.final_state.assign(x.begin(), x.end());
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

    // The caller's cancellation (SolveOptions::interrupted), polled before each step.
    bool interrupted() {
        if (!options_.interrupted || !options_.interrupted()) return false;
        stop("interrupted");
        return true;
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

    // Every output time strictly inside the accepted step (t_before, t) from the step's continuous extension,
    // built once for the step; an output time equal to t is the step's own state (reached). False when the
    // extension is not finite somewhere.
    bool fill_dense(Driver<T>& driver, CountingSystem<T>& system, const State<T>& x_before, const T& t_before,
                    const State<T>& x, const T& t) {
        const auto& times = options_.output_times;
        while (next_output_ < times.size() && !(times[next_output_] > t_before)) ++next_output_;
        if (next_output_ == times.size() || !(times[next_output_] < t)) return true;
        driver.prepare_dense(system, x_before, x, t);
        for (; next_output_ < times.size() && times[next_output_] < t; ++next_output_) {
            driver.dense_state(times[next_output_], dense_state_);
            if (!all_finite(dense_state_)) {
                stop("the continuous extension was not finite at t = " + to_decimal(times[next_output_]) +
                     " in the step from t = " + to_decimal(t_before));
                return false;
            }
            observe(times[next_output_], dense_state_);
        }
        return true;
    }

    bool segment(State<T>& x, T& t, const T& segment_end) {
        using std::abs;
        auto driver = make_driver(options_.stepper, options_.atol, options_.rtol, options_.error_norm);
        CountingSystem<T> system{&field_, &evaluations_};
        // With dense output a step is shortened only to land on the segment's end.
        const bool dense = !(options_.dt > 0) && driver->has_dense_output();
        State<T> last_good = x;
        T dt = options_.dt > 0 ? options_.dt : first_step(system, *driver, x, t, segment_end);
        try {
            while (t < segment_end) {
                if (solution_.stats.steps >= options_.max_steps) {
                    stop("step limit of " + std::to_string(options_.max_steps) + " steps reached");
                    return false;
                }
                if (interrupted()) return false;
                const T target = dense ? segment_end : next_stop(t, segment_end);
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
                    const Trial trial = driver->try_step(system, x, t, h);
                    if (trial == Trial::non_finite) {
                        // A non-finite trial state (odeint accepts a NaN error estimate, NaN > 1 being
                        // false): reject it, shrink the step and restart the stepper, whose FSAL
                        // derivative is now stale.
                        x = last_good;
                        t = t_before;
                        h = (target - t_before < dt ? target - t_before : dt) / 4;
                        driver = make_driver(options_.stepper, options_.atol, options_.rtol, options_.error_norm);
                        non_finite_trials_ = true;
                    }
                    if (trial != Trial::accepted || t == t_before) {
                        ++solution_.stats.rejected;
                        dt = h;
                        continue;
                    }
                    if (clamped) t = target;
                    // After a step shortened to land on a stop, keep the larger of the two proposals.
                    dt = clamped ? std::max<T>(h, dt) : h;
                }
                ++solution_.stats.steps;
                // An accepted adaptive trial is finite already (Trial::non_finite otherwise).
                if (options_.dt > 0 && !all_finite(x)) {
                    x = last_good;
                    t = t_before;
                    stop("state became non-finite in the step from t = " + to_decimal(t_before));
                    return false;
                }
                if (dense && !fill_dense(*driver, system, last_good, t_before, x, t)) {
                    x = last_good;
                    t = t_before;
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
                if (interrupted()) return false;
                // The Taylor polynomials are their own dense output: steps run to the segment's end and the
                // output times inside a step are read off the step's series below.
                const T target = segment_end;
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
                const auto& outputs = options_.output_times;
                for (auto at = std::upper_bound(outputs.begin(), outputs.end(), t); at != outputs.end() && *at < t_next; ++at) {
                    taylor_->evaluate(*at - t, dense_state_);
                    observe(*at, dense_state_);
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
    // The driver keeps the f(x) evaluated here (Driver::take_derivative).
    T first_step(CountingSystem<T>& system, Driver<T>& driver, const State<T>& x, const T& t, const T& segment_end) {
        if (options_.initial_dt > 0) return options_.initial_dt;
        State<T> f(x.size());
        try {
            system(x, f, t);
        } catch (const model::FieldSingularity&) {
            return (segment_end - t) / 100;  // the loop reports it on the first step
        }
        const T d0 = max_abs(x), d1 = max_abs(f);
        driver.take_derivative(f, t);
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
    State<T> dense_state_;  ///< the continuous extension (dop853's, or the Taylor series) at an output time
};

}  // namespace normdyn::solve::detail

namespace normdyn::solve {

template <class T>
Solution<T> solve(model::VectorField<T>& field, std::span<const T> x0, const T& t0, const T& t_end,
                  const SolveOptions<T>& options, const Observer<T>& observer) {
    if (options.dt > 0 && !has_fixed_step(options.stepper))
        throw std::invalid_argument(to_string(options.stepper) + " has no fixed-step mode: drop --dt");
    if (!(options.dt > 0) && !has_error_estimate(options.stepper))
        throw std::invalid_argument(to_string(options.stepper) + " is fixed-step only: give --dt");
    if (options.stepper == Stepper::dop853 && !detail::dop853_runs_v<T>)
        throw std::invalid_argument("dop853: its coefficients are given to 30 digits; use it with double or long "
                                    "double (for more digits use taylor or bulirsch-stoer)");
    if (options.error_norm == ErrorNorm::rms &&
        (options.stepper == Stepper::bulirsch_stoer || options.stepper == Stepper::taylor))
        throw std::invalid_argument(to_string(options.stepper) + ": controls the max error norm only (use --error-norm "
                                    "max, or rms with cash-karp54, dopri5, rkf78 or dop853)");
    if (options.stepper == Stepper::taylor && !has_taylor_tape(field))
        throw std::invalid_argument("stepper taylor: supports the equiangular and the n-particle systems only");
    detail::State<T> x(x0.begin(), x0.end());
    if (!detail::all_finite(x)) throw std::invalid_argument("initial state is not finite");
    if (!(t_end >= t0)) throw std::invalid_argument("t_end must not precede t0");
    detail::Run<T> run(field, options, observer);
    return run(std::move(x), t0, t_end);
}

}  // namespace normdyn::solve

#define NORMDYN_INSTANTIATE_SOLVE(T)                                                                          \
    template normdyn::solve::Solution<T> normdyn::solve::solve<T>(                                           \
        normdyn::model::VectorField<T>&, std::span<const T>, const T&, const T&,                                 \
        const normdyn::solve::SolveOptions<T>&, const normdyn::solve::Observer<T>&);
