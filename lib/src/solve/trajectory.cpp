#include "normdyn/solve/trajectory.hpp"

#include "normdyn/measure/observables.hpp"
#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/scalar.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace normdyn::solve {

const std::vector<std::string>& observable_names(model::SystemKind system) {
    static const std::vector<std::string> particles = {"t",      "gamma_min",   "gamma_mean", "gamma_max",
                                                       "spread", "var",         "energy",     "radius_mean",
                                                       "radius_min", "speed_max", "clusters", "norm_drift"};
    static const std::vector<std::string> equiangular = {"t", "gamma", "one_minus_gamma", "gamma_dot", "r"};
    switch (system) {
        case model::SystemKind::particles: return particles;
        case model::SystemKind::equiangular: return equiangular;
    }
    __builtin_unreachable();
}

bool is_count_column(std::string_view name) { return name == "clusters"; }

template <class T> std::vector<T> Trajectory<T>::column(std::string_view name) const {
    const auto at = std::find(columns.begin(), columns.end(), name);
    if (at == columns.end()) throw std::invalid_argument("no column '" + std::string(name) + "' in the trajectory");
    const auto index = std::size_t(at - columns.begin());
    std::vector<T> values;
    for (const auto& row : rows) values.push_back(row[index]);
    return values;
}

template <class T> std::vector<T> sample_times(const T& t0, const T& t_end, std::size_t samples) {
    std::vector<T> times;
    const std::size_t intervals = samples > 0 ? samples - 1 : 0;
    for (std::size_t i = 0; i < intervals; ++i) {
        const T t = t0 + (t_end - t0) * T(i) / T(intervals);
        if (times.empty() || t > times.back()) times.push_back(t);
    }
    if (times.empty() || t_end > times.back()) times.push_back(t_end);  // exactly t_end, free of rounding
    return times;
}

namespace {

/// The observables of the system at (t, x), in the order of observable_names(); may throw
/// model::FieldSingularity.
template <class T> using AllObservables = std::function<std::vector<T>(const T& t, std::span<const T> x)>;

template <class T> std::vector<T> radii(std::span<const T> x, std::size_t n, std::size_t d) {
    using std::sqrt;
    const Eigen::Map<const model::RowMatrix<T>> positions(x.data(), Eigen::Index(n), Eigen::Index(d));
    std::vector<T> r;
    for (Eigen::Index j = 0; j < positions.rows(); ++j) r.push_back(sqrt(positions.row(j).squaredNorm()));
    return r;
}

/// What measure::observe must compute for the columns (indices into observable_names(particles)).
measure::Selection particle_selection(const std::vector<std::size_t>& columns) {
    const auto& names = observable_names(model::SystemKind::particles);
    auto selection = measure::Selection::none();
    for (std::size_t index : columns) {
        const std::string& name = names[index];
        if (name == "gamma_min" || name == "gamma_mean" || name == "gamma_max") selection.cosines = true;
        else if (name == "spread") selection.spread = true;
        else if (name == "var") selection.var = true;
        else if (name == "energy") selection.energy = true;
        else if (name == "radius_mean" || name == "radius_min" || name == "norm_drift") selection.radius = true;
        else if (name == "speed_max") selection.speed = true;
        else if (name == "clusters") selection.clusters = true;
        else if (name != "t") throw std::logic_error("observable '" + name + "' has no measure::Selection entry");
    }
    return selection;
}

/// The observables of the columns, every other entry left at its default.
template <class T>
AllObservables<T> particle_observables(const model::ParticleSystem<T>& system, std::span<const T> x0,
                                       const measure::Selection& selection) {
    const auto initial_radii = radii<T>(x0, system.tokens(), system.dimension());
    return [&system, initial_radii, selection](const T& t, std::span<const T> x) {
        const auto o = measure::observe(system, x, t, initial_radii, T(1e-6), selection);
        return std::vector<T>{t,        o.gamma_min, o.gamma_mean,  o.gamma_max,  o.spread,   o.var,
                              o.energy, o.radius_mean, o.radius_min, o.speed_max, T(o.clusters), o.norm_drift};
    };
}

// γ = 1 − u; u itself keeps full relative accuracy as γ → 1 (spec §8).
template <class T> AllObservables<T> equiangular_observables(const model::EquiangularSystem<T>& system) {
    return [&system](const T& t, std::span<const T> x) {
        return std::vector<T>{t, T(1) - x[0], x[0], system.gamma_rate(x, t), x[1]};
    };
}

/// Indices into observable_names() of the sampled columns ("t" first); throws for an unknown name.
std::vector<std::size_t> chosen_columns(model::SystemKind system, const std::vector<std::string>& wanted) {
    const auto& names = observable_names(system);
    std::vector<std::size_t> indices = {0};
    if (wanted.empty()) {
        for (std::size_t i = 1; i < names.size(); ++i) indices.push_back(i);
        return indices;
    }
    for (const auto& name : wanted) {
        const auto at = std::find(names.begin(), names.end(), name);
        if (at == names.end()) {
            std::string allowed;
            for (std::size_t i = 1; i < names.size(); ++i) allowed += (i > 1 ? ", " : "") + names[i];
            throw std::invalid_argument("--observables: unknown '" + name + "' for the " + model::to_string(system) +
                                        " system (allowed: " + allowed + ")");
        }
        const auto index = std::size_t(at - names.begin());
        if (index != 0 && std::find(indices.begin(), indices.end(), index) == indices.end()) indices.push_back(index);
    }
    return indices;
}

}  // namespace

template <class T> Trajectory<T> solve(const model::Problem<T>& problem, const Method& method, const Sampling& sampling) {
    problem.validate();
    method.validate();
    if (sampling.samples < 1) throw std::invalid_argument("--samples: must be an integer >= 1, got 0");
    const auto columns = chosen_columns(problem.system, sampling.observables);
    const auto x0 = problem.initial_state();
    const auto field = problem.field();
    AllObservables<T> observe_all;
    switch (problem.system) {
        case model::SystemKind::particles:
            observe_all = particle_observables(static_cast<const model::ParticleSystem<T>&>(*field),
                                               std::span<const T>(x0), particle_selection(columns));
            break;
        case model::SystemKind::equiangular:
            observe_all = equiangular_observables(static_cast<const model::EquiangularSystem<T>&>(*field));
            break;
    }

    auto options = solve_options<T>(method);
    if (sampling.times.empty()) {
        options.output_times = sample_times(problem.t0, problem.t_end, sampling.samples);
    } else {
        for (double t : sampling.times) {
            if (!(T(t) >= problem.t0 && T(t) <= problem.t_end) ||
                (!options.output_times.empty() && !(T(t) > options.output_times.back())))
                throw std::invalid_argument("--samples: output times must increase within [t0, t_end], got " +
                                            to_decimal(t));
            options.output_times.push_back(T(t));
        }
        if (options.output_times.back() < problem.t_end) options.output_times.push_back(problem.t_end);
    }
    const bool time_only = columns.size() == 1;  // no observable asked for: none computed
    Trajectory<T> trajectory;
    for (std::size_t index : columns) trajectory.columns.push_back(observable_names(problem.system)[index]);

    // The latest state seen outside the output times (t0 when it is not one, t_reached of a partial run):
    // kept as a copy, its row computed only if the run stops there.
    State<T> off_grid_state;
    T off_grid_time = problem.t0;
    bool off_grid = false;
    std::string singular_reason;
    T singular_time = 0;
    const auto record = [&](const T& t, std::span<const T> x) {
        try {
            std::vector<T> row = {t};
            if (!time_only) {
                const auto all = observe_all(t, x);
                row.clear();
                for (std::size_t index : columns) row.push_back(all[index]);
            }
            trajectory.rows.push_back(std::move(row));
            if (sampling.states) trajectory.states.emplace_back(x.begin(), x.end());
        } catch (const model::FieldSingularity& e) {
            singular_reason = e.what();
            singular_time = t;
        }
    };
    const Observer<T> observer = [&](const T& t, std::span<const T> x) {
        if (!singular_reason.empty()) return;
        if (std::binary_search(options.output_times.begin(), options.output_times.end(), t)) {
            record(t, x);
        } else {
            off_grid = true;
            off_grid_time = t;
            off_grid_state.assign(x.begin(), x.end());
        }
    };
    Solution<T> solution;
    try {
        solution = solve<T>(*field, std::span<const T>(x0), problem.t0, problem.t_end, options, observer);
    } catch (const std::invalid_argument&) {
        throw;  // a setup the solver refuses
    } catch (const std::exception& e) {  // not a stop the solver knows: keep what was recorded
        trajectory.status = SolveStatus::failed;
        trajectory.reason = e.what();
        trajectory.t_reached = trajectory.rows.empty() ? problem.t0 : trajectory.rows.back()[0];
        return trajectory;
    }
    trajectory.status = solution.status;
    trajectory.reason = solution.reason;
    trajectory.t_reached = solution.t_reached;
    trajectory.stats = solution.stats;
    trajectory.final_state = std::move(solution.final_state);
    if (solution.status == SolveStatus::partial && off_grid && singular_reason.empty() && off_grid_time == solution.t_reached)
        record(off_grid_time, off_grid_state);  // the state the run stopped at, kept
    if (!singular_reason.empty() && (solution.status == SolveStatus::done || singular_time < solution.t_reached)) {
        trajectory.status = SolveStatus::partial;
        trajectory.reason = singular_reason;
        trajectory.t_reached = singular_time;
    }
    return trajectory;
}

#define NORMDYN_INSTANTIATE(T)                                                                              \
    template struct Trajectory<T>;                                                                          \
    template std::vector<T> sample_times<T>(const T&, const T&, std::size_t);                               \
    template Trajectory<T> solve<T>(const model::Problem<T>&, const Method&, const Sampling&);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::solve
