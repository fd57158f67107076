#include "normdyn/model/attention_weights.hpp"

#include "normdyn/model/init.hpp"

#include <cmath>
#include <stdexcept>

namespace normdyn::model {

namespace {

constexpr double gpt2_std = 0.02;
constexpr const char* flags[3] = {"--q", "--k", "--v"};

}  // namespace

WeightSpec parse_weight_spec(std::string_view text) {
    const std::pair<std::string_view, WeightKind> named[] = {{"identity", WeightKind::identity},
                                                             {"random", WeightKind::random},
                                                             {"gpt2", WeightKind::gpt2},
                                                             {"kaiming", WeightKind::kaiming}};
    for (const auto& [name, kind] : named)
        if (text == name) return {kind, {}};
    if (text.starts_with("file:") && text.size() > 5) return {WeightKind::file, std::string(text.substr(5))};
    throw std::invalid_argument("unknown weights '" + std::string(text) +
                                "' (allowed: identity, random, gpt2, kaiming, file:PATH)");
}

std::string to_string(const WeightSpec& spec) {
    switch (spec.kind) {
        case WeightKind::identity: return "identity";
        case WeightKind::random: return "random";
        case WeightKind::gpt2: return "gpt2";
        case WeightKind::kaiming: return "kaiming";
        case WeightKind::file: return "file:" + spec.path;
    }
    __builtin_unreachable();
}

bool is_drawn(const WeightSpec& spec) {
    return spec.kind == WeightKind::random || spec.kind == WeightKind::gpt2 || spec.kind == WeightKind::kaiming;
}

std::array<std::optional<RowMatrix<double>>, 3> attention_weights(const std::array<WeightSpec, 3>& specs,
                                                                  std::size_t d, double random_std,
                                                                  std::uint64_t seed) {
    std::array<std::optional<RowMatrix<double>>, 3> weights;
    NormalSampler sampler(splitmix64(seed));
    for (std::size_t i = 0; i < 3; ++i) {
        const WeightSpec& spec = specs[i];
        double std = 0;
        switch (spec.kind) {
            case WeightKind::identity: continue;
            case WeightKind::file:
                weights[i] = read_matrix_csv(spec.path, std::string(flags[i]) + " file");
                continue;
            case WeightKind::random: std = random_std; break;
            case WeightKind::gpt2: std = gpt2_std; break;
            case WeightKind::kaiming: std = std::sqrt(2.0 / double(d)); break;
        }
        RowMatrix<double> m(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
        for (Eigen::Index e = 0; e < m.size(); ++e) m.data()[e] = std * sampler();  // row-major order
        weights[i] = std::move(m);
    }
    return weights;
}

}  // namespace normdyn::model
