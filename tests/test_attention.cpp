// Tests of softmax self-attention on directions (normdyn/model/attention.hpp, spec §1).
#include <catch2/catch.hpp>

#include "normdyn/model/attention.hpp"
#include "normdyn/model/init.hpp"

#include <cmath>
#include <stdexcept>

using namespace normdyn;
using model::Attention;
using Matrix = model::RowMatrix<double>;

namespace {

Matrix gaussian_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    model::NormalSampler normal(seed);
    Matrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index k = 0; k < m.cols(); ++k) m(i, k) = normal();
    return m;
}

Matrix unit_rows(Matrix m) {
    for (Eigen::Index j = 0; j < m.rows(); ++j) m.row(j).normalize();
    return m;
}

Matrix orthonormal_directions(std::size_t n, std::size_t d) {
    Matrix theta = Matrix::Zero(Eigen::Index(n), Eigen::Index(d));
    for (Eigen::Index j = 0; j < Eigen::Index(n); ++j) theta(j, j) = 1;
    return theta;
}

double operator_norm(const Matrix& m) {
    const Eigen::MatrixXd dense = m;
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(dense);
    return svd.singularValues()(0);
}

// A_j by the definition of spec §1, one pair at a time, without any shift (small β only).
Matrix attention_by_definition(const Matrix& theta, double beta, const Matrix& q, const Matrix& k, const Matrix& v) {
    Matrix a = Matrix::Zero(theta.rows(), theta.cols());
    for (Eigen::Index j = 0; j < theta.rows(); ++j) {
        const Eigen::VectorXd qj = q * theta.row(j).transpose();
        double z = 0;
        for (Eigen::Index l = 0; l < theta.rows(); ++l) {
            const Eigen::VectorXd kl = k * theta.row(l).transpose();
            const double weight = std::exp(beta * qj.dot(kl));
            z += weight;
            a.row(j) += weight * (v * theta.row(l).transpose()).transpose();
        }
        a.row(j) /= z;
    }
    return a;
}

}  // namespace

TEST_CASE("|A_j| <= 1 for random unit directions at every beta, and beta = 1000 does not overflow", "[attention]") {
    const Matrix theta = unit_rows(gaussian_matrix(40, 5, 11));
    for (double beta : {0.0, 0.1, 1.0, 10.0, 100.0, 1000.0}) {
        CAPTURE(beta);
        Attention<double> attention(beta);
        Matrix a;
        attention.apply(theta, a);
        REQUIRE(a.allFinite());
        REQUIRE(attention.log_partition().allFinite());
        for (Eigen::Index j = 0; j < a.rows(); ++j) CHECK(a.row(j).norm() <= 1 + 1e-15);
    }
}

TEST_CASE("|A_j| <= 1 for random Q, K and a value matrix V of operator norm <= 1", "[attention]") {
    const std::size_t d = 6;
    const Matrix theta = unit_rows(gaussian_matrix(30, d, 21));
    const Matrix q = gaussian_matrix(d, d, 22), k = gaussian_matrix(d, d, 23);
    Matrix v = gaussian_matrix(d, d, 24);
    v /= operator_norm(v);
    REQUIRE(operator_norm(v) <= 1 + 1e-14);
    for (double beta : {0.5, 3.0, 1000.0}) {
        CAPTURE(beta);
        Attention<double> attention(beta, q, k, v);
        Matrix a;
        attention.apply(theta, a);
        REQUIRE(a.allFinite());
        REQUIRE(attention.log_partition().allFinite());
        for (Eigen::Index j = 0; j < a.rows(); ++j) CHECK(a.row(j).norm() <= 1 + 1e-14);
    }
}

TEST_CASE("General Q, K, V: A_j = sum_k exp(beta <Q theta_j, K theta_k>) V theta_k / Z_j, not the transposes",
          "[attention]") {
    const std::size_t d = 4;
    const Matrix theta = unit_rows(gaussian_matrix(7, d, 31));
    const Matrix q = gaussian_matrix(d, d, 32), k = gaussian_matrix(d, d, 33), v = gaussian_matrix(d, d, 34);
    const double beta = 0.7;
    Attention<double> attention(beta, q, k, v);
    Matrix a;
    attention.apply(theta, a);
    const Matrix expected = attention_by_definition(theta, beta, q, k, v);
    CHECK((a - expected).cwiseAbs().maxCoeff() <= 1e-13 * expected.cwiseAbs().maxCoeff());
    // log Z_j against the same definition.
    for (Eigen::Index j = 0; j < theta.rows(); ++j) {
        double z = 0;
        for (Eigen::Index l = 0; l < theta.rows(); ++l)
            z += std::exp(beta * (q * theta.row(j).transpose()).dot(k * theta.row(l).transpose()));
        CHECK(attention.log_partition()(j) == Approx(std::log(z)).epsilon(1e-14));
    }
}

TEST_CASE("Empty weight matrices stand for the identity and give the same A as Q = K = V = I", "[attention]") {
    const Matrix theta = unit_rows(gaussian_matrix(6, 3, 41));
    Attention<double> plain(2.0), explicit_identity(2.0, Matrix::Identity(3, 3), Matrix::Identity(3, 3),
                                                    Matrix::Identity(3, 3));
    CHECK(plain.is_identity());
    CHECK_FALSE(explicit_identity.is_identity());
    Matrix a, b;
    plain.apply(theta, a);
    explicit_identity.apply(theta, b);
    CHECK((a - b).cwiseAbs().maxCoeff() <= 1e-15);
}

TEST_CASE("Attention rejects non-square weight matrices", "[attention]") {
    CHECK_THROWS_AS(Attention<double>(1.0, Matrix::Identity(3, 2), Matrix(), Matrix()), std::invalid_argument);
    CHECK_THROWS_AS(Attention<double>(1.0, Matrix(), Matrix::Ones(2, 3), Matrix()), std::invalid_argument);
}

TEST_CASE("Orthonormal start: log Z_j = log(e^beta + n - 1), exact even at beta = 1000", "[attention]") {
    for (std::size_t n : {2u, 5u, 16u})
        for (double beta : {0.0, 0.5, 4.0, 40.0, 1000.0}) {
            CAPTURE(n, beta);
            Attention<double> attention(beta);
            Matrix a;
            attention.apply(orthonormal_directions(n, n + 1), a);
            // log(e^β + n − 1) = β + log1p((n − 1) e^{−β}), which never overflows.
            const double expected = beta + std::log1p(double(n - 1) * std::exp(-beta));
            for (Eigen::Index j = 0; j < Eigen::Index(n); ++j)
                CHECK(attention.log_partition()(j) == Approx(expected).epsilon(1e-15));
        }
}

TEST_CASE("Orthonormal start: <A_j, theta_k> = e^beta/Z for k = j and 1/Z for k != j", "[attention]") {
    for (std::size_t n : {2u, 5u, 16u})
        for (double beta : {0.0, 0.5, 4.0, 40.0}) {
            CAPTURE(n, beta);
            const Matrix theta = orthonormal_directions(n, n + 2);
            Attention<double> attention(beta);
            Matrix a;
            attention.apply(theta, a);
            const double z = std::exp(beta) + double(n - 1);
            const Matrix inner = a * theta.transpose();
            for (Eigen::Index j = 0; j < Eigen::Index(n); ++j)
                for (Eigen::Index k = 0; k < Eigen::Index(n); ++k) {
                    const double expected = (j == k ? std::exp(beta) : 1.0) / z;
                    CHECK(inner(j, k) == Approx(expected).epsilon(1e-14));
                }
            // Nothing outside the span of the tokens.
            CHECK(a.rightCols(2).cwiseAbs().maxCoeff() == 0);
        }
}

TEST_CASE("Orthonormal start: |A_j|^2 = (e^{2 beta} + n - 1)/Z^2", "[attention]") {
    for (std::size_t n : {2u, 5u, 16u})
        for (double beta : {0.0, 0.5, 4.0, 40.0}) {
            CAPTURE(n, beta);
            Attention<double> attention(beta);
            Matrix a;
            attention.apply(orthonormal_directions(n, n), a);
            const double z = std::exp(beta) + double(n - 1);
            const double expected = (std::exp(2 * beta) + double(n - 1)) / (z * z);
            for (Eigen::Index j = 0; j < Eigen::Index(n); ++j)
                CHECK(a.row(j).squaredNorm() == Approx(expected).epsilon(1e-14));
        }
}

TEST_CASE("mp50 attention at the orthonormal start matches the closed forms to 45 digits", "[attention][mp50]") {
    using R = mp50;
    const std::size_t n = 6;
    const R beta = R("2.5");
    model::RowMatrix<R> theta = model::RowMatrix<R>::Zero(Eigen::Index(n), Eigen::Index(n));
    for (Eigen::Index j = 0; j < Eigen::Index(n); ++j) theta(j, j) = 1;
    Attention<R> attention(beta);
    model::RowMatrix<R> a;
    attention.apply(theta, a);
    const R z = exp(beta) + R(n - 1);
    const R tolerance = R("1e-45");
    for (Eigen::Index j = 0; j < Eigen::Index(n); ++j) {
        CHECK(abs(attention.log_partition()(j) - log(z)) <= tolerance * log(z));
        CHECK(abs(a(j, j) - exp(beta) / z) <= tolerance);
        CHECK(abs(a.row(j).squaredNorm() - (exp(2 * beta) + R(n - 1)) / (z * z)) <= tolerance);
    }
}

TEST_CASE("Attention reuses its workspace: repeated apply gives identical results for a changing n", "[attention]") {
    Attention<double> attention(1.5);
    const Matrix big = unit_rows(gaussian_matrix(9, 3, 51)), small = unit_rows(gaussian_matrix(4, 3, 52));
    Matrix a1, a2, a3;
    attention.apply(big, a1);
    attention.apply(small, a2);
    CHECK(a2.rows() == 4);
    CHECK(attention.log_partition().size() == 4);
    attention.apply(big, a3);
    CHECK((a1 - a3).cwiseAbs().maxCoeff() == 0);
}

TEST_CASE("Attention::apply on views of a caller's buffers gives the matrices' result; a wrong shape is refused",
          "[attention]") {
    const Matrix q = gaussian_matrix(5, 5, 61), k = gaussian_matrix(5, 5, 62), v = gaussian_matrix(5, 5, 63);
    for (const auto& attention : {Attention<double>(1.5), Attention<double>(1.5, q, k, v)}) {
        const Matrix theta = unit_rows(gaussian_matrix(11, 5, 64));
        Matrix expected;
        attention.apply(theta, expected);
        std::vector<double> buffer(std::size_t(theta.size()), -1.0);
        attention.apply(Attention<double>::ConstRows(theta.data(), 11, 5), Attention<double>::Rows(buffer.data(), 11, 5));
        CHECK(Matrix(Attention<double>::Rows(buffer.data(), 11, 5)) == expected);
        CHECK_THROWS_AS(
            attention.apply(Attention<double>::ConstRows(theta.data(), 11, 5), Attention<double>::Rows(buffer.data(), 5, 11)),
            std::invalid_argument);
    }
    // The generic path (long double), views against matrices.
    const model::RowMatrix<long double> theta = unit_rows(gaussian_matrix(7, 4, 65)).cast<long double>();
    const Attention<long double> attention(2.0L);
    model::RowMatrix<long double> expected;
    attention.apply(theta, expected);
    std::vector<long double> buffer(std::size_t(theta.size()));
    attention.apply(Attention<long double>::ConstRows(theta.data(), 7, 4), Attention<long double>::Rows(buffer.data(), 7, 4));
    CHECK(model::RowMatrix<long double>(Attention<long double>::Rows(buffer.data(), 7, 4)) == expected);
}
