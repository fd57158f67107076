// Initial conditions (spec §2). Seeded runs are bit-identical across machines: mt19937_64 and the
// project's own normal sampler (Marsaglia's polar method: only +, *, log and sqrt), never std:: distributions.
#pragma once

#include "normdyn/model/attention.hpp"
#include "normdyn/model/scheme.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace normdyn::model {

/// Standard normal samples from mt19937_64, identical on every platform.
class NormalSampler {
public:
    explicit NormalSampler(std::uint64_t seed) : engine_(seed) {}
    double operator()();
    /// Uniform in [0, 1) with 53 random bits.
    double uniform();

private:
    std::mt19937_64 engine_;
    double spare_ = 0;
    bool has_spare_ = false;
};

enum class InitKind { scheme_default, orthonormal, uniform, gaussian, cone, antipodal, file };

struct InitSpec {
    InitKind kind = InitKind::scheme_default;
    double delta = 0;   ///< cone: every pairwise cosine ≥ 1 − δ, 0 < δ ≤ 2
    std::string path;   ///< file: CSV, one token per line, d columns
};

/// "orthonormal", "uniform", "gaussian", "cone:DELTA", "antipodal", "file:PATH", "default"; throws
/// std::invalid_argument naming the allowed forms otherwise.
InitSpec parse_init(std::string_view text);
std::string to_string(const InitSpec& spec);

/// Reads a CSV of tokens (one per line, comma or whitespace separated). Throws std::invalid_argument
/// with the line number on a missing file, a wrong column count, a non-number or a zero vector.
RowMatrix<double> read_tokens_csv(const std::string& path);
/// Reads a matrix the same way (one row per line; '#' lines and blank lines skipped); `what` names the file
/// in errors ("init file", "--q file"). With `nonzero_rows` a zero row is an error too.
RowMatrix<double> read_matrix_csv(const std::string& path, const std::string& what, bool nonzero_rows = false);

/// SplitMix64's output function (Steele, Lea, Flood 2014) of seed + the golden gamma: a well-mixed 64-bit
/// value from a counter or a seed. Derives independent seeds (weights from a start's seed, a sweep's cells
/// from its master seed and cell index) identically on every machine.
std::uint64_t splitmix64(std::uint64_t seed);

/// Ambient initial positions x_j (n × d):
/// - orthonormal: r0 e_j (needs d ≥ n); uniform: r0 θ_j, θ_j uniform on S^{d−1};
/// - gaussian: x_j i.i.d. standard normal (r_j ≈ sqrt d; r0 unused);
/// - cone: r0 θ_j with θ_j in a cap of angular radius arccos(1−δ)/2 about a uniform centre;
/// - antipodal: (r0 u, −r0 u) with u uniform (needs n = 2); file: as read (n, d taken from the file);
/// - scheme_default: uniform for Post-LN, nGPT, LN-Scaling; gaussian for Pre-, Mix-, Peri-LN.
/// Random draws are made in double and converted, so every precision starts from the same point;
/// unit directions are then normalised in T. Throws std::invalid_argument on impossible requests.
template <class T>
RowMatrix<T> initial_positions(const InitSpec& spec, SchemeKind scheme, std::size_t n, std::size_t d,
                               const T& r0, std::uint64_t seed);

}  // namespace normdyn::model
