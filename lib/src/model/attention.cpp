#include "normdyn/model/attention.hpp"

#include "normdyn/scalar.hpp"
#include "kernels/exp_lanes.hpp"
#include "kernels/simd.hpp"
#include "kernels/small_products.hpp"
#include "kernels/task_pool.hpp"

#include <boost/multiprecision/eigen.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef NORMDYN_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace normdyn::model {

namespace {

using Index = Eigen::Index;
using DoubleMatrix = RowMatrix<double>;
using Strided = Eigen::Map<const DoubleMatrix, 0, Eigen::OuterStride<>>;
using StridedOut = Eigen::Map<DoubleMatrix, 0, Eigen::OuterStride<>>;

// The kernels thread over tiles themselves; each BLAS call runs on the calling thread only, so a tile's
// result is one deterministic serial computation whichever thread runs it.
void blas_on_calling_thread() {
#ifdef NORMDYN_HAVE_OPENBLAS
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
#endif
}

// C (m × n) = A (m × k) op(B), row-major with leading dimensions: op(B) = Bᵀ (B n × k) when `transpose_b`,
// else B (k × n).
void product(bool transpose_b, Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb,
             double* c, Index ldc) {
#ifdef NORMDYN_HAVE_OPENBLAS
    cblas_dgemm(CblasRowMajor, CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans, int(m), int(n), int(k), 1.0, a,
                int(lda), b, int(ldb), 0.0, c, int(ldc));
#else
    StridedOut out(c, m, n, Eigen::OuterStride<>(ldc));
    const Strided left(a, m, k, Eigen::OuterStride<>(lda));
    if (transpose_b) out.noalias() = left * Strided(b, n, k, Eigen::OuterStride<>(ldb)).transpose();
    else out.noalias() = left * Strided(b, k, n, Eigen::OuterStride<>(ldb));
#endif
}

void product_nt(Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb, double* c,
                Index ldc) {
    product(true, m, n, k, a, lda, b, ldb, c, ldc);
}

void product_nn(Index m, Index n, Index k, const double* a, Index lda, const double* b, Index ldb, double* c,
                Index ldc) {
    product(false, m, n, k, a, lda, b, ldb, c, ldc);
}

// The upper triangle of C (m × m) = A Aᵀ, A being m × k.
void product_upper_gram(Index m, Index k, const double* a, Index lda, double* c, Index ldc) {
#ifdef NORMDYN_HAVE_OPENBLAS
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, int(m), int(k), 1.0, a, int(lda), 0.0, c, int(ldc));
#else
    StridedOut(c, m, m, Eigen::OuterStride<>(ldc)).noalias() =
        Strided(a, m, k, Eigen::OuterStride<>(lda)) * Strided(a, m, k, Eigen::OuterStride<>(lda)).transpose();
#endif
}

/// Row tiles of an n-row problem. Their size depends on n only, never on the thread count: that is what
/// makes the result bit-identical for every number of threads. One tile up to 96 rows; above, 2, 4, 8, …
/// tiles of at most 256 rows (a multiple of 8). A power of two splits evenly between two threads, both the
/// row tiles and the Gram matrix's tile pairs (the diagonal ones half the work); and the fewer the tiles,
/// the fewer times each BLAS call packs its operands (docs/performance.md).
struct Tiles {
    Index n = 0, size = 1, count = 0;
    explicit Tiles(Index rows) : n(rows) {
        if (n <= 96) {
            size = std::max<Index>(n, 1);
        } else {
            Index parts = 2;
            while ((n + parts - 1) / parts > 256) parts *= 2;
            size = ((n + parts - 1) / parts + 7) / 8 * 8;
        }
        count = (n + size - 1) / size;
    }
    /// Whether the products run as small_products.hpp's instead of OpenBLAS's: one tile and n² d ≤ 2^18; in
    /// eight lanes (AVX-512, wide_lanes()) also any tiles with size² d ≤ 2^23 for n ≤ 1024.
    /// Below these sizes OpenBLAS spends as long packing its operands as multiplying; above them its cache
    /// blocking wins over the small products, whose A B streams all n rows of V (docs/performance.md).
    bool small(Index d) const {
        if (count == 1 && double(n) * double(n) * double(d) <= 262144.0) return true;
        return detail::wide_lanes() && n <= 1024 && double(size) * double(size) * double(d) <= 8388608.0;
    }
    Index begin(Index tile) const { return tile * size; }
    Index rows(Index tile) const { return std::min(size, n - tile * size); }
    Index pairs() const { return count * (count + 1) / 2; }
    /// The task-th pair (I, J), I ≤ J, in row order.
    std::pair<Index, Index> pair(Index task) const {
        Index i = 0;
        while (task >= count - i) task -= count - i++;
        return {i, i + task};
    }
};

/// Below this many flops (4 n² d) one thread is faster than waking a team.
/// Small problems stay on one thread even when a worker is already spinning: the cost is not the wake-up
/// but moving the data between cores. The worker must read Θ, which the calling thread has just written,
/// and the calling thread must read back the worker's rows of A (about 24 KB per call at n = 32, d = 64),
/// which costs more than the split saves (docs/performance.md).
constexpr double parallel_flops = 4e6;

int threads_for(Index n, Index d, const Tiles& tiles) {
    if (tiles.count < 2 || 4.0 * double(n) * double(n) * double(d) < parallel_flops) return 1;
    return kernel_threads();
}

using detail::exp_span;

// row[0 … n) = exp(row − shift).
NORMDYN_CLONED void exp_shifted_row(double* row, Index n, double shift) {
    exp_span(row, n, 1.0, shift);
}

// w = exp(β g − β) in place on a tile of `rows` × `cols` (leading dimension ld), or on its upper triangle
// (a diagonal tile): the weights of identity logits between unit rows, whose largest logit is
// β = β <θ_j, θ_j> in every row, so one shift serves all rows and keeps w symmetric. A diagonal tile's row r
// starts at the multiple of four at or below r, so that its rows run in whole lanes: up to three entries
// below the diagonal are exponentiated too (finite values; the mirror then overwrites them).
NORMDYN_CLONED void shared_shift_exp(double* block, Index rows, Index cols, Index ld, bool upper, double beta) {
    for (Index r = 0; r < rows; ++r) {
        const Index first = upper ? r / 4 * 4 : 0;
        exp_span(block + r * ld + first, cols - first, beta, beta);
    }
}

// The tiles are shared among threads by the library's task pool (task_pool.hpp: the caller never waits for a
// worker that has not started, so a busy machine does not stall the kernel); one thread runs a plain loop.
using detail::for_each_task;

using detail::transpose4;

// mirror (cols × rows) = blockᵀ (rows × cols): whole 4 × 4 blocks transposed in lanes, the edges entry by entry.
NORMDYN_CLONED void mirror_block(const double* block, Index rows, Index cols, double* mirror, Index ld) {
    const Index rows4 = rows / 4 * 4, cols4 = cols / 4 * 4;
    for (Index s0 = 0; s0 < cols4; s0 += 4)
        for (Index r0 = 0; r0 < rows4; r0 += 4) transpose4(block + r0 * ld + s0, mirror + s0 * ld + r0, ld);
    for (Index s = 0; s < cols; ++s)
        for (Index r = s < cols4 ? rows4 : 0; r < rows; ++r) mirror[s * ld + r] = block[r * ld + s];
}

// The strictly lower triangle of a square block (rows × rows) from its upper one: the 4 × 4 blocks below the
// diagonal blocks transposed in lanes, the rest entry by entry.
NORMDYN_CLONED void mirror_lower(double* block, Index rows, Index ld) {
    const Index rows4 = rows / 4 * 4;
    for (Index r0 = 4; r0 < rows4; r0 += 4)
        for (Index s0 = 0; s0 < r0; s0 += 4) transpose4(block + s0 * ld + r0, block + r0 * ld + s0, ld);
    for (Index r = 1; r < rows; ++r)
        for (Index s = r < rows4 ? r / 4 * 4 : 0; s < r; ++s) block[r * ld + s] = block[s * ld + r];
}

// Tile (I, J) of the symmetric Gram matrix G = M Mᵀ and its mirror (J, I): G is exactly symmetric. With
// `exp_beta`, the tile holds exp(β g − β) instead, computed once per pair (I, J) and mirrored.
void gram_tile(const double* m, Index ldm, Index d, const Tiles& tiles, Index tile_i, Index tile_j, double* g,
               Index ldg, std::optional<double> exp_beta = std::nullopt) {
    const Index i0 = tiles.begin(tile_i), j0 = tiles.begin(tile_j);
    const Index rows = tiles.rows(tile_i), cols = tiles.rows(tile_j);
    double* block = g + i0 * ldg + j0;
    if (tile_i == tile_j) {
        if (tiles.small(d)) {
            detail::small_product_nt(rows, rows, d, m + i0 * ldm, ldm, m + i0 * ldm, ldm, block, ldg, true,
                                     exp_beta ? &*exp_beta : nullptr);
        } else {
            product_upper_gram(rows, d, m + i0 * ldm, ldm, block, ldg);
            if (exp_beta) shared_shift_exp(block, rows, rows, ldg, true, *exp_beta);
        }
        mirror_lower(block, rows, ldg);
        return;
    }
    if (tiles.small(d)) {
        detail::small_product_nt(rows, cols, d, m + i0 * ldm, ldm, m + j0 * ldm, ldm, block, ldg, false,
                                 exp_beta ? &*exp_beta : nullptr);
    } else {
        product_nt(rows, cols, d, m + i0 * ldm, ldm, m + j0 * ldm, ldm, block, ldg);
        if (exp_beta) shared_shift_exp(block, rows, cols, ldg, false, *exp_beta);
    }
    mirror_block(block, rows, cols, g + j0 * ldg + i0, ldg);
}

// Σ_l w_l in four interleaved lanes (a fixed order, whatever the thread).
double row_sum(const double* row, Index n) {
    double partial[4] = {0, 0, 0, 0};
    Index l = 0;
    for (; l + 4 <= n; l += 4)
        for (int q = 0; q < 4; ++q) partial[q] += row[l + q];
    for (; l < n; ++l) partial[0] += row[l];
    return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

// A_j = Σ_l w_jl v_l / Σ_l w_jl for the rows of one tile, the weights already in place; the row sums go
// to `sums` (log Z_j = shift_j + log Σ_l w_jl is taken when asked for: Attention::log_partition).
void mix_rows(const Tiles& tiles, Index tile, const double* weights, const double* values, Index d, double* out,
              double* sums) {
    const Index n = tiles.n, j0 = tiles.begin(tile), rows = tiles.rows(tile);
    for (Index r = 0; r < rows; ++r) sums[j0 + r] = row_sum(weights + (j0 + r) * n, n);
    if (tiles.small(d)) {
        detail::small_product_nn(rows, d, n, weights + j0 * n, n, values, d, out + j0 * d, d, sums + j0);
        return;
    }
    product_nn(rows, d, n, weights + j0 * n, n, values, d, out + j0 * d, d);
    for (Index r = 0; r < rows; ++r) {
        const double inverse = 1.0 / sums[j0 + r];
        double* a = out + (j0 + r) * d;
        for (Index c = 0; c < d; ++c) a[c] *= inverse;
    }
}

// Spec §1 for the rows of one tile: w_jl = exp(β g_jl − max_l β g_jl) in place (the maxima to `shifts`),
// then mix_rows. Maxima run in four interleaved lanes (a fixed order).
void softmax_and_mix(const Tiles& tiles, Index tile, double beta, double* logits, const double* values, Index d,
                     double* out, double* shifts, double* sums) {
    const Index n = tiles.n, j0 = tiles.begin(tile), rows = tiles.rows(tile);
    for (Index r = 0; r < rows; ++r) {
        double* row = logits + (j0 + r) * n;
        for (Index l = 0; l < n; ++l) row[l] *= beta;
        double lane[4] = {row[0], row[0], row[0], row[0]};
        Index l = 0;
        for (; l + 4 <= n; l += 4)
            for (int q = 0; q < 4; ++q) lane[q] = std::max(lane[q], row[l + q]);
        for (; l < n; ++l) lane[0] = std::max(lane[0], row[l]);
        const double shift = std::max(std::max(lane[0], lane[1]), std::max(lane[2], lane[3]));
        exp_shifted_row(row, n, shift);
        shifts[j0 + r] = shift;
    }
    mix_rows(tiles, tile, logits, values, d, out, sums);
}

void symmetric_gram(const double* m, Index n, Index d, double* g) {
    blas_on_calling_thread();
    const Tiles tiles(n);
    for_each_task(tiles.pairs(), threads_for(n, d, tiles), [&](Index task) {
        const auto [i, j] = tiles.pair(task);
        gram_tile(m, d, d, tiles, i, j, g, n);
    });
}

}  // namespace

template <class T> void gram_matrix(const RowMatrix<T>& rows, RowMatrix<T>& out) {
    gram_matrix(Eigen::Map<const RowMatrix<T>>(rows.data(), rows.rows(), rows.cols()), out);
}

template <class T> void gram_matrix(Eigen::Map<const RowMatrix<T>> rows, RowMatrix<T>& out) {
    const Index n = rows.rows();
    out.resize(n, n);
    if constexpr (std::is_same_v<T, double>) {
        symmetric_gram(rows.data(), n, rows.cols(), out.data());
    } else {
        out.noalias() = rows * rows.transpose();
        for (Index j = 1; j < n; ++j)
            for (Index k = 0; k < j; ++k) out(j, k) = out(k, j);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Attention.

template <class T> Attention<T>::Attention(T beta) : beta_(std::move(beta)) {}

template <class T>
Attention<T>::Attention(T beta, Matrix query, Matrix key, Matrix value, std::size_t heads, bool causal)
    : beta_(std::move(beta)), heads_(heads), causal_(causal) {
    if (heads_ < 1) throw std::invalid_argument("--heads: must be an integer >= 1, got 0");
    auto keep = [](Matrix& m, std::optional<Matrix>& slot, const char* name) {
        if (m.size() == 0) return;
        if (m.rows() != m.cols()) throw std::invalid_argument(std::string(name) + " must be square (d x d)");
        slot = std::move(m);
    };
    keep(query, query_, "Q");
    keep(key, key_, "K");
    keep(value, value_, "V");
    symmetric_ = (!query_ && !key_) ||
                 (query_ && key_ && query_->rows() == key_->rows() && (*query_ == *key_));
}

// Spec §1: A = softmax_rows(β (ΘQᵀ)(ΘKᵀ)ᵀ) (ΘVᵀ), the softmax with its row maximum subtracted.
template <class T> void Attention<T>::apply(const Matrix& theta, Matrix& out, RowNorms norms) const {
    out.resize(theta.rows(), theta.cols());
    apply(ConstRows(theta.data(), theta.rows(), theta.cols()), Rows(out.data(), out.rows(), out.cols()), norms);
}

template <class T> void Attention<T>::apply(ConstRows theta, Rows out, RowNorms norms, const Matrix* gram) const {
    if (out.rows() != theta.rows() || out.cols() != theta.cols())
        throw std::invalid_argument("Attention::apply: the output's shape differs from the directions'");
    if (heads_ != 1 || causal_) {
        apply_heads(theta, out);
        return;
    }
    // The caller's ΘΘᵀ are the logits (before β) only with identity query and key.
    const Matrix* given = (gram && !query_ && !key_ && gram->rows() == theta.rows() && gram->cols() == theta.rows())
                              ? gram
                              : nullptr;
    if constexpr (std::is_same_v<T, double>) {
        apply_tuned(theta, out, norms, given);
        return;
    }
    const Eigen::Index n = theta.rows(), d = theta.cols();
    if (query_) queries_.noalias() = theta * query_->transpose();
    if (key_) keys_.noalias() = theta * key_->transpose();
    const ConstRows q(query_ ? queries_.data() : theta.data(), n, d);
    const ConstRows k(key_ ? keys_.data() : theta.data(), n, d);
    logits_.resize(std::size_t(n * n));
    Rows weights = logits(n);
    if (given) weights = *given;
    else weights.noalias() = q * k.transpose();
    row_shift_.resize(n);
    row_sum_.resize(n);
    log_partition_ready_ = false;
    using std::exp;
    for (Eigen::Index j = 0; j < n; ++j) {
        auto row = weights.row(j);
        row *= beta_;
        const T shift = row.maxCoeff();
        T sum = 0;
        for (Eigen::Index l = 0; l < n; ++l) {
            row(l) = exp(row(l) - shift);
            sum += row(l);
        }
        row /= sum;
        row_shift_(j) = shift;
        row_sum_(j) = sum;
    }
    if (value_) {
        values_.noalias() = theta * value_->transpose();
        out.noalias() = weights * values_;
    } else {
        out.noalias() = weights * theta;
    }
}

// H heads and/or the causal mask, every scalar type alike (the tuned double kernel serves one head without a
// mask). The projections Θ Qᵀ, Θ Kᵀ, Θ Vᵀ are taken whole (n × d); their columns h w … (h+1) w − 1 are head h's
// Θ Q_hᵀ, Θ K_hᵀ, Θ V_hᵀ (w = d / H), so head h's logits are β (Θ Q_hᵀ)(Θ K_hᵀ)ᵀ and its output fills those
// columns of A. Row j of a causal head keeps the logits k ≤ j: its softmax (shifted by its own maximum) runs
// over them and the weights beyond are zero.
template <class T> void Attention<T>::apply_heads(ConstRows theta, Rows out) const {
    using std::exp;
    using std::log;
    const Index n = theta.rows(), d = theta.cols(), heads = Index(heads_);
    if (d % heads != 0)
        throw std::invalid_argument("--heads: must divide d = " + std::to_string(d) + ", got " + std::to_string(heads));
    const Index width = d / heads;
    const auto projected = [&](const std::optional<Matrix>& weight, Matrix& buffer) -> const T* {
        if (!weight) return theta.data();
        buffer.resize(n, d);
        buffer.noalias() = theta * weight->transpose();
        return buffer.data();
    };
    const T* q = projected(query_, queries_);
    const T* k = projected(key_, keys_);
    const T* v = projected(value_, values_);
    using Block = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;
    logits_.resize(std::size_t(n * n));
    Rows weights = logits(n);
    row_shift_.resize(n);
    row_sum_.resize(n);
    log_partition_.setZero(n);
    for (Index h = 0; h < heads; ++h) {
        const Block qh(q + h * width, n, width, Eigen::OuterStride<>(d));
        const Block kh(k + h * width, n, width, Eigen::OuterStride<>(d));
        const Block vh(v + h * width, n, width, Eigen::OuterStride<>(d));
        weights.noalias() = qh * kh.transpose();
        for (Index j = 0; j < n; ++j) {
            const Index keys = causal_ ? j + 1 : n;
            auto row = weights.row(j);
            for (Index l = 0; l < keys; ++l) row(l) *= beta_;
            T shift = row(0);
            for (Index l = 1; l < keys; ++l)
                if (row(l) > shift) shift = row(l);
            T sum = 0;
            for (Index l = 0; l < keys; ++l) {
                row(l) = exp(row(l) - shift);
                sum += row(l);
            }
            for (Index l = 0; l < keys; ++l) row(l) /= sum;
            for (Index l = keys; l < n; ++l) row(l) = 0;
            log_partition_(j) += shift + log(sum);
            row_shift_(j) = shift;  // the last head's, as the one-head path keeps them
            row_sum_(j) = sum;
        }
        out.middleCols(h * width, width).noalias() = weights * vh;
    }
    log_partition_ready_ = true;
}

// log Z_j = shift_j + log Σ_l w_jl, taken from the last apply() on first request: integration never asks.
template <class T> const typename Attention<T>::Vector& Attention<T>::log_partition() const {
    using std::log;
    if (!log_partition_ready_) {
        log_partition_.resize(row_sum_.size());
        for (Eigen::Index j = 0; j < row_sum_.size(); ++j) log_partition_(j) = row_shift_(j) + log(row_sum_(j));
        log_partition_ready_ = true;
    }
    return log_partition_;
}

// Whether identity logits β <θ_j, θ_l> may share the shift β across rows: every |θ_j|² within 1/β of 1
// (β ≥ 0), so no weight exceeds e and every row keeps its own weight ≥ 1/e (no overflow, no zero sum).
// The softmax does not depend on the shift; only its rounding does.
// With unit rows promised, |θ_j|² − 1 is the rounding of a normalisation (d squares summed, a square root, a
// division, d products): below (d + 4) ε, so β (d + 4) ε ≤ 1 qualifies without a pass over Θ.
bool shared_shift_applies(const Eigen::Map<const RowMatrix<double>>& theta, double beta, RowNorms norms) {
    if (!(beta >= 0)) return false;
    if (norms == RowNorms::unit)
        return beta * double(theta.cols() + 4) * std::numeric_limits<double>::epsilon() <= 1;
    for (Index j = 0; j < theta.rows(); ++j)
        if (!(beta * std::abs(theta.row(j).squaredNorm() - 1) <= 1)) return false;
    return true;
}

// The double kernel: three phases over row tiles (projections; Gram matrix, by its upper triangle when
// Q = K; fused softmax and weighted sum), each tile one serial BLAS call, tiles shared among threads.
// With Q = K = I on unit rows the weights exp(β g − β) are symmetric too: they are computed with the
// Gram tiles, once per pair of tiles, which halves the exponentials.
template <class T>
void Attention<T>::apply_tuned(ConstRows theta, Rows out, RowNorms norms, const Matrix* gram) const {
    if constexpr (std::is_same_v<T, double>) {
        blas_on_calling_thread();
        const Index n = theta.rows(), d = theta.cols();
        // Zeros on a new size: every entry is finite before the first Gram tile (see shared_shift_exp).
        if (logits_.size() != std::size_t(n * n)) logits_.assign(std::size_t(n * n), 0.0);
        row_shift_.resize(n);
        row_sum_.resize(n);
        log_partition_ready_ = false;
        if (query_) queries_.resize(n, d);
        if (key_ && !symmetric_) keys_.resize(n, d);
        if (value_) values_.resize(n, d);
        const double* x = theta.data();
        const double* q = query_ ? queries_.data() : x;
        const double* k = symmetric_ ? q : key_ ? keys_.data() : x;
        const double* v = value_ ? values_.data() : x;
        const bool project = query_ || key_ || value_;
        const Tiles tiles(n);
        const int threads = threads_for(n, d, tiles);
        const double beta = beta_;
        const bool shared_shift = !query_ && !key_ && shared_shift_applies(theta, beta, norms);
        const std::optional<double> exp_beta = shared_shift ? std::optional<double>(beta) : std::nullopt;
        if (project)
            for_each_task(tiles.count, threads, [&](Index tile) {
                const Index j0 = tiles.begin(tile), rows = tiles.rows(tile);
                if (query_) product_nt(rows, d, d, x + j0 * d, d, query_->data(), d, queries_.data() + j0 * d, d);
                if (key_ && !symmetric_)
                    product_nt(rows, d, d, x + j0 * d, d, key_->data(), d, keys_.data() + j0 * d, d);
                if (value_) product_nt(rows, d, d, x + j0 * d, d, value_->data(), d, values_.data() + j0 * d, d);
            });
        if (gram) {
            // The caller's Gram matrix: the logits of every row tile, copied in place of the Gram phase.
            for_each_task(tiles.count, threads, [&](Index tile) {
                const Index j0 = tiles.begin(tile);
                std::copy_n(gram->data() + j0 * n, tiles.rows(tile) * n, logits_.data() + j0 * n);
                if (shared_shift) shared_shift_exp(logits_.data() + j0 * n, tiles.rows(tile), n, n, false, beta);
            });
        } else if (symmetric_) {
            for_each_task(tiles.pairs(), threads, [&](Index task) {
                const auto [i, j] = tiles.pair(task);
                gram_tile(q, d, d, tiles, i, j, logits_.data(), n, exp_beta);
            });
        } else {
            for_each_task(tiles.count, threads, [&](Index tile) {
                const Index j0 = tiles.begin(tile);
                if (tiles.small(d))
                    detail::small_product_nt(tiles.rows(tile), n, d, q + j0 * d, d, k, d, logits_.data() + j0 * n, n,
                                             false, nullptr);
                else
                    product_nt(tiles.rows(tile), n, d, q + j0 * d, d, k, d, logits_.data() + j0 * n, n);
            });
        }
        for_each_task(tiles.count, threads, [&](Index tile) {
            if (shared_shift) {
                row_shift_.segment(tiles.begin(tile), tiles.rows(tile)).setConstant(beta);
                mix_rows(tiles, tile, logits_.data(), v, d, out.data(), row_sum_.data());
            } else {
                softmax_and_mix(tiles, tile, beta, logits_.data(), v, d, out.data(), row_shift_.data(), row_sum_.data());
            }
        });
    } else {
        (void)theta;
        (void)out;
        (void)norms;
        (void)gram;
    }
}

#define NORMDYN_INSTANTIATE(T) \
    template class Attention<T>; \
    template void gram_matrix<T>(const RowMatrix<T>&, RowMatrix<T>&); \
    template void gram_matrix<T>(Eigen::Map<const RowMatrix<T>>, RowMatrix<T>&);
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::model
