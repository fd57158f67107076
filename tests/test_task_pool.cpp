// Tests of the library's task pool (lib/src/kernels/task_pool.hpp, private to the library): the threads behind the
// double kernel, the particle system's token loops and dop853's passes. The claim: run_tasks runs every
// task exactly once and returns only when all have finished, whatever the thread count, the job sizes, the
// gaps between jobs (workers that spin, workers that sleep) and concurrent callers.
#include <catch2/catch.hpp>

#include "../lib/src/kernels/task_pool.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

using normdyn::detail::run_tasks;

namespace {

/// Runs one job of `count` tasks on `threads` threads; each task adds 1 to its own counter (and a little
/// work, so that tasks overlap). Returns how many counters are not exactly 1 once run_tasks has returned.
std::size_t miscounted(std::ptrdiff_t count, int threads) {
    std::vector<std::atomic<int>> runs(static_cast<std::size_t>(count));
    for (auto& r : runs) r.store(0);
    run_tasks(count, threads, [&](std::ptrdiff_t i) {
        volatile double sink = 0;
        for (int k = 0; k < 200; ++k) sink = sink + double(k) * double(i);
        runs[static_cast<std::size_t>(i)].fetch_add(1, std::memory_order_relaxed);
    });
    std::size_t wrong = 0;
    for (const auto& r : runs) wrong += r.load() != 1;
    return wrong;
}

}  // namespace

TEST_CASE("The task pool runs every task exactly once, back to back, for 0 to 64 tasks and 1 to 4 threads",
          "[task_pool][threads]") {
    std::size_t wrong = 0, jobs = 0;
    for (int round = 0; round < 20; ++round)
        for (int threads = 1; threads <= 4; ++threads)
            for (std::ptrdiff_t count : {0, 1, 2, 3, 7, 16, 64}) {
                wrong += miscounted(count, threads);
                ++jobs;
            }
    INFO(jobs << " jobs");
    CHECK(wrong == 0);
}

TEST_CASE("A worker that comes late to a job the caller has finished alone claims nothing of the next job",
          "[task_pool][threads]") {
    // Tiny jobs, posted back to back: the caller often runs every task before the worker has read the job,
    // and posts the next one while the worker still holds the old job's task and count. Each job has its
    // own counters; a task run twice, or run with the wrong job's function, shows as a counter not 1.
    std::size_t wrong = 0;
    for (int job = 0; job < 20000; ++job) {
        const std::ptrdiff_t count = 1 + job % 3;
        int runs[3] = {0, 0, 0};
        run_tasks(count, 2, [&](std::ptrdiff_t i) { __atomic_fetch_add(&runs[i], 1, __ATOMIC_RELAXED); });
        for (std::ptrdiff_t i = 0; i < count; ++i) wrong += runs[i] != 1;
    }
    CHECK(wrong == 0);
}

TEST_CASE("The task pool wakes sleeping workers: jobs separated by gaps longer than the workers' spin",
          "[task_pool][threads]") {
    // Workers spin ~50 µs after a job, spin yielding their core up to 2 ms, then sleep on a condition
    // variable; a job after a longer gap has to wake them (or run without them) and still run every task
    // before returning. Gaps of 0–160 µs (spinning or yielding workers) and of 3 ms (sleeping ones).
    std::size_t wrong = 0;
    for (int round = 0; round < 60; ++round) {
        const auto gap = round % 6 == 5 ? std::chrono::microseconds(3000)
                                        : std::chrono::microseconds(round % 3 == 0 ? 0 : 40 * (round % 5));
        std::this_thread::sleep_for(gap);
        wrong += miscounted(32, 2 + round % 3);
    }
    CHECK(wrong == 0);
}

TEST_CASE("Two threads calling the task pool at once both get every task run once (one of them may run alone)",
          "[task_pool][threads]") {
    std::atomic<std::size_t> wrong{0};
    auto caller = [&] {
        for (int round = 0; round < 200; ++round) wrong += miscounted(24, 2);
    };
    std::thread other(caller);
    caller();
    other.join();
    CHECK(wrong.load() == 0);
}

#ifdef __linux__
#include <sched.h>

TEST_CASE("leave_cpu moves the calling thread off its core and gives it back the cores it had", "[task_pool][threads]") {
    // The pool's workers call it when they find themselves on the caller's core. Run on a thread of its own,
    // so that the test runner's affinity is never touched. The scheduler may move the thread between two
    // calls by itself, so up to five tries: a leave_cpu that does not move fails all five.
    bool moved_off = false, same_mask = true, stays = false;
    int cores = 0;
    std::thread probe([&] {
        cpu_set_t before, after;
        sched_getaffinity(0, sizeof before, &before);
        cores = CPU_COUNT(&before);
        for (int attempt = 0; attempt < 5 && !moved_off; ++attempt) {
            const int here = sched_getcpu();
            const bool moved = normdyn::detail::leave_cpu(here);
            moved_off = moved && sched_getcpu() != here;
            sched_getaffinity(0, sizeof after, &after);
            same_mask = same_mask && CPU_EQUAL(&before, &after);
        }
        stays = !normdyn::detail::leave_cpu(CPU_SETSIZE - 1);  // not on that core: nothing to do
    });
    probe.join();
    CAPTURE(cores);
    CHECK(same_mask);
    CHECK(stays);
    CHECK(moved_off == (cores >= 2));
}
#endif
