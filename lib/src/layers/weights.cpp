#include "normdyn/layers/weights.hpp"

#include <cmath>
#include <stdexcept>

namespace normdyn::layers {

std::string to_string(WeightKind kind) {
    switch (kind) {
        case WeightKind::identity: return "identity";
        case WeightKind::tied_random: return "tied-random";
        case WeightKind::kaiming: return "kaiming";
        case WeightKind::gpt2: return "gpt2";
    }
    return "unknown";
}

WeightKind parse_weights(std::string_view name) {
    for (WeightKind kind : {WeightKind::identity, WeightKind::tied_random, WeightKind::kaiming, WeightKind::gpt2})
        if (name == to_string(kind)) return kind;
    throw std::invalid_argument("unknown weights '" + std::string(name) +
                                "' (allowed: identity, tied-random, kaiming, gpt2)");
}

bool is_tied(WeightKind kind) { return kind == WeightKind::identity || kind == WeightKind::tied_random; }

namespace {

Matrix normal_matrix(Eigen::Index rows, Eigen::Index cols, double std, model::NormalSampler& sampler) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = std * sampler();  // row-major order
    return m;
}

double kaiming_std(std::size_t fan_in) { return std::sqrt(2.0 / double(fan_in)); }

constexpr double gpt2_std = 0.02;

}  // namespace

AttentionWeights random_weights(std::size_t d, std::size_t heads, double std_projection, double std_output,
                                model::NormalSampler& sampler) {
    AttentionWeights weights = AttentionWeights::identity(d, heads);  // checks that H divides d
    const auto width = Eigen::Index(d / heads), dim = Eigen::Index(d);
    for (auto& head : weights.heads) {
        head.query = normal_matrix(width, dim, std_projection, sampler);
        head.key = normal_matrix(width, dim, std_projection, sampler);
        head.value = normal_matrix(width, dim, std_projection, sampler);
    }
    weights.output = normal_matrix(dim, width * Eigen::Index(heads), std_output, sampler);
    return weights;
}

WeightSchedule::WeightSchedule(WeightKind kind, std::size_t d, std::size_t heads, std::uint64_t seed)
    : kind_(kind), d_(d), heads_(heads), sampler_(model::splitmix64(seed)) {
    current_ = AttentionWeights::identity(d, heads);  // validates heads against d
}

AttentionWeights WeightSchedule::draw() {
    switch (kind_) {
        case WeightKind::identity: return AttentionWeights::identity(d_, heads_);
        case WeightKind::tied_random:
        case WeightKind::kaiming: return random_weights(d_, heads_, kaiming_std(d_), kaiming_std(d_), sampler_);
        case WeightKind::gpt2: return random_weights(d_, heads_, gpt2_std, gpt2_std, sampler_);
    }
    return AttentionWeights::identity(d_, heads_);
}

const AttentionWeights& WeightSchedule::next() {
    if (!drawn_ || !is_tied(kind_)) current_ = draw();
    drawn_ = true;
    return current_;
}

}  // namespace normdyn::layers
