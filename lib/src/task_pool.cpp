#include "task_pool.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace normdyn::detail {

namespace {

using Clock = std::chrono::steady_clock;

// How long a thread spins before it sleeps: the phases of one kernel call follow each other within
// microseconds, while a time slice lost to another process is milliseconds.
constexpr auto spin_time = std::chrono::microseconds(50);

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

class Pool {
public:
    static Pool& instance() {
        static Pool pool;
        return pool;
    }

    ~Pool() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
            generation_.fetch_add(1);
        }
        wake_.notify_all();
        for (auto& worker : workers_) worker.join();
    }

    /// false when another caller holds the pool (the caller then runs the tasks itself).
    bool run(std::ptrdiff_t count, int threads, const std::function<void(std::ptrdiff_t)>& task) {
        std::unique_lock busy(caller_, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        const int helpers = threads - 1;
        grow(helpers);
        {
            std::lock_guard lock(mutex_);
            task_ = &task;
            count_ = count;
            next_.store(0);
            helpers_wanted_ = helpers;
            pending_.store(helpers);
            generation_.fetch_add(1);
        }
        wake_.notify_all();
        work();
        // Wait for the helpers: spin, then sleep.
        const auto deadline = Clock::now() + spin_time;
        while (pending_.load(std::memory_order_acquire) > 0) {
            if (Clock::now() > deadline) {
                std::unique_lock lock(mutex_);
                done_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
                break;
            }
            relax();
        }
        task_ = nullptr;
        return true;
    }

private:
    // New workers start from the generation before the job being posted, so that they take part in it.
    void grow(int helpers) {
        while (int(workers_.size()) < helpers) {
            const int index = int(workers_.size());
            const std::uint64_t seen = generation_.load();
            workers_.emplace_back([this, index, seen] { loop(index, seen); });
        }
    }

    void work() {
        for (std::ptrdiff_t i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) (*task_)(i);
    }

    void loop(int index, std::uint64_t seen) {
        for (;;) {
            // Spin for the next job, then sleep until one is posted.
            const auto deadline = Clock::now() + spin_time;
            while (generation_.load(std::memory_order_acquire) == seen && Clock::now() < deadline) relax();
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [&] { return generation_.load() != seen; });
                seen = generation_.load();
                if (stop_) return;
                if (index >= helpers_wanted_) continue;  // this job wants fewer threads
            }
            work();
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                std::lock_guard lock(mutex_);
                done_.notify_one();
            }
        }
    }

    std::mutex caller_;  ///< one caller at a time
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::vector<std::thread> workers_;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<std::ptrdiff_t> next_{0};
    std::atomic<int> pending_{0};
    const std::function<void(std::ptrdiff_t)>* task_ = nullptr;
    std::ptrdiff_t count_ = 0;
    int helpers_wanted_ = 0;
    bool stop_ = false;
};

}  // namespace

void run_tasks(std::ptrdiff_t count, int threads, const std::function<void(std::ptrdiff_t)>& task) {
    if (threads > 1 && count > 1 && Pool::instance().run(count, threads, task)) return;
    for (std::ptrdiff_t i = 0; i < count; ++i) task(i);
}

}  // namespace normdyn::detail
