#include "task_pool.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#ifdef __linux__
#include <sched.h>
#endif

namespace normdyn::detail {

namespace {

using Clock = std::chrono::steady_clock;

// A waiting worker spins on the job counter, then spins yielding its core, then sleeps. Sleeping right after
// a short spin costs mid-sized right-hand sides (docs/performance.md): a worker woken from sleep is often
// placed on the caller's core, and the two threads then share one core while another idles. While it
// yields, a worker gives way to any other thread that wants its core, and it still counts as load, which
// lets the scheduler spread the threads; where it does not, the worker moves itself (leave_cpu, below).
constexpr auto spin_time = std::chrono::microseconds(50);
constexpr auto yield_time = std::chrono::milliseconds(2);
// A worker moves off the caller's core at most this often (below): on a loaded machine the scheduler may
// put it back at once, and each move costs a migration.
constexpr auto move_interval = std::chrono::milliseconds(10);

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Spins while `waiting()` holds: pause for spin_time, then yield the core until `yield_until`.
// Returns false when the time is up and the thread should sleep.
template <class Waiting> bool spin_while(const Waiting& waiting, Clock::time_point yield_until) {
    const auto pause_until = Clock::now() + spin_time;
    while (waiting()) {
        const auto now = Clock::now();
        if (now > yield_until) return false;
        if (now < pause_until) relax();
        else std::this_thread::yield();
    }
    return true;
}

// A worker that finds itself on the caller's core moves to another core the process may use (by narrowing
// its affinity for a moment, then restoring it): the scheduler may put the worker on the caller's core and
// leave it there, and the two then share one core (docs/performance.md). Linux only; elsewhere the
// scheduler alone places the threads.
int current_cpu() {
#ifdef __linux__
    return sched_getcpu();
#else
    return -1;
#endif
}

}  // namespace

bool leave_cpu(int cpu) {
#ifdef __linux__
    if (cpu < 0 || sched_getcpu() != cpu) return false;
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || !CPU_ISSET(cpu, &allowed) || CPU_COUNT(&allowed) < 2)
        return false;
    cpu_set_t others = allowed;
    CPU_CLR(cpu, &others);
    if (sched_setaffinity(0, sizeof others, &others) != 0) return false;
    sched_setaffinity(0, sizeof allowed, &allowed);
    return true;
#else
    (void)cpu;
    return false;
#endif
}

namespace {

class Pool {
public:
    static Pool& instance() {
        static Pool pool;
        return pool;
    }

    ~Pool() {
        stop_.store(true);
        generation_.fetch_add(1);
        {
            std::lock_guard lock(mutex_);
        }
        wake_.notify_all();
        for (auto& worker : workers_) worker.join();
    }

    /// false when another caller holds the pool (the caller then runs the tasks itself).
    bool run(std::ptrdiff_t count, int threads, const std::function<void(std::ptrdiff_t)>& task) {
        std::unique_lock busy(caller_, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        grow(threads - 1);
        // Post the job. The claim counter carries the job's tag and is reset first: a worker still holding
        // the previous job can no longer claim anything, and one that reads this job's task and count also
        // sees the new tag (every access here is sequentially consistent).
        const std::uint32_t tag = ++tag_ == 0 ? ++tag_ : tag_;
        claim_.store(std::uint64_t(tag) << 32);
        task_.store(&task);
        count_.store(count);
        finished_.store(0);
        helpers_wanted_.store(threads - 1);
        caller_cpu_.store(current_cpu(), std::memory_order_relaxed);
        generation_.store(tag);
        if (sleepers_.load() > 0) {
            { std::lock_guard lock(mutex_); }
            wake_.notify_all();
        }
        work(tag, &task, count);
        // The caller waits only for tasks that a worker has claimed and is running: a worker that has not
        // woken yet (or that the machine has not scheduled) finds the job gone and holds nothing up.
        spin_while([&] { return finished_.load(std::memory_order_acquire) < count; }, Clock::time_point::max());
        return true;
    }

private:
    void grow(int helpers) {
        while (int(workers_.size()) < helpers) {
            const int index = int(workers_.size());
            const std::uint32_t seen = generation_.load();
            workers_.emplace_back([this, index, seen] { loop(index, seen); });
        }
    }

    /// Claims and runs tasks of job `tag` until none is left; claims nothing once another job is posted.
    void work(std::uint32_t tag, const std::function<void(std::ptrdiff_t)>* task, std::ptrdiff_t count) {
        std::uint64_t claim = claim_.load();
        for (;;) {
            if (std::uint32_t(claim >> 32) != tag) return;
            const auto i = std::ptrdiff_t(claim & 0xffffffffu);
            if (i >= count) return;
            if (!claim_.compare_exchange_weak(claim, claim + 1)) continue;
            (*task)(i);
            finished_.fetch_add(1, std::memory_order_release);
            claim = claim_.load();
        }
    }

    void loop(int index, std::uint32_t seen) {
        Clock::time_point next_move{};
        for (;;) {
            auto idle = [&] { return generation_.load() == seen && !stop_.load(); };
            if (!spin_while(idle, Clock::now() + yield_time)) {
                std::unique_lock lock(mutex_);
                sleepers_.fetch_add(1);
                wake_.wait(lock, [&] { return !idle(); });
                sleepers_.fetch_sub(1);
            }
            if (stop_.load()) return;
            seen = generation_.load();
            if (index >= helpers_wanted_.load()) continue;  // this job wants fewer threads
            if (const auto now = Clock::now(); now > next_move) {  // at most one move per move_interval
                if (leave_cpu(caller_cpu_.load(std::memory_order_relaxed))) next_move = now + move_interval;
            }
            // The task and count read here belong to job `seen` or to a later one; a later one has already
            // changed the claim counter's tag, so that work() claims nothing with them.
            work(seen, task_.load(), count_.load());
        }
    }

    std::mutex caller_;  ///< one caller at a time
    std::mutex mutex_;   ///< for sleeping workers
    std::condition_variable wake_;
    std::vector<std::thread> workers_;
    std::uint32_t tag_ = 0;                          ///< the last job's tag (the caller's own)
    std::atomic<std::uint32_t> generation_{0};       ///< the posted job's tag
    std::atomic<std::uint64_t> claim_{0};            ///< tag << 32 | next task
    std::atomic<const std::function<void(std::ptrdiff_t)>*> task_{nullptr};
    std::atomic<std::ptrdiff_t> count_{0};
    std::atomic<std::ptrdiff_t> finished_{0};
    std::atomic<int> helpers_wanted_{0};
    std::atomic<int> sleepers_{0};
    std::atomic<int> caller_cpu_{-1};  ///< the core the caller posted its last job from
    std::atomic<bool> stop_{false};
};

}  // namespace

void run_tasks(std::ptrdiff_t count, int threads, const std::function<void(std::ptrdiff_t)>& task) {
    if (threads > 1 && count > 1 && Pool::instance().run(count, threads, task)) return;
    for (std::ptrdiff_t i = 0; i < count; ++i) task(i);
}

}  // namespace normdyn::detail
