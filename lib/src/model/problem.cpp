#include "normdyn/model/problem.hpp"

#include "normdyn/model/equiangular.hpp"
#include "normdyn/model/particle_system.hpp"
#include "normdyn/scalar.hpp"

#include <stdexcept>

namespace normdyn::model {

std::string to_string(SystemKind system) {
    switch (system) {
        case SystemKind::particles: return "particles";
        case SystemKind::equiangular: return "equiangular";
    }
    __builtin_unreachable();
}

namespace {

template <class T> void check_weight(const std::optional<RowMatrix<T>>& weight, std::size_t d, const char* flag) {
    if (weight && (weight->rows() != Eigen::Index(d) || weight->cols() != Eigen::Index(d)))
        throw std::invalid_argument(std::string(flag) + ": must be d × d = " + std::to_string(d) + " × " +
                                    std::to_string(d) + ", got " + std::to_string(weight->rows()) + " × " +
                                    std::to_string(weight->cols()));
}

}  // namespace

template <class T> void Problem<T>::validate() const {
    const auto text = [](const T& x) { return to_decimal(x); };
    if (!(beta >= 0) || !is_finite(beta)) throw std::invalid_argument("--beta: must be a finite number >= 0, got " + text(beta));
    if (!(r0 > 0) || !is_finite(r0)) throw std::invalid_argument("--r0: must be a finite number > 0, got " + text(r0));
    if (!(scheme.tau >= 0) || !is_finite(scheme.tau))
        throw std::invalid_argument("--tau: must be a finite number >= 0, got " + text(scheme.tau));
    if (!(scheme.alpha > 0) || !is_finite(scheme.alpha))
        throw std::invalid_argument("--alpha: must be a finite number > 0, got " + text(scheme.alpha));
    if (!(t_end >= t0) || !is_finite(t_end))
        throw std::invalid_argument("--t-end: must be a finite number >= " + text(t0) + ", got " + text(t_end));
    switch (system) {
        case SystemKind::equiangular:
            if (n < 2) throw std::invalid_argument("--n: the equiangular reduction needs n >= 2, got " + std::to_string(n));
            if (query || key || value)
                throw std::invalid_argument("--q/--k/--v: the equiangular reduction assumes Q = K = V = I (spec §4)");
            if (heads != 1 || causal)
                throw std::invalid_argument("--heads/--causal: the equiangular reduction assumes one head, no mask (spec §4)");
            return;
        case SystemKind::particles:
            if (n < 1) throw std::invalid_argument("--n: must be an integer >= 1, got " + std::to_string(n));
            if (d < 1) throw std::invalid_argument("--d: must be an integer >= 1, got " + std::to_string(d));
            check_weight(query, d, "--q");
            check_weight(key, d, "--k");
            check_weight(value, d, "--v");
            if (heads < 1 || d % heads != 0)
                throw std::invalid_argument("--heads: must divide d = " + std::to_string(d) + ", got " +
                                            std::to_string(heads));
            if (positions && (positions->rows() != Eigen::Index(n) || positions->cols() != Eigen::Index(d)))
                throw std::invalid_argument("--init: the start is " + std::to_string(positions->rows()) + " × " +
                                            std::to_string(positions->cols()) + ", the problem n × d = " +
                                            std::to_string(n) + " × " + std::to_string(d));
            if (!positions && init.kind == InitKind::orthonormal && d < n)
                throw std::invalid_argument("--init orthonormal: needs d >= n, got n = " + std::to_string(n) +
                                            ", d = " + std::to_string(d));
            if (!positions && init.kind == InitKind::antipodal && n != 2)
                throw std::invalid_argument("--init antipodal: is a pair, needs --n 2, got n = " + std::to_string(n));
            return;
    }
}

template <class T> Attention<T> Problem<T>::attention() const {
    if (identity_attention()) return Attention<T>(beta);
    return Attention<T>(beta, query.value_or(RowMatrix<T>()), key.value_or(RowMatrix<T>()), value.value_or(RowMatrix<T>()),
                        heads, causal);
}

template <class T> State<T> Problem<T>::initial_state() const {
    switch (system) {
        case SystemKind::equiangular: return EquiangularSystem<T>::initial_state(r0);
        case SystemKind::particles: {
            const RowMatrix<T> x = positions ? *positions : initial_positions<T>(init, scheme.kind, n, d, r0, seed);
            return State<T>(x.data(), x.data() + x.size());  // row-major: x_j contiguous
        }
    }
    __builtin_unreachable();
}

template <class T> std::unique_ptr<VectorField<T>> Problem<T>::field() const {
    switch (system) {
        case SystemKind::equiangular: return std::make_unique<EquiangularSystem<T>>(n, beta, scheme);
        case SystemKind::particles: return std::make_unique<ParticleSystem<T>>(n, d, scheme, attention());
    }
    __builtin_unreachable();
}

template <class T> Problem<T> ProblemText::at() const {
    Problem<T> problem;
    problem.system = system;
    problem.scheme = make_scheme<T>(scheme, from_string<T>(tau), from_string<T>(alpha));
    problem.n = n;
    problem.d = d;
    problem.beta = from_string<T>(beta);
    problem.r0 = from_string<T>(r0);
    problem.init = init;
    problem.seed = seed;
    problem.t_end = from_string<T>(t_end);
    problem.heads = heads;
    problem.causal = causal;
    if (system == SystemKind::particles) {
        auto drawn = attention_weights(weights, d, std::stod(weight_std), seed);
        const auto converted = [](std::optional<RowMatrix<double>>& m) -> std::optional<RowMatrix<T>> {
            if (!m) return std::nullopt;
            return RowMatrix<T>(m->template cast<T>());
        };
        problem.query = converted(drawn[0]);
        problem.key = converted(drawn[1]);
        problem.value = converted(drawn[2]);
    }
    return problem;
}

#define NORMDYN_INSTANTIATE(T) \
    template struct Problem<T>; \
    template Problem<T> ProblemText::at<T>() const;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
