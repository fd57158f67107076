#include "common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace normdyn::checks::detail {

std::vector<double> log_times(double t_lo, double t_hi, std::size_t count) {
    std::vector<double> times(count);
    const double a = std::log(t_lo), b = std::log(t_hi);
    for (std::size_t i = 0; i < count; ++i) times[i] = std::exp(a + (b - a) * double(i) / double(count - 1));
    times.back() = t_hi;
    return times;
}

std::vector<double> law_neutral_times(double t_end, std::size_t count) {
    std::vector<double> times;
    const double s_end = std::sqrt(t_end + 1);
    for (std::size_t i = 1; i <= count; ++i) {
        const double f = double(i) / double(count);
        times.push_back(t_end * f);
        const double s = 1 + (s_end - 1) * f;
        times.push_back(s * s - 1);
    }
    for (double t : log_times(std::min(1e-2, t_end / 10), t_end, count)) times.push_back(t);
    std::sort(times.begin(), times.end());
    std::vector<double> unique;
    for (double t : times)
        if (t > 0 && t < t_end && (unique.empty() || t > unique.back() * (1 + 1e-12))) unique.push_back(t);
    unique.push_back(t_end);
    return unique;
}

Sampled integrate(const model::Problem<double>& problem, const std::vector<double>& times, double rtol, double atol,
                  std::size_t max_steps) {
    solve::Method method;  // dopri5, max norm
    method.rtol = to_decimal(rtol);
    method.atol = to_decimal(atol);
    method.max_steps = max_steps;
    solve::Sampling sampling;
    sampling.times = times;
    if (sampling.times.empty() || sampling.times.front() > 0) sampling.times.insert(sampling.times.begin(), 0.0);
    sampling.observables = {"t"};
    sampling.states = true;
    auto run = problem;
    run.t_end = times.back();
    const auto trajectory = solve::solve(run, method, sampling);
    Sampled out;
    out.t = trajectory.column("t");
    for (const auto& x : trajectory.states) out.x.emplace_back(x.begin(), x.end());
    out.solution.status = trajectory.status;
    out.solution.t_reached = trajectory.t_reached;
    out.solution.reason = trajectory.reason;
    out.solution.final_state = trajectory.final_state;
    out.solution.stats = trajectory.stats;
    return out;
}

model::Problem<double> particles(const model::Scheme<double>& scheme, double beta, const Matrix& x0) {
    model::Problem<double> problem;
    problem.scheme = scheme;
    problem.n = std::size_t(x0.rows());
    problem.d = std::size_t(x0.cols());
    problem.beta = beta;
    problem.positions = x0;
    return problem;
}

model::Problem<double> equiangular(const model::Scheme<double>& scheme, std::size_t n, double beta) {
    model::Problem<double> problem;
    problem.system = model::SystemKind::equiangular;
    problem.scheme = scheme;
    problem.n = n;
    problem.beta = beta;
    return problem;
}

Matrix positions(const std::vector<double>& x, std::size_t n, std::size_t d) {
    return Eigen::Map<const Matrix>(x.data(), Eigen::Index(n), Eigen::Index(d));
}

Matrix directions(const Matrix& positions) { return positions.rowwise().normalized(); }

std::vector<double> flatten(const Matrix& m) { return std::vector<double>(m.data(), m.data() + m.size()); }

double spread(const Matrix& theta) {
    double worst = 0;
    for (Eigen::Index j = 0; j < theta.rows(); ++j)
        for (Eigen::Index k = j + 1; k < theta.rows(); ++k)
            worst = std::max(worst, (theta.row(j) - theta.row(k)).squaredNorm() / 2);
    return worst;
}

double variance(const Matrix& theta) {
    const Eigen::RowVectorXd mean = theta.colwise().mean();
    double sum = 0;
    for (Eigen::Index k = 0; k < theta.rows(); ++k) sum += (theta.row(k) - mean).squaredNorm();
    return sum / double(theta.rows());
}

Matrix direction_velocities(const Matrix& positions, const Matrix& velocities) {
    Matrix out(positions.rows(), positions.cols());
    for (Eigen::Index j = 0; j < positions.rows(); ++j) {
        const double r = positions.row(j).norm();
        const Eigen::RowVectorXd theta = positions.row(j) / r;
        out.row(j) = (velocities.row(j) - theta.dot(velocities.row(j)) * theta) / r;
    }
    return out;
}

std::string format(double x, int digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, x);
    return buffer;
}

double half_width(const measure::LawFit& fit) { return (fit.ci95[1] - fit.ci95[0]) / 2; }

std::string describe(const measure::DecayFit& fit) {
    std::string text = measure::to_string(fit.best.law) + " law wins: rate " + format(fit.best.rate, 6) + " [" +
                       format(fit.best.ci95[0], 6) + ", " + format(fit.best.ci95[1], 6) + "] on t in [" +
                       format(fit.t_lo) + ", " + format(fit.t_hi) + "] (" + std::to_string(fit.points) +
                       " points); rss";
    for (const auto& law : fit.laws) text += " " + measure::to_string(law.law) + " " + format(law.rss, 3);
    if (fit.best.law == measure::DecayLaw::power && fit.best.offset != 0)
        text += "; power-law offset c = " + format(fit.best.offset);
    return text;
}

report::Verdict law_and_rate(const measure::DecayFit& fit, measure::DecayLaw law, double rate, double tolerance) {
    if (fit.best.law != law) return report::Verdict::fail;
    return within(fit.best.rate, rate, tolerance);
}

}  // namespace normdyn::checks::detail
