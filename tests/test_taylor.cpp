// Tests of the Taylor-series integrator (solve/taylor.hpp, solve/taylor_tape.hpp): the coefficient
// recurrences against known series, the stepper against the independent 40-digit oracle of
// scripts/reference_equiangular.py for all six schemes, the full n-particle system against the equiangular
// reduction, exact stops, and its refusals.
#include <catch2/catch.hpp>

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/scalar.hpp"
#include "normdyn/solve/solver.hpp"
#include "normdyn/solve/taylor.hpp"
#include "normdyn/solve/trajectory.hpp"
#include "normdyn/solve/taylor_tape.hpp"

#include <string>
#include <vector>

namespace {

using namespace normdyn;
using model::SchemeKind;
using solve::taylor::NodeId;
using solve::taylor::Tape;

template <class T> bool within_relative(const T& value, const T& reference, const T& tolerance) {
    using std::abs;
    return abs(value - reference) <= tolerance * abs(reference);
}

// A one-variable tape x' = f(t) with f recorded by `record`; returns f's coefficients 0..order−1 at t0.
template <class T, class Record> std::vector<T> series_of(Record record, const T& t0, std::size_t order) {
    Tape<T> tape;
    tape.variable(0);
    const NodeId f = record(tape, tape.time());
    tape.set_outputs({f});
    std::vector<std::vector<T>> x;
    const std::vector<T> x0 = {T(0)};
    tape.expand(x0, t0, order, x);
    auto c = tape.coefficients(f);
    c.resize(order);
    for (std::size_t k = 0; k + 1 < order; ++k)  // and x' = f integrates it: x_{k+1} = f_k / (k + 1)
        REQUIRE(within_relative(T(x[0][k + 1] * T(k + 1)), c[k], T(4) * std::numeric_limits<T>::epsilon()));
    return c;
}

template <class T> solve::SolveOptions<T> taylor_options(const T& tolerance) {
    solve::SolveOptions<T> options;
    options.stepper = solve::Stepper::taylor;
    options.rtol = tolerance;
    options.atol = tolerance;
    return options;
}

struct Oracle {
    SchemeKind scheme;
    const char* gamma;  // γ(2), n = 8, β = 1, r0 = 1, τ = 1, α = 1: scripts/reference_equiangular.py, 40 digits
};

const Oracle oracles[] = {
    {SchemeKind::post_ln, "0.8163423585687631027359401526153668308035"},
    {SchemeKind::pre_ln, "0.6132819536406511103564923691982454178665"},
    {SchemeKind::mix_ln, "0.7422044673724761659698668491635704782370"},
    {SchemeKind::peri_ln, "0.7797374005320502201021107939506070227162"},
    {SchemeKind::ngpt, "0.9480682450734891771514201881671707920724"},
    {SchemeKind::ln_scaling, "0.6011558908879051511770642355487523271377"},
};

}  // namespace

TEST_CASE("Taylor recurrences: exp(t) at t0 = 1/2 has coefficients e^{1/2}/k! (mp50, 60 terms)", "[taylor][recurrence]") {
    using R = mp50;
    const auto c = series_of<R>([](Tape<R>& t, NodeId time) { return t.exp(time); }, R("0.5"), 60);
    R factorial = 1;
    for (std::size_t k = 0; k < c.size(); ++k) {
        if (k > 0) factorial *= unsigned(k);
        INFO("k = " << k);
        CHECK(within_relative(c[k], exp(R("0.5")) / factorial, R("1e-48")));
    }
}

TEST_CASE("Taylor recurrences: quotients of polynomials give their exact series (mp50)", "[taylor][recurrence]") {
    using R = mp50;
    // 1/(1 − t) = Σ t^k and (1 + t)/(1 − t) = 1 + 2 Σ_{k≥1} t^k: every coefficient exact in binary.
    const auto geometric = series_of<R>(
        [](Tape<R>& t, NodeId time) { return t.div(t.constant(R(1)), t.offset(t.scale(R(-1), time), R(1))); }, R(0), 40);
    const auto ratio = series_of<R>(
        [](Tape<R>& t, NodeId time) { return t.div(t.offset(time, R(1)), t.offset(t.scale(R(-1), time), R(1))); },
        R(0), 40);
    for (std::size_t k = 0; k < 40; ++k) {
        CHECK(geometric[k] == R(1));
        CHECK(ratio[k] == R(k == 0 ? 1 : 2));
    }
    // (1 + t)^2 / (1 + t) = 1 + t exactly, through a product and a quotient.
    const auto linear = series_of<R>(
        [](Tape<R>& t, NodeId time) {
            const NodeId a = t.offset(time, R(1));
            return t.div(t.mul(a, a), a);
        },
        R(0), 20);
    for (std::size_t k = 0; k < 20; ++k) CHECK(linear[k] == R(k < 2 ? 1 : 0));
}

TEST_CASE("Taylor recurrences: sqrt(1 + t) has the binomial coefficients C(1/2, k), and sqrt((1+t)^2) = 1 + t exactly",
          "[taylor][recurrence]") {
    using R = mp50;
    const auto root = series_of<R>([](Tape<R>& t, NodeId time) { return t.sqrt(t.offset(time, R(1))); }, R(0), 50);
    R binomial = 1;  // C(1/2, k) = C(1/2, k−1) (1/2 − k + 1) / k
    for (std::size_t k = 0; k < root.size(); ++k) {
        if (k > 0) binomial = binomial * (R("0.5") - R(k - 1)) / R(k);
        INFO("k = " << k);
        CHECK(within_relative(root[k], binomial, R("1e-47")));
    }
    const auto square_root = series_of<R>(
        [](Tape<R>& t, NodeId time) {
            const NodeId a = t.offset(time, R(1));
            return t.sqrt(t.dot({{a, a}}));
        },
        R(0), 30);
    for (std::size_t k = 0; k < 30; ++k) CHECK(square_root[k] == R(k < 2 ? 1 : 0));
}

TEST_CASE("Taylor stepper: equiangular gamma(2) at n = 8, beta = 1 matches the 40-digit oracle to 1e-38 in mp50, all six schemes",
          "[taylor][equiangular][mp50]") {
    using R = mp50;
    for (const auto& oracle : oracles) {
        model::Scheme<R> scheme;
        scheme.kind = oracle.scheme;
        model::EquiangularSystem<R> system(8, R(1), scheme);
        const auto solution = solve::solve<R>(system, model::EquiangularSystem<R>::initial_state(R(1)), R(0), R(2),
                                              taylor_options(R("1e-45")));
        INFO(model::to_string(oracle.scheme) << ": gamma(2) = " << to_decimal(R(1 - solution.final_state[0])));
        REQUIRE(solution.status == solve::SolveStatus::done);
        CHECK(solution.t_reached == R(2));
        CHECK(within_relative(R(1 - solution.final_state[0]), R(oracle.gamma), R("1e-38")));
    }
}

TEST_CASE("Taylor stepper: the full n-particle system from the orthonormal start (n = d = 8) equals the equiangular "
          "reduction to 1e-45 in mp50", "[taylor][particles][mp50]") {
    using R = mp50;
    for (SchemeKind kind : {SchemeKind::post_ln, SchemeKind::peri_ln}) {
        model::Scheme<R> scheme;
        scheme.kind = kind;
        model::EquiangularSystem<R> reduced(8, R(1), scheme);
        const auto options = taylor_options(R("1e-49"));
        const auto small = solve::solve<R>(reduced, model::EquiangularSystem<R>::initial_state(R(1)), R(0), R(2), options);
        model::InitSpec orthonormal;
        orthonormal.kind = model::InitKind::orthonormal;
        const auto positions = model::initial_positions<R>(orthonormal, kind, 8, 8, R(1), 0);
        model::ParticleSystem<R> full(8, 8, scheme, model::Attention<R>(R(1)));
        const auto big = solve::solve<R>(full, std::vector<R>(positions.data(), positions.data() + 64), R(0), R(2), options);
        REQUIRE(small.status == solve::SolveStatus::done);
        REQUIRE(big.status == solve::SolveStatus::done);
        const R gamma = 1 - small.final_state[0];
        Eigen::Map<const model::RowMatrix<R>> x(big.final_state.data(), 8, 8);
        for (int j = 0; j < 8; ++j) {
            INFO(model::to_string(kind) << ", token " << j);
            CHECK(within_relative(R(x.row(j).norm()), small.final_state[1], R("1e-45")));
            for (int k = j + 1; k < 8; ++k)
                CHECK(within_relative(R(x.row(j).dot(x.row(k)) / (x.row(j).norm() * x.row(k).norm())), gamma, R("1e-45")));
        }
    }
}

TEST_CASE("Taylor stepper stops exactly at every output time and agrees with Bulirsch-Stoer on Mix-LN (double)", "[taylor][stops]") {
    model::Scheme<double> scheme;
    scheme.kind = SchemeKind::mix_ln;
    scheme.tau = 0.3;
    model::EquiangularSystem<double> system(8, 1.0, scheme);
    auto options = taylor_options(1e-14);
    options.output_times = {0.0, 0.1, 0.25, 0.7, 1.5};
    std::vector<double> seen;
    const auto solution = solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.5, options,
                                               [&](const double& t, std::span<const double>) { seen.push_back(t); });
    REQUIRE(solution.status == solve::SolveStatus::done);
    CHECK(seen == options.output_times);
    auto reference_options = options;
    reference_options.stepper = solve::Stepper::bulirsch_stoer;
    const auto reference = solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.5, reference_options);
    CHECK(within_relative(solution.final_state[0], reference.final_state[0], 1e-12));
    CHECK(within_relative(solution.final_state[1], reference.final_state[1], 1e-12));
}

TEST_CASE("Taylor stepper refuses a field it has no tape for, and fixed steps", "[taylor][errors]") {
    struct Other final : model::VectorField<double> {
        void operator()(std::span<const double> x, std::span<double> dxdt, const double&) override { std::copy(x.begin(), x.end(), dxdt.begin()); }
    } other;
    CHECK_THROWS_AS(solve::solve<double>(other, {1.0}, 0.0, 1.0, taylor_options(1e-10)), std::invalid_argument);
    model::EquiangularSystem<double> system(8, 1.0, model::Scheme<double>{});
    auto options = taylor_options(1e-10);
    options.dt = 0.1;
    CHECK_THROWS_AS(solve::solve<double>(system, {1.0, 1.0}, 0.0, 1.0, options), std::invalid_argument);
}

TEST_CASE("Taylor stepper reports Peri-LN's singular speed factor for an antipodal pair at beta = 0 (no NaN)",
          "[taylor][singular]") {
    model::Scheme<double> scheme;
    scheme.kind = SchemeKind::peri_ln;
    model::ParticleSystem<double> system(2, 2, scheme, model::Attention<double>(0.0));
    const auto solution = solve::solve<double>(system, {1.0, 0.0, -1.0, 0.0}, 0.0, 1.0, taylor_options(1e-12));
    CHECK(solution.status == solve::SolveStatus::partial);
    CHECK(solution.reason.find("singular speed factor") != std::string::npos);
    CHECK(solution.final_state == std::vector<double>{1.0, 0.0, -1.0, 0.0});
}

TEST_CASE("Output times leave the Taylor method's steps alone and read its series within the tolerance: "
          "Post-LN pair at beta = 0 follows gamma = tanh(t) at 101 times to 1e-38 in 50 digits",
          "[taylor][dense]") {
    model::Problem<mp50> problem;
    problem.system = model::SystemKind::equiangular;
    problem.n = 2;
    problem.beta = 0;
    problem.t_end = 3;
    solve::Method method;
    method.stepper = solve::Stepper::taylor;
    method.rtol = method.atol = "1e-40";
    method.precision = {"mp50", 0};
    solve::Sampling few, many;
    few.samples = 2;
    many.samples = 101;
    const auto coarse = solve::solve(problem, method, few);
    const auto fine = solve::solve(problem, method, many);
    REQUIRE(coarse.status == solve::SolveStatus::done);
    REQUIRE(fine.status == solve::SolveStatus::done);
    CHECK(fine.stats.steps == coarse.stats.steps);
    CHECK(fine.stats.rhs_evals == coarse.stats.rhs_evals);
    CHECK(fine.final_state == coarse.final_state);
    CHECK(fine.stats.steps < 50);  // landing on 100 output times would take at least 100
    const auto t = fine.column("t");
    const auto gamma = fine.column("gamma");
    REQUIRE(t.size() == 101);
    mp50 worst = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        using std::abs;
        using std::tanh;
        worst = std::max(worst, mp50(abs(gamma[i] - tanh(t[i]))));
    }
    INFO("worst |gamma - tanh t| = " << to_decimal(worst) << " over " << t.size() << " times, " << fine.stats.steps
                                     << " steps");
    CHECK(worst < mp50("1e-38"));
}
