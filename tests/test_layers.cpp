// Tests of the discrete transformer layers (normdyn/layers/): normalisations, multi-head
// attention and its causal mask, the layer map of each scheme against the ODE of spec §2, the continuous
// limit and the norm growth under random weights.
#include <catch2/catch.hpp>

#include "normdyn/layers/continuum_limit.hpp"
#include "normdyn/layers/depth_study.hpp"
#include "normdyn/layers/layer.hpp"
#include "normdyn/layers/token_observables.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/particle_system.hpp"

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

using namespace normdyn;
using layers::Matrix;
using layers::NormKind;
using layers::WeightKind;
using model::SchemeKind;

namespace {

Matrix gaussian_tokens(std::size_t n, std::size_t d, std::uint64_t seed, double scale = 1, double shift = 0) {
    model::NormalSampler sampler(seed);
    Matrix x = Matrix::Zero(Eigen::Index(n), Eigen::Index(d));
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = shift + scale * sampler();
    return x;
}

Matrix unit_tokens(std::size_t n, std::size_t d, std::uint64_t seed) {
    Matrix x = gaussian_tokens(n, d, seed);
    x.rowwise().normalize();
    return x;
}

layers::Normalization norm_of(NormKind kind, double epsilon = 0) {
    layers::Normalization norm;
    norm.kind = kind;
    norm.epsilon = epsilon;
    return norm;
}

layers::DiscreteLayer make_layer(SchemeKind scheme, double step, double beta, double tau = 1, double alpha = 0.7,
                                 NormKind norm = NormKind::plain, bool causal = false) {
    layers::LayerMap map;
    map.scheme = scheme;
    map.step = step;
    map.tau = tau;
    map.alpha = alpha;
    map.norm = norm_of(norm, norm == NormKind::plain ? 0 : 1e-5);
    return layers::DiscreteLayer(map, layers::MultiHeadAttention(beta, causal));
}

// dx/dt of model::ParticleSystem at (x, t), as a matrix.
Matrix ode_rhs(SchemeKind kind, const Matrix& x, double t, double beta, double tau = 1, double alpha = 0.7) {
    model::Scheme<double> scheme;
    scheme.kind = kind;
    scheme.tau = tau;
    scheme.alpha = alpha;
    model::ParticleSystem<double> system(std::size_t(x.rows()), std::size_t(x.cols()), scheme,
                                         model::Attention<double>(beta));
    std::vector<double> state(x.data(), x.data() + x.size()), rate(state.size());
    system(state, rate, t);
    return Eigen::Map<const Matrix>(rate.data(), x.rows(), x.cols());
}

// Runs `normdyn ARGUMENTS` (stderr discarded): its exit code and stdout.
std::pair<int, std::string> run_normdyn(const std::string& arguments) {
    FILE* pipe = ::popen((std::string("'") + NORMDYN_EXE + "' " + arguments + " 2>/dev/null").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[4096];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, got);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// (layer_ℓ(x) − x)/h against f(x, ℓh), relative in the Frobenius norm.
double increment_error(SchemeKind kind, const Matrix& x, double step, std::size_t layer, double beta) {
    const auto layer_map = make_layer(kind, step, beta);
    Matrix next = x;
    layer_map.apply(next, layers::AttentionWeights::identity(std::size_t(x.cols()), 1), layer);
    const Matrix increment = (next - x) / step;
    const Matrix rhs = ode_rhs(kind, x, layer_map.map().time(layer), beta);
    return (increment - rhs).norm() / rhs.norm();
}

}  // namespace

TEST_CASE("LayerNorm output has zero mean and norm sqrt(d)") {
    const Matrix x = gaussian_tokens(5, 24, 1, 3.0, 7.0);
    Matrix y;
    norm_of(NormKind::layernorm).apply(x, y);
    for (Eigen::Index j = 0; j < y.rows(); ++j) {
        CHECK(std::abs(y.row(j).mean()) < 1e-14);
        CHECK(y.row(j).norm() == Approx(std::sqrt(24.0)).epsilon(1e-14));
    }
    SECTION("epsilon shrinks the norm to sqrt(d var / (var + eps))") {
        norm_of(NormKind::layernorm, 0.5).apply(x, y);
        const double mean = x.row(0).mean();
        const double var = (x.row(0).array() - mean).square().mean();
        CHECK(y.row(0).norm() == Approx(std::sqrt(24 * var / (var + 0.5))).epsilon(1e-14));
    }
    SECTION("the affine gain and offset act coordinate-wise after the normalisation") {
        auto affine = norm_of(NormKind::layernorm);
        affine.gain = layers::Vector::LinSpaced(24, 0.5, 2.0);
        affine.offset = layers::Vector::Constant(24, 0.25);
        Matrix plain_y, affine_y;
        norm_of(NormKind::layernorm).apply(x, plain_y);
        affine.apply(x, affine_y);
        const Matrix expected = (plain_y.array().rowwise() * affine.gain.transpose().array()).rowwise() +
                                affine.offset.transpose().array();
        CHECK((affine_y - expected).cwiseAbs().maxCoeff() < 1e-14);
    }
}

TEST_CASE("RMSNorm output has root mean square 1; plain normalisation has norm 1") {
    const Matrix x = gaussian_tokens(5, 17, 2, 4.0, 1.0);
    Matrix y;
    norm_of(NormKind::rmsnorm).apply(x, y);
    for (Eigen::Index j = 0; j < y.rows(); ++j) CHECK(std::sqrt(y.row(j).squaredNorm() / 17) == Approx(1).epsilon(1e-14));
    norm_of(NormKind::plain).apply(x, y);
    for (Eigen::Index j = 0; j < y.rows(); ++j) CHECK(y.row(j).norm() == Approx(1).epsilon(1e-15));
    SECTION("a zero token cannot be normalised") {
        Matrix z = x;
        z.row(2).setZero();
        CHECK_THROWS_AS(norm_of(NormKind::plain).apply(z, y), std::domain_error);
    }
}

TEST_CASE("One identity head is the spec's attention A(Theta) with Q = K = V = I") {
    const Matrix theta = unit_tokens(7, 5, 3);
    Matrix ours, spec;
    layers::MultiHeadAttention(4.0).apply(theta, layers::AttentionWeights::identity(5, 1), ours);
    model::Attention<double>(4.0).apply(theta, spec);
    CHECK((ours - spec).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("Identity heads attend within their own block of coordinates") {
    const Matrix y = gaussian_tokens(6, 8, 4);
    Matrix two_heads, block;
    layers::MultiHeadAttention attention(1.5);
    attention.apply(y, layers::AttentionWeights::identity(8, 2), two_heads);
    for (Eigen::Index h = 0; h < 2; ++h) {
        const Matrix part = y.middleCols(4 * h, 4);
        attention.apply(part, layers::AttentionWeights::identity(4, 1), block);
        CHECK((two_heads.middleCols(4 * h, 4) - block).cwiseAbs().maxCoeff() < 1e-15);
    }
}

TEST_CASE("With h -> 0 the layer increment over h approaches the ODE right-hand side for every scheme") {
    const double h = 1e-6, beta = 2.0;
    const Matrix unit = unit_tokens(6, 4, 5), gaussian = gaussian_tokens(6, 4, 6);
    for (SchemeKind kind : model::all_schemes) {
        INFO(model::to_string(kind));
        const Matrix& x = model::starts_gaussian(kind) && kind != SchemeKind::mix_ln ? gaussian : unit;
        CHECK(increment_error(kind, x, h, 0, beta) < 1e-6);
    }
    SECTION("away from t = 0: LN-Scaling's 1/sqrt(1 + t) and Mix-LN after its switch at tau = 1") {
        CHECK(increment_error(SchemeKind::ln_scaling, unit, h, 1'500'000, beta) < 1e-6);      // t = 1.5
        CHECK(increment_error(SchemeKind::mix_ln, gaussian, h, 1'500'000, beta) < 1e-6);      // t = 1.5 > tau
        CHECK(increment_error(SchemeKind::ngpt, unit, h, 3'000'000, beta) < 1e-6);
    }
    SECTION("the error is first order: ten times smaller h, about ten times smaller error") {
        for (SchemeKind kind : {SchemeKind::post_ln, SchemeKind::ngpt, SchemeKind::ln_scaling}) {
            INFO(model::to_string(kind));
            const double ratio = increment_error(kind, unit, 1e-3, 0, beta) / increment_error(kind, unit, 1e-4, 0, beta);
            CHECK(ratio == Approx(10).epsilon(0.05));
        }
    }
}

TEST_CASE("Discrete forms: Mix-LN switches at layer round(tau/h), LN-Scaling scales by 1/sqrt(1 + l h)") {
    layers::LayerMap map;
    map.scheme = SchemeKind::mix_ln;
    map.step = 0.1;
    map.tau = 1;
    CHECK(map.switch_layer() == 10);
    CHECK(map.scheme_at(9) == SchemeKind::post_ln);
    CHECK(map.scheme_at(10) == SchemeKind::pre_ln);
    map.scheme = SchemeKind::ln_scaling;
    map.step = 1;
    CHECK(map.residual_scale(0) == 1);  // layer number 1 of the curse-of-depth paper
    CHECK(map.residual_scale(3) == Approx(0.5));
    map.step = 0.25;
    CHECK(map.residual_scale(12) == Approx(0.5));  // t = 3, whatever h
}

TEST_CASE("Causal masking makes token j independent of the tokens after j") {
    const std::size_t n = 7, d = 8;
    const Matrix x = gaussian_tokens(n, d, 7);
    Matrix changed = x;
    changed.bottomRows(3) = gaussian_tokens(3, d, 8, 5.0);  // tokens 4, 5, 6
    for (SchemeKind kind : model::all_schemes) {
        INFO(model::to_string(kind));
        auto run = [&](Matrix tokens) {
            layers::LayerStack stack(make_layer(kind, 0.5, 2.0, 1.0, 0.7, NormKind::layernorm, true),
                                     layers::WeightSchedule(WeightKind::kaiming, d, 2, 11));
            for (int l = 0; l < 5; ++l) stack.advance(tokens);
            return tokens;
        };
        const Matrix a = run(x), b = run(changed);
        CHECK(a.topRows(4) == b.topRows(4));                              // bit for bit
        CHECK((a.bottomRows(3) - b.bottomRows(3)).norm() > 1e-3);         // the later tokens did change
    }
    SECTION("without the mask the earlier tokens see the change") {
        layers::MultiHeadAttention open(2.0, false);
        Matrix a, b;
        open.apply(x, layers::AttentionWeights::identity(d, 1), a);
        open.apply(changed, layers::AttentionWeights::identity(d, 1), b);
        CHECK((a.row(0) - b.row(0)).norm() > 1e-6);
    }
}

TEST_CASE("Seeded weights are reproducible, tied weights repeat, Kaiming has variance 2/d") {
    layers::WeightSchedule a(WeightKind::kaiming, 64, 2, 9), b(WeightKind::kaiming, 64, 2, 9);
    const auto first = a.next();
    CHECK(first.heads[1].value == b.next().heads[1].value);
    CHECK(a.next().output != first.output);  // independent per layer
    const double variance = first.output.squaredNorm() / double(first.output.size());
    CHECK(variance == Approx(2.0 / 64).epsilon(0.05));
    layers::WeightSchedule tied(WeightKind::tied_random, 64, 2, 9);
    const auto tied_first = tied.next();
    CHECK(tied.next().heads[0].query == tied_first.heads[0].query);
    layers::WeightSchedule gpt2(WeightKind::gpt2, 64, 1, 9);
    CHECK(std::sqrt(gpt2.next().output.squaredNorm() / (64.0 * 64)) == Approx(0.02).epsilon(0.05));
    CHECK_THROWS_AS(layers::WeightSchedule(WeightKind::kaiming, 64, 3, 0), std::invalid_argument);
}

TEST_CASE("Token observables: cosines, Var and radii of a known configuration") {
    Matrix x(3, 2);
    x << 2, 0, 0, 3, -1, 0;
    const auto o = layers::observe_tokens(x);
    CHECK(o.gamma_min == Approx(-1));
    CHECK(o.gamma_max == Approx(0).margin(1e-15));
    CHECK(o.gamma_mean == Approx(-1.0 / 3));
    CHECK(o.radius_mean == Approx(2));
    CHECK(o.radius_min == Approx(1));
    CHECK(o.var == Approx(1 - 1.0 / 9));
    CHECK(o.clusters == 3);
}

TEST_CASE("The discrete stack converges to the ODE solution with observed order 1 for every scheme") {
    const Matrix x_unit = unit_tokens(6, 4, 12), x_gaussian = gaussian_tokens(6, 4, 13);
    for (SchemeKind kind : model::all_schemes) {
        INFO(model::to_string(kind));
        layers::ContinuumLimitOptions options;
        options.scheme.kind = kind;
        options.scheme.tau = 0.5;
        options.scheme.alpha = 0.7;
        options.beta = 2;
        options.t_end = 2;
        options.steps = {1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128, 1.0 / 256, 1.0 / 512};
        const bool on_sphere = model::keeps_radius(kind) || kind == SchemeKind::mix_ln;
        const auto study = layers::continuum_limit(on_sphere ? x_unit : x_gaussian, options);
        // first order; the interval is a regression interval and a small O(h^2) term may shift it off 1
        CHECK(study.order.observed == Approx(1).margin(0.05));
        CHECK(study.order.ci95[0] > 0.9);
        CHECK(study.order.ci95[1] < 1.1);
        CHECK(study.order.points_used >= 4);
        CHECK(study.reference_error < 1e-9);
        CHECK(study.notes.empty());
    }
    SECTION("a sphere scheme started off the unit sphere is refused") {
        layers::ContinuumLimitOptions options;
        options.scheme.kind = SchemeKind::post_ln;
        options.steps = {0.5};
        CHECK_THROWS_AS(layers::continuum_limit(x_gaussian, options), std::invalid_argument);
    }
}

TEST_CASE("Pre-LN norms grow like depth^(1/2) under independent random weights and like depth under identity") {
    layers::DepthStudyOptions options;
    options.schemes = {SchemeKind::pre_ln};
    options.n = 8;
    options.d = 64;
    options.beta = 8;
    options.layers = 128;
    options.seeds = 3;
    options.init.kind = model::InitKind::uniform;
    options.weights = WeightKind::kaiming;
    const auto random = layers::fit_growth_exponent(layers::run_depth_study(options).front(), 1.0, 32, 128);
    CHECK(random.exponent == Approx(0.5).margin(0.1));
    CHECK(random.seed_exponents.size() == 3);
    options.weights = WeightKind::identity;
    const auto identity = layers::fit_growth_exponent(layers::run_depth_study(options).front(), 1.0, 32, 128);
    CHECK(identity.exponent == Approx(1).margin(0.05));
}

TEST_CASE("The depth study does not depend on the number of threads") {
    layers::DepthStudyOptions options;
    options.schemes = {SchemeKind::post_ln, SchemeKind::peri_ln};
    options.n = 5;
    options.d = 12;
    options.layers = 6;
    options.seeds = 3;
    options.init.kind = model::InitKind::uniform;
    options.threads = 1;
    const auto one = layers::run_depth_study(options);
    options.threads = 2;
    const auto two = layers::run_depth_study(options);
    for (std::size_t i = 0; i < one.size(); ++i) {
        CHECK(one[i].norm_mean == two[i].norm_mean);
        CHECK(one[i].cosine_mean == two[i].cosine_mean);
    }
}

TEST_CASE("normdyn layers: a stack run, the limit study and a bad argument", "[cli]") {
    const auto stack = run_normdyn("layers --scheme peri-ln --weights kaiming --heads 2 --norm rmsnorm --layers 8 --json");
    REQUIRE(stack.first == 0);
    const auto summary = nlohmann::json::parse(stack.second);
    CHECK(summary.at("status") == "done");
    CHECK(summary.at("series").at("layer").size() == 9);
    for (const char* key : {"t", "gamma_min", "gamma_mean", "gamma_max", "spread", "var", "radius_mean", "radius_min",
                            "speed_max", "clusters"})
        CHECK(summary.at("series").contains(key));
    const auto limit = run_normdyn("layers --study limit --scheme ngpt --t-end 1 --refinements 5 --json");
    REQUIRE(limit.first == 0);
    CHECK(nlohmann::json::parse(limit.second).at("orders").at("ngpt").at("observed").get<double>() ==
          Approx(1).margin(0.1));
    CHECK(run_normdyn("layers --norm batchnorm").first == 2);
    CHECK(run_normdyn("layers --study limit --weights kaiming").first == 2);
}
