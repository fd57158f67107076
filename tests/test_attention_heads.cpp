// Q, K, V, heads and the causal mask (model/attention.hpp, model/attention_weights.hpp, model/problem.hpp)
// against a straightforward reference: plain loops over heads, tokens, keys and coordinates of
//   head_h(Θ)_j = Σ_{k allowed} exp(β <Q_h θ_j, K_h θ_k>) V_h θ_k / Σ_{k allowed} exp(β <Q_h θ_j, K_h θ_l>),
// k allowed = every k, or k ≤ j with the causal mask; A = the heads' outputs side by side.
#include <catch2/catch.hpp>

#include "normdyn/model/attention.hpp"
#include "normdyn/model/attention_weights.hpp"
#include "normdyn/model/init.hpp"
#include "normdyn/model/problem.hpp"

#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

using namespace normdyn;

namespace {

template <class T> using Matrix = model::RowMatrix<T>;

// Entry (r, i) of a weight matrix; an empty one is the identity.
template <class T> T weight_entry(const std::optional<Matrix<T>>& w, std::size_t r, std::size_t i) {
    if (!w) return r == i ? T(1) : T(0);
    return (*w)(Eigen::Index(r), Eigen::Index(i));
}

template <class T>
Matrix<T> reference_attention(const Matrix<T>& theta, const std::optional<Matrix<T>>& q,
                              const std::optional<Matrix<T>>& k, const std::optional<Matrix<T>>& v, T beta,
                              std::size_t heads, bool causal) {
    using std::exp;
    const std::size_t n = std::size_t(theta.rows()), d = std::size_t(theta.cols()), width = d / heads;
    // project(w, j, r) = (W θ_j)_r
    const auto project = [&](const std::optional<Matrix<T>>& w, std::size_t j, std::size_t r) {
        T sum = 0;
        for (std::size_t i = 0; i < d; ++i) sum += weight_entry(w, r, i) * theta(Eigen::Index(j), Eigen::Index(i));
        return sum;
    };
    Matrix<T> out = Matrix<T>::Zero(theta.rows(), theta.cols());
    for (std::size_t h = 0; h < heads; ++h)
        for (std::size_t j = 0; j < n; ++j) {
            const std::size_t keys = causal ? j + 1 : n;
            std::vector<T> logit(keys);
            for (std::size_t l = 0; l < keys; ++l) {
                T dot = 0;
                for (std::size_t c = h * width; c < (h + 1) * width; ++c) dot += project(q, j, c) * project(k, l, c);
                logit[l] = beta * dot;
            }
            T shift = logit[0];
            for (const T& x : logit) shift = x > shift ? x : shift;
            T z = 0;
            for (std::size_t l = 0; l < keys; ++l) z += exp(logit[l] - shift);
            for (std::size_t c = h * width; c < (h + 1) * width; ++c) {
                T sum = 0;
                for (std::size_t l = 0; l < keys; ++l) sum += exp(logit[l] - shift) * project(v, l, c);
                out(Eigen::Index(j), Eigen::Index(c)) = sum / z;
            }
        }
    return out;
}

template <class T> Matrix<T> unit_rows(std::size_t n, std::size_t d, std::uint64_t seed) {
    model::NormalSampler normal(seed);
    Matrix<double> m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal();
    for (Eigen::Index j = 0; j < m.rows(); ++j) m.row(j).normalize();
    return m.cast<T>();
}

template <class T> std::optional<Matrix<T>> converted(const std::optional<Matrix<double>>& m) {
    if (!m) return std::nullopt;
    return Matrix<T>(m->cast<T>());
}

template <class T> double max_difference(const Matrix<T>& a, const Matrix<T>& b) {
    double worst = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        using std::abs;
        worst = std::max(worst, double(abs(a.data()[i] - b.data()[i])));
    }
    return worst;
}

template <class T> void check_against_reference(double tolerance) {
    const std::size_t n = 13, d = 12;  // n not a multiple of 4: the lanes' edges too
    const Matrix<T> theta = unit_rows<T>(n, d, 7);
    // Q and K random (std 0.6), V kaiming; and Q = K = V = I.
    const auto drawn = model::attention_weights(
        {model::parse_weight_spec("random"), model::parse_weight_spec("random"), model::parse_weight_spec("kaiming")}, d,
        0.6, 11);
    const std::vector<std::array<std::optional<Matrix<T>>, 3>> weight_sets = {
        {converted<T>(drawn[0]), converted<T>(drawn[1]), converted<T>(drawn[2])},
        {std::nullopt, std::nullopt, std::nullopt},
        {converted<T>(drawn[0]), std::nullopt, converted<T>(drawn[2])}};
    for (std::size_t set = 0; set < weight_sets.size(); ++set)
        for (std::size_t heads : {1, 2, 3, 4, 12})
            for (bool causal : {false, true})
                for (double beta : {0.5, 4.0}) {
                    const auto& [q, k, v] = weight_sets[set];
                    const model::Attention<T> attention(T(beta), q.value_or(Matrix<T>()), k.value_or(Matrix<T>()),
                                                        v.value_or(Matrix<T>()), heads, causal);
                    Matrix<T> out;
                    attention.apply(theta, out);
                    const Matrix<T> expected = reference_attention<T>(theta, q, k, v, T(beta), heads, causal);
                    INFO("weights " << set << ", heads " << heads << ", causal " << causal << ", beta " << beta);
                    CHECK(max_difference(out, expected) <= tolerance);
                }
}

}  // namespace

TEST_CASE("Attention with Q, K, V, H heads and the causal mask equals the plain-loop reference (double)",
          "[attention][heads]") {
    check_against_reference<double>(1e-13);
}

TEST_CASE("Attention with Q, K, V, H heads and the causal mask equals the plain-loop reference (long double)",
          "[attention][heads]") {
    check_against_reference<long double>(1e-16);
}

TEST_CASE("Causal mask: token 0 attends to itself alone, A_0 = V θ_0 in every head", "[attention][heads]") {
    const Matrix<double> theta = unit_rows<double>(6, 8, 3);
    const auto drawn = model::attention_weights({model::parse_weight_spec("gpt2"), model::parse_weight_spec("gpt2"),
                                                 model::parse_weight_spec("gpt2")},
                                                8, 1, 5);
    const model::Attention<double> attention(2.0, *drawn[0], *drawn[1], *drawn[2], 4, true);
    Matrix<double> out;
    attention.apply(theta, out);
    const Eigen::RowVectorXd expected = theta.row(0) * drawn[2]->transpose();
    CHECK((out.row(0) - expected).cwiseAbs().maxCoeff() <= 1e-15);
}

TEST_CASE("Weight draws: deterministic from the seed, Q, K, V independent, std as the kind says",
          "[attention][weights]") {
    const std::size_t d = 64;
    const auto spec = [](const char* text) { return model::parse_weight_spec(text); };
    const auto a = model::attention_weights({spec("gpt2"), spec("gpt2"), spec("kaiming")}, d, 1, 42);
    const auto b = model::attention_weights({spec("gpt2"), spec("gpt2"), spec("kaiming")}, d, 1, 42);
    const auto c = model::attention_weights({spec("gpt2"), spec("gpt2"), spec("kaiming")}, d, 1, 43);
    CHECK(*a[0] == *b[0]);
    CHECK(*a[2] == *b[2]);
    CHECK(*a[0] != *a[1]);
    CHECK(*a[0] != *c[0]);
    const auto sample_std = [](const Matrix<double>& m) { return std::sqrt(m.squaredNorm() / double(m.size())); };
    CHECK(sample_std(*a[0]) == Approx(0.02).epsilon(0.05));           // 4096 draws: std error ~1.1%
    CHECK(sample_std(*a[2]) == Approx(std::sqrt(2.0 / 64)).epsilon(0.05));
    const auto r = model::attention_weights({spec("random"), spec("identity"), spec("identity")}, d, 0.3, 42);
    CHECK(sample_std(*r[0]) == Approx(0.3).epsilon(0.05));
    CHECK_FALSE(r[1].has_value());
    CHECK_THROWS_AS(model::parse_weight_spec("xavier"), std::invalid_argument);
}

TEST_CASE("A Pre-LN problem with gpt2 weights, 2 heads and the mask: field() is A(x/|x|) of the reference",
          "[attention][heads][problem]") {
    model::ProblemText text;
    text.scheme = model::SchemeKind::pre_ln;  // dx_j/dt = A_j (spec §2)
    text.n = 9;
    text.d = 8;
    text.beta = "3";
    text.weights = {model::parse_weight_spec("gpt2"), model::parse_weight_spec("random"),
                    model::parse_weight_spec("kaiming")};
    text.weight_std = "0.5";
    text.heads = 2;
    text.causal = true;
    text.seed = 9;
    const auto problem = text.at<double>();
    problem.validate();
    CHECK_FALSE(problem.identity_attention());
    const auto x = problem.initial_state();
    std::vector<double> dxdt(x.size());
    problem.field()->operator()(std::span<const double>(x.data(), x.size()), dxdt, 0.0);
    Matrix<double> theta = Eigen::Map<const Matrix<double>>(x.data(), 9, 8);
    for (Eigen::Index j = 0; j < theta.rows(); ++j) theta.row(j).normalize();
    const Matrix<double> expected =
        reference_attention<double>(theta, problem.query, problem.key, problem.value, 3.0, 2, true);
    CHECK(max_difference<double>(Eigen::Map<const Matrix<double>>(dxdt.data(), 9, 8), expected) <= 1e-13);

    model::ProblemText odd = text;
    odd.heads = 3;
    try {
        odd.at<double>().validate();
        FAIL("3 heads in d = 8 accepted");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("--heads") != std::string::npos);
    }
}
