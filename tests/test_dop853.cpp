// Tests of the dop853 stepper (Hairer's DOP853, as SciPy's solve_ivp(method="DOP853")) and of the error norms
// (solver.hpp: ErrorNorm): its order, its accuracy, its cost against SciPy's, FSAL, the norms, and refusals.
#include <catch2/catch.hpp>

#include "normdyn/model/attention.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/solve/solver.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace normdyn;
using solve::ErrorNorm;
using solve::SolveOptions;
using solve::SolveStatus;
using solve::Stepper;
using Catch::Matchers::Contains;

namespace {

template <class T> SolveOptions<T> fixed_dop853(const T& dt) {
    SolveOptions<T> options;
    options.stepper = Stepper::dop853;
    options.dt = dt;
    return options;
}

SolveOptions<double> adaptive(Stepper stepper, double rtol, double atol, ErrorNorm norm = ErrorNorm::max) {
    SolveOptions<double> options;
    options.stepper = stepper;
    options.rtol = rtol;
    options.atol = atol;
    options.error_norm = norm;
    return options;
}

/// dx/dt = x: x(t) = e^t.
template <class T> class Growth final : public model::VectorField<T> {
public:
    void operator()(std::span<const T> x, std::span<T> dxdt, const T&) override { dxdt[0] = x[0]; }
};

/// (x, y)' = (−y, x): a rotation, (cos t, sin t) from (1, 0).
template <class T> class Rotation final : public model::VectorField<T> {
public:
    void operator()(std::span<const T> x, std::span<T> dxdt, const T&) override {
        dxdt[0] = -x[1];
        dxdt[1] = x[0];
    }
};

/// dx/dt = −2 t x: x(t) = e^{−t²} from x(0) = 1 (non-autonomous).
class Gaussian final : public model::VectorField<double> {
public:
    void operator()(std::span<const double> x, std::span<double> dxdt, const double& t) override { dxdt[0] = -2 * t * x[0]; }
};

/// The Arenstorf orbit (Hairer, Nørsett, Wanner I, §II.0): the restricted three-body problem, periodic with
/// period arenstorf_period from arenstorf_start.
class Arenstorf final : public model::VectorField<double> {
public:
    void operator()(std::span<const double> y, std::span<double> dydt, const double&) override {
        const double mu = 0.012277471, mu_prime = 1 - mu;
        const double d1 = std::pow((y[0] + mu) * (y[0] + mu) + y[1] * y[1], 1.5);
        const double d2 = std::pow((y[0] - mu_prime) * (y[0] - mu_prime) + y[1] * y[1], 1.5);
        dydt[0] = y[2];
        dydt[1] = y[3];
        dydt[2] = y[0] + 2 * y[3] - mu_prime * (y[0] + mu) / d1 - mu * (y[0] - mu_prime) / d2;
        dydt[3] = y[1] - 2 * y[2] - mu_prime * y[1] / d1 - mu * y[1] / d2;
    }
};
const double arenstorf_period = 17.0652165601579625588917206249;
const std::vector<double> arenstorf_start = {0.994, 0.0, 0.0, -2.00158510637908252240537862224};

/// 50 oscillators (x_k, y_k)' = ω_k (−y_k, x_k) from (1, 0): 49 slow ones (ω = 1) and one fast (ω = 5), whose
/// error alone sets the step in the max norm.
class Oscillators final : public model::VectorField<double> {
public:
    static constexpr std::size_t pairs = 50;
    static double omega(std::size_t k) { return k + 1 == pairs ? 5.0 : 1.0; }
    void operator()(std::span<const double> x, std::span<double> dxdt, const double&) override {
        for (std::size_t k = 0; k < pairs; ++k) {
            dxdt[2 * k] = -omega(k) * x[2 * k + 1];
            dxdt[2 * k + 1] = omega(k) * x[2 * k];
        }
    }
};

/// N decoupled components x_i' = −a_i x_i + cos t, a_i spread over [1/2, 2]: x_i(t) = (x_i(0) − c_i) e^{−a_i t} +
/// (a_i cos t + sin t) / (1 + a_i²) with c_i = a_i / (1 + a_i²). Cheap per component, so that a state large
/// enough for the threaded passes of dop853 (lib/src/kernels/dop853_loops.hpp) costs little to solve.
class DecoupledDecay final : public model::VectorField<double> {
public:
    explicit DecoupledDecay(std::size_t n) : rate_(n) {
        for (std::size_t i = 0; i < n; ++i) rate_[i] = 0.5 + 1.5 * double(i) / double(n - 1);
    }
    void operator()(std::span<const double> x, std::span<double> dxdt, const double& t) override {
        const double forcing = std::cos(t);
        for (std::size_t i = 0; i < x.size(); ++i) dxdt[i] = -rate_[i] * x[i] + forcing;
    }
    double exact(std::size_t i, double x0, double t) const {
        const double a = rate_[i], c = a / (1 + a * a);
        return (x0 - c) * std::exp(-a * t) + (a * std::cos(t) + std::sin(t)) / (1 + a * a);
    }

private:
    std::vector<double> rate_;
};

/// Restores the default kernel thread count when a test leaves.
struct ThreadsGuard {
    ~ThreadsGuard() { normdyn::set_kernel_threads(0); }
};

/// A field that records every evaluation (t, x) and passes it on.
template <class Field> class Recording final : public model::VectorField<double> {
public:
    struct Evaluation {
        double t;
        std::vector<double> x;
    };
    void operator()(std::span<const double> x, std::span<double> dxdt, const double& t) override {
        evaluations.push_back({t, {x.begin(), x.end()}});
        field(x, dxdt, t);
    }
    Field field;
    std::vector<Evaluation> evaluations;
};

/// The number of components where a and b differ (in value, or one is NaN).
std::size_t differing_components(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    std::size_t count = 0;
    for (std::size_t i = 0; i < a.size(); ++i) count += !(a[i] == b[i]);
    return count;
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    double largest = 0;
    for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
    return largest;
}

// Global errors at T = 1 of the fixed-step runs (h = 1/m) on y' = y and on the rotation.
template <class T> std::vector<std::pair<T, T>> fixed_step_errors(const std::vector<int>& steps_per_unit) {
    std::vector<std::pair<T, T>> errors;
    for (int m : steps_per_unit) {
        Growth<T> growth;
        const auto g = solve::solve<T>(growth, {T(1)}, T(0), T(1), fixed_dop853<T>(T(1) / T(m)));
        Rotation<T> rotation;
        const auto r = solve::solve<T>(rotation, {T(1), T(0)}, T(0), T(1), fixed_dop853<T>(T(1) / T(m)));
        REQUIRE(g.status == SolveStatus::done);
        REQUIRE(r.status == SolveStatus::done);
        CHECK(g.stats.steps == std::size_t(m));
        CHECK(g.stats.rhs_evals == 12 * std::size_t(m));  // 12 stages per step, no error estimate
        using std::abs;
        const T rotation_error =
            std::max(abs(r.final_state[0] - std::cos(T(1))), abs(r.final_state[1] - std::sin(T(1))));
        errors.push_back({abs(g.final_state[0] - std::exp(T(1))), rotation_error});
    }
    return errors;
}

// Runs `normdyn ARGUMENTS` through the shell; returns the exit code, stdout and stderr.
struct Invocation {
    int exit_code = -1;
    std::string out, err;
};

Invocation normdyn_cli(const std::string& arguments) {
    namespace fs = std::filesystem;
    static int counter = 0;
    const fs::path stem = fs::temp_directory_path() /
                          ("normdyn_test_dop853_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    const fs::path out = stem.string() + ".out", err = stem.string() + ".err";
    const std::string command =
        std::string("'") + NORMDYN_EXE + "' " + arguments + " >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    const auto read = [](const fs::path& path) {
        std::ifstream in(path);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    Invocation run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read(out), read(err)};
    fs::remove(out);
    fs::remove(err);
    return run;
}

}  // namespace

TEST_CASE("dop853 is 8th order: halving a fixed step divides the error of y' = y and of a rotation by 2^(8 +- 0.3)",
          "[solver][dop853]") {
    // Its error constant is small: at h = 1/16 the error is ~4e-17 already, at h = 1/64 it would be ~1e-22,
    // below any round-off here. So the ladder is h = 1/2 … 1/16 in long double (ε ≈ 1e-19) and h = 1/2 … 1/8
    // in double, where every error is far above the round-off floor. A wrong coefficient breaks the order.
    const auto check_orders = [](const auto& errors) {
        for (std::size_t i = 1; i < errors.size(); ++i) {
            const double growth_order = double(std::log2(errors[i - 1].first / errors[i].first));
            const double rotation_order = double(std::log2(errors[i - 1].second / errors[i].second));
            CAPTURE(i, double(errors[i].first), double(errors[i].second), growth_order, rotation_order);
            CHECK(std::abs(growth_order - 8) <= 0.3);
            CHECK(std::abs(rotation_order - 8) <= 0.3);
        }
    };
    check_orders(fixed_step_errors<long double>({2, 4, 8, 16}));
    check_orders(fixed_step_errors<double>({2, 4, 8}));
}

TEST_CASE("Adaptive dop853 at rtol 1e-10 keeps the global error below 1e-9 relative on x' = -2tx and on a rotation",
          "[solver][dop853]") {
    for (ErrorNorm norm : {ErrorNorm::max, ErrorNorm::rms}) {
        CAPTURE(solve::to_string(norm));
        Gaussian gaussian;
        const auto g = solve::solve<double>(gaussian, {1.0}, 0.0, 2.0, adaptive(Stepper::dop853, 1e-10, 1e-12, norm));
        REQUIRE(g.status == SolveStatus::done);
        CHECK(std::abs(g.final_state[0] / std::exp(-4.0) - 1) <= 1e-9);
        Rotation<double> rotation;
        const auto r =
            solve::solve<double>(rotation, {1.0, 0.0}, 0.0, 20.0, adaptive(Stepper::dop853, 1e-10, 1e-12, norm));
        REQUIRE(r.status == SolveStatus::done);
        CHECK(max_difference(r.final_state, {std::cos(20.0), std::sin(20.0)}) <= 1e-9);
        CHECK(r.stats.steps < 100);  // an 8th-order method: SciPy's DOP853 takes 64 steps here
    }
}

TEST_CASE("Adaptive dop853 in the rms norm costs SciPy's DOP853 number of RHS evaluations (+-15 %)",
          "[solver][dop853]") {
    // SciPy 1.10.1's nfev, measured with /usr/bin/python3:
    //   from scipy.integrate import solve_ivp
    //   solve_ivp(lambda t, y: -2*t*y, (0, 3), [1.0], method="DOP853", rtol=1e-10, atol=1e-12).nfev     # 446
    //   solve_ivp(arenstorf, (0, T), y0, method="DOP853", rtol=1e-10, atol=1e-12).nfev                 # 3314
    //   solve_ivp(arenstorf, (0, T), y0, method="DOP853", rtol=1e-8, atol=1e-10).nfev                  # 2006
    // with arenstorf, T and y0 as Arenstorf, arenstorf_period and arenstorf_start here. SciPy also spends an
    // evaluation on f(x_new) of each rejected trial and two on its first step; we measured 3247, 1985 and 462.
    struct Case {
        const char* name;
        double rtol, atol;
        std::size_t scipy_nfev;
    };
    for (const Case& c : {Case{"arenstorf", 1e-10, 1e-12, 3314}, Case{"arenstorf", 1e-8, 1e-10, 2006},
                          Case{"gaussian", 1e-10, 1e-12, 446}}) {
        CAPTURE(c.name, c.rtol, c.scipy_nfev);
        solve::Solution<double> solution;
        if (std::string(c.name) == "arenstorf") {
            Arenstorf field;
            solution = solve::solve<double>(field, arenstorf_start, 0.0, arenstorf_period,
                                            adaptive(Stepper::dop853, c.rtol, c.atol, ErrorNorm::rms));
            // The orbit closes (SciPy: 7e-7 at rtol 1e-10, 7e-5 at 1e-8).
            CHECK(max_difference(solution.final_state, arenstorf_start) <= 1e4 * c.rtol);
        } else {
            Gaussian field;
            solution =
                solve::solve<double>(field, {1.0}, 0.0, 3.0, adaptive(Stepper::dop853, c.rtol, c.atol, ErrorNorm::rms));
        }
        REQUIRE(solution.status == SolveStatus::done);
        CAPTURE(solution.stats.rhs_evals, solution.stats.steps, solution.stats.rejected);
        CHECK(double(solution.stats.rhs_evals) >= 0.85 * double(c.scipy_nfev));
        CHECK(double(solution.stats.rhs_evals) <= 1.15 * double(c.scipy_nfev));
    }
}

TEST_CASE("dop853 takes the first step's f(t0, x0) as its first stage: the same run, evaluations included, as "
          "with that first step given",
          "[solver][dop853]") {
    Arenstorf field;
    auto automatic = adaptive(Stepper::dop853, 1e-9, 1e-11, ErrorNorm::rms);
    // The first step's guess (solver.ipp, first_step): h = 0.01 max|x0| / max|f(t0, x0)|.
    std::vector<double> f(arenstorf_start.size());
    field(arenstorf_start, f, 0.0);
    const auto max_abs = [](const std::vector<double>& v) {
        double m = 0;
        for (double e : v) m = std::max(m, std::abs(e));
        return m;
    };
    auto given = automatic;
    given.initial_dt = 0.01 * max_abs(arenstorf_start) / max_abs(f);
    const auto a = solve::solve<double>(field, arenstorf_start, 0.0, arenstorf_period, automatic);
    const auto b = solve::solve<double>(field, arenstorf_start, 0.0, arenstorf_period, given);
    REQUIRE(a.status == SolveStatus::done);
    REQUIRE(b.status == SolveStatus::done);
    CHECK(a.final_state == b.final_state);  // bit for bit: the kept f is the k_0 the driver would compute
    CHECK(a.stats.steps == b.stats.steps);
    CHECK(a.stats.rejected == b.stats.rejected);
    CHECK(a.stats.rhs_evals == b.stats.rhs_evals);  // the guess's evaluation is not spent twice
}

TEST_CASE("dop853 evaluates 12 times per accepted step and 11 per rejected trial (FSAL)", "[solver][dop853]") {
    // Without output times inside steps; with them, dense output adds its stages (tests/test_dense_output.cpp).
    Recording<Arenstorf> field;
    const auto solution =
        solve::solve<double>(field, arenstorf_start, 0.0, arenstorf_period, adaptive(Stepper::dop853, 1e-9, 1e-11));
    REQUIRE(solution.status == SolveStatus::done);
    REQUIRE(solution.stats.rejected > 0);  // the orbit's close approaches make it reject, so FSAL is tested there
    // One evaluation for the first trial step, which becomes the first trial's k_0; then k_0 once per accepted
    // step after the first, and 11 stages per trial.
    CHECK(solution.stats.rhs_evals == 12 * solution.stats.steps + 11 * solution.stats.rejected);
    CHECK(field.evaluations.size() == solution.stats.rhs_evals);
}

TEST_CASE("The rms norm takes no more steps than the max norm on 100 components, and the max norm keeps every "
          "component's global error within 10 tolerances",
          "[solver][dop853]") {
    const double rtol = 1e-8, atol = 1e-10, t_end = 10;
    std::vector<double> x0(2 * Oscillators::pairs, 0.0);
    for (std::size_t k = 0; k < Oscillators::pairs; ++k) x0[2 * k] = 1;
    // Largest |x_i(T) − exact| / (atol + rtol max|x_i|) of the fast pair and of the slow ones.
    const auto errors = [&](const std::vector<double>& x) {
        double fast = 0, slow = 0;
        for (std::size_t k = 0; k < Oscillators::pairs; ++k) {
            const double w = Oscillators::omega(k);
            const double e =
                std::max(std::abs(x[2 * k] - std::cos(w * t_end)), std::abs(x[2 * k + 1] - std::sin(w * t_end)));
            double& worst = k + 1 == Oscillators::pairs ? fast : slow;
            worst = std::max(worst, e / (atol + rtol));
        }
        return std::pair{fast, slow};
    };
    for (Stepper s : {Stepper::dopri5, Stepper::dop853}) {
        CAPTURE(solve::to_string(s));
        Oscillators field;
        const auto max_run = solve::solve<double>(field, x0, 0.0, t_end, adaptive(s, rtol, atol, ErrorNorm::max));
        const auto rms_run = solve::solve<double>(field, x0, 0.0, t_end, adaptive(s, rtol, atol, ErrorNorm::rms));
        REQUIRE(max_run.status == SolveStatus::done);
        REQUIRE(rms_run.status == SolveStatus::done);
        const auto [max_fast, max_slow] = errors(max_run.final_state);
        const auto [rms_fast, rms_slow] = errors(rms_run.final_state);
        CAPTURE(max_run.stats.steps, rms_run.stats.steps, max_fast, max_slow, rms_fast, rms_slow);
        // Measured: dopri5 696 → 447 steps, dop853 92 → 71; fast-pair error / tolerance 4.2 → 35 and 2.6 → 23.
        CHECK(rms_run.stats.steps <= max_run.stats.steps);
        CHECK(rms_run.stats.steps < 0.9 * double(max_run.stats.steps));  // the average over 100 is looser
        CHECK(max_fast <= 10);
        CHECK(max_slow <= 10);
        CHECK(rms_fast > 2 * max_fast);  // rms lets the one hard component exceed its own tolerance
    }
}

TEST_CASE("Adaptive dop853 on 200003 decoupled components gives bit-identical states and step counts for 1, 2 "
          "and 3 kernel threads, within the tolerance of the exact solution (max and rms norms)",
          "[solver][dop853]") {
    // 200003 components: above the size from which the double passes share chunks of 8192 components among
    // threads (2^15), with a partial last chunk and a partial group of four lanes. The error norm adds the
    // chunks' partial sums; only chunks fixed by the size and added in their order make every run identical.
    ThreadsGuard guard;
    const std::size_t n = 200003;
    const double rtol = 1e-8, atol = 1e-10, t_end = 4;
    DecoupledDecay field(n);
    std::vector<double> x0(n);
    for (std::size_t i = 0; i < n; ++i) x0[i] = std::cos(double(i));  // both signs, some near zero
    for (ErrorNorm norm : {ErrorNorm::max, ErrorNorm::rms}) {
        CAPTURE(solve::to_string(norm));
        std::vector<solve::Solution<double>> runs;
        for (int threads : {1, 2, 3}) {
            normdyn::set_kernel_threads(threads);
            runs.push_back(solve::solve<double>(field, x0, 0.0, t_end, adaptive(Stepper::dop853, rtol, atol, norm)));
            REQUIRE(runs.back().status == SolveStatus::done);
        }
        const auto& one = runs.front();
        CAPTURE(one.stats.steps, one.stats.rejected);
        for (std::size_t r = 1; r < runs.size(); ++r) {
            CAPTURE(r + 1);
            CHECK(differing_components(runs[r].final_state, one.final_state) == 0);
            CHECK(runs[r].stats.steps == one.stats.steps);
            CHECK(runs[r].stats.rejected == one.stats.rejected);
            CHECK(runs[r].stats.rhs_evals == one.stats.rhs_evals);
        }
        double worst = 0;  // largest |x_i(T) − exact| / (atol + rtol |exact|)
        for (std::size_t i = 0; i < n; ++i) {
            const double exact = field.exact(i, x0[i], t_end);
            worst = std::max(worst, std::abs(one.final_state[i] - exact) / (atol + rtol * std::abs(exact)));
        }
        CAPTURE(worst);
        CHECK(worst <= 1);  // measured: 0.018 (max), 0.11 (rms)
    }
}

TEST_CASE("dop853 is refused in mp50 with one line naming double and long double, and rms for bulirsch-stoer and "
          "taylor",
          "[solver][dop853]") {
    Growth<mp50> growth;
    SolveOptions<mp50> options;
    options.stepper = Stepper::dop853;
    try {
        solve::solve<mp50>(growth, {mp50(1)}, mp50(0), mp50(1), options);
        FAIL("dop853 ran in mp50");
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        CHECK_THAT(message, Contains("dop853") && Contains("30 digits") && Contains("double or long double"));
        CHECK(message.find('\n') == std::string::npos);
    }
    options.dt = mp50(1) / 8;  // nor as a fixed-step method
    CHECK_THROWS_AS(solve::solve<mp50>(growth, {mp50(1)}, mp50(0), mp50(1), options), std::invalid_argument);
    Growth<long double> growth_long;
    SolveOptions<long double> long_options;
    long_options.stepper = Stepper::dop853;
    CHECK(solve::solve<long double>(growth_long, {1.0L}, 0.0L, 1.0L, long_options).status == SolveStatus::done);

    for (Stepper s : {Stepper::bulirsch_stoer, Stepper::taylor}) {
        CAPTURE(solve::to_string(s));
        Growth<double> field;
        CHECK_THROWS_WITH(solve::solve<double>(field, {1.0}, 0.0, 1.0, adaptive(s, 1e-8, 1e-10, ErrorNorm::rms)),
                          Contains("max error norm only"));
    }
    Growth<double> field;
    CHECK(solve::solve<double>(field, {1.0}, 0.0, 1.0, adaptive(Stepper::bulirsch_stoer, 1e-8, 1e-10)).status ==
          SolveStatus::done);
}

TEST_CASE("The n-particle system with dop853 agrees with dopri5 to 1e-9 at tight tolerance (Post-LN; Mix-LN across "
          "its switch)",
          "[solver][dop853]") {
    const std::size_t n = 8, d = 4;
    for (model::SchemeKind kind : {model::SchemeKind::post_ln, model::SchemeKind::mix_ln}) {
        CAPTURE(model::to_string(kind));
        model::Scheme<double> scheme;
        scheme.kind = kind;
        scheme.tau = 1;
        model::InitSpec start;
        start.kind = model::InitKind::uniform;
        const auto x0 = model::initial_positions<double>(start, kind, n, d, 1.0, 7);
        const std::vector<double> state(x0.data(), x0.data() + x0.size());
        std::vector<std::vector<double>> finals;
        for (Stepper s : {Stepper::dopri5, Stepper::dop853}) {
            model::ParticleSystem<double> system(n, d, scheme, model::Attention<double>(2.0));
            const auto solution = solve::solve<double>(system, state, 0.0, 3.0, adaptive(s, 1e-12, 1e-14));
            REQUIRE(solution.status == SolveStatus::done);
            finals.push_back(solution.final_state);
        }
        const double difference = max_difference(finals[0], finals[1]);
        CAPTURE(difference);
        CHECK(difference <= 1e-9);
        CHECK(max_difference(finals[0], state) > 1e-2);  // the tokens did move
    }
}

TEST_CASE("normdyn simulate runs dop853 in the rms norm and records the norm; a bad --error-norm is one line, exit 2",
          "[solver][dop853][cli]") {
    const auto run = normdyn_cli("simulate --n 6 --d 4 --t-end 1 --samples 3 --stepper dop853 --error-norm rms --json");
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Contains("\"error_norm\": \"rms\"") || Contains("\"error_norm\":\"rms\""));
    CHECK_THAT(run.out, Contains("\"stepper\": \"dop853\"") || Contains("\"stepper\":\"dop853\""));
    const auto bad = normdyn_cli("simulate --n 6 --d 4 --t-end 1 --error-norm l2");
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("--error-norm") && Contains("max, rms"));
    CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
    const auto refused = normdyn_cli("simulate --n 6 --d 4 --t-end 1 --stepper dop853 --precision mp50");
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Contains("--stepper dop853"));
    const auto refused_norm = normdyn_cli("equiangular --n 4 --t-end 1 --stepper bulirsch-stoer --error-norm rms");
    CHECK(refused_norm.exit_code == 2);
    CHECK_THAT(refused_norm.err, Contains("max error norm only"));
}

namespace {

/// dx_i/dt = −(1 + (i mod 7)/10) x_i + x_{i+1 mod N}/20: N coupled components, no attention kernel.
class CoupledDecay final : public model::VectorField<double> {
public:
    void operator()(std::span<const double> x, std::span<double> dxdt, const double&) override {
        const std::size_t n = x.size();
        for (std::size_t i = 0; i < n; ++i)
            dxdt[i] = -(1.0 + double(i % 7) / 10.0) * x[i] + x[(i + 1) % n] / 20.0;
    }
};

}  // namespace

// The stage and error passes (lib/src/kernels/dop853_loops.hpp) in eight lanes on AVX-512: 35 and 1029 components
// leave a four and a partial set after the eights, 2048 none. Then whole particle systems, where the
// kernel and token loops switch lanes too.
TEST_CASE("dop853 takes the same steps to the same bits with eight lanes (AVX-512) as with four", "[dop853][lanes]") {
    struct Lanes {
        ~Lanes() { normdyn::set_kernel_lanes(0); }
    } guard;
    if (normdyn::kernel_lanes() != 8) WARN("this CPU or build has no AVX-512 variant: both runs take four lanes");
    auto both = [](auto&& solve_once) {
        normdyn::set_kernel_lanes(4);
        const auto four = solve_once();
        normdyn::set_kernel_lanes(0);
        const auto eight = solve_once();
        REQUIRE(four.status == SolveStatus::done);
        CHECK(eight.status == four.status);
        CHECK(eight.stats.steps == four.stats.steps);
        CHECK(eight.stats.rhs_evals == four.stats.rhs_evals);
        CHECK(eight.final_state == four.final_state);
    };
    // A last-bit difference in the error sum rarely changes a step size (through err^(1/8)): many starts.
    for (ErrorNorm norm : {ErrorNorm::rms, ErrorNorm::max})
        for (std::size_t n : {std::size_t(35), std::size_t(1029), std::size_t(2048)})
            for (int start_kind = 0; start_kind < 12; ++start_kind) {
                CAPTURE(n, solve::to_string(norm), start_kind);
                std::vector<double> start(n);
                for (std::size_t i = 0; i < n; ++i) start[i] = std::cos((0.37 + 0.05 * start_kind) * double(i)) + 0.1;
                both([&] {
                    CoupledDecay field;
                    return solve::solve<double>(field, start, 0.0, 2.0, adaptive(Stepper::dop853, 1e-10, 1e-12, norm));
                });
            }
    for (const auto& [n, d] : {std::pair<std::size_t, std::size_t>{7, 5}, {16, 3}, {32, 64}})
        for (model::SchemeKind kind : model::all_schemes) {
            CAPTURE(n, d, model::to_string(kind));
            model::NormalSampler normal(n + d);
            std::vector<double> start(n * d);
            for (double& v : start) v = normal();
            model::Scheme<double> scheme;
            scheme.kind = kind;
            both([&] {
                model::ParticleSystem<double> system(n, d, scheme, model::Attention<double>(1.0));
                return solve::solve<double>(system, start, 0.0, 2.0,
                                            adaptive(Stepper::dop853, 1e-10, 1e-12, ErrorNorm::rms));
            });
        }
}
