// The storage of model::State<T> for trivially copyable T (double, long double, float128): blocks on
// 64-byte boundaries that are kept for reuse when freed, instead of being handed back to malloc.
//
// Why: a solve allocates its working vectors (dop853: the state, 12 stages, the stage state, the loop's last
// good state; ~17 vectors) and frees them at its end. glibc then trims the top of its heap, or unmaps the
// block (above 128 KiB), and the next solve faults every page in again; at small n those faults cost more
// than the solve's right-hand sides. Kept blocks fault once per process (docs/performance.md).
//
// Small blocks (≤ 512 KiB) are carved from 2 MiB slabs advised as transparent huge pages (one fault per slab
// where the kernel grants them; ordinary pages where it does not), up to 64 MiB of slabs; slab blocks are
// never returned. Small blocks past the slabs are kept up to 64 MiB in all, then freed. A freed block is
// reused for a request of the same size (rounded up to 64 bytes). Larger blocks go straight to the heap: a
// solve that large costs far more than its faults, and keeping them raises the peak memory (blocks kept
// while other memory is allocated; docs/performance.md).
#include "normdyn/model/vector_field.hpp"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include <sys/mman.h>

namespace normdyn::detail {

namespace {

constexpr std::size_t line = 64;
constexpr std::size_t slab_bytes = std::size_t(2) << 20;  // one transparent huge page on x86-64
constexpr std::size_t slab_block_limit = slab_bytes / 4;
constexpr std::size_t slab_budget = std::size_t(64) << 20;
constexpr std::size_t kept_budget = std::size_t(64) << 20;

class Pool {
public:
    void* allocate(std::size_t size) {
        {
            const std::lock_guard lock(mutex_);
            if (auto found = free_.find(size); found != free_.end() && !found->second.empty()) {
                void* p = found->second.back();
                found->second.pop_back();
                if (!in_slab(p)) kept_bytes_ -= size;
                return p;
            }
            if (size <= slab_block_limit)
                if (void* p = carve(size)) return p;
        }
        return ::operator new(size, std::align_val_t(line));
    }

    void deallocate(void* p, std::size_t size) noexcept {
        {
            const std::lock_guard lock(mutex_);
            const bool slab = in_slab(p);
            if (slab || (size <= slab_block_limit && kept_bytes_ + size <= kept_budget)) {
                try {
                    free_[size].push_back(p);
                    if (!slab) kept_bytes_ += size;
                    return;
                } catch (const std::bad_alloc&) {
                    if (slab) return;  // lost to reuse, never to correctness
                }
            }
        }
        ::operator delete(p, size, std::align_val_t(line));
    }

private:
    bool in_slab(const void* p) const {
        const auto* c = static_cast<const char*>(p);
        return std::any_of(slabs_.begin(), slabs_.end(), [c](const char* s) { return c >= s && c < s + slab_bytes; });
    }

    // A block from the current slab, or from a new one while the budget lasts; null when there is none.
    void* carve(std::size_t size) {
        if (slabs_.empty() || slab_used_ + size > slab_bytes) {
            if ((slabs_.size() + 1) * slab_bytes > slab_budget) return nullptr;
            char* slab = map_slab();
            if (!slab) return nullptr;
            slabs_.push_back(slab);
            slab_used_ = 0;
        }
        void* p = slabs_.back() + slab_used_;
        slab_used_ += size;
        return p;
    }

    // 2 MiB on a 2 MiB boundary (mapped twice as large, the ends unmapped), advised as a huge page.
    static char* map_slab() {
        void* raw = mmap(nullptr, 2 * slab_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED) return nullptr;
        char* base = static_cast<char*>(raw);
        const auto address = reinterpret_cast<std::uintptr_t>(base);
        char* slab = base + ((slab_bytes - address % slab_bytes) % slab_bytes);
        if (slab > base) munmap(base, std::size_t(slab - base));
        if (char* end = slab + slab_bytes; end < base + 2 * slab_bytes)
            munmap(end, std::size_t(base + 2 * slab_bytes - end));
#ifdef MADV_HUGEPAGE
        madvise(slab, slab_bytes, MADV_HUGEPAGE);  // advice only: without it the pages are ordinary
#endif
        return slab;
    }

    std::mutex mutex_;
    std::unordered_map<std::size_t, std::vector<void*>> free_;  // by size
    std::vector<char*> slabs_;
    std::size_t slab_used_ = 0;
    std::size_t kept_bytes_ = 0;
};

// Never destroyed: a State freed during static destruction still finds its pool.
Pool& pool() {
    static Pool* const instance = new Pool;
    return *instance;
}

std::size_t rounded(std::size_t bytes) { return (std::max<std::size_t>(bytes, 1) + line - 1) / line * line; }

}  // namespace

void* state_allocate(std::size_t bytes) { return pool().allocate(rounded(bytes)); }

void state_deallocate(void* p, std::size_t bytes) noexcept {
    if (p) pool().deallocate(p, rounded(bytes));
}

}  // namespace normdyn::detail
