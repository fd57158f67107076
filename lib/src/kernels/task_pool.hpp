// A small pool of worker threads for the double kernels (private to the library).
//
// Why not OpenMP's own team: libgomp's threads spin at every barrier, and when the machine is busy (a build,
// a second run, a parameter sweep) a spinning thread holds a core the others need, and the caller stalls
// behind it (docs/performance.md). Here the caller waits only for tasks a worker has claimed and
// is running, never for a worker to show up: a worker the machine has not scheduled costs nothing, the
// caller runs the tasks itself. A waiting worker spins, then spins yielding its core (to any thread that
// wants it), then sleeps (task_pool.cpp). Work is a list of independent tasks taken in any order: which
// thread runs a task never changes what the task computes, so results do not depend on the number of
// threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>

namespace normdyn::detail {

/// Moves the calling thread off core `cpu` if it runs there (its affinity narrowed for a moment, then
/// restored); true when it moved. False elsewhere, or when the thread may use no other core (Linux only).
bool leave_cpu(int cpu);

/// Runs task(0) … task(count − 1) on the calling thread and up to threads − 1 workers, and returns when
/// all are done. One thread, one task, or a pool already busy with another caller: a plain loop.
void run_tasks(std::ptrdiff_t count, int threads, const std::function<void(std::ptrdiff_t)>& task);

/// task(0) … task(count − 1) as run_tasks, but one thread (or one task) runs a plain loop without the
/// std::function call per task: the path every small problem takes.
template <class Task> void for_each_task(std::ptrdiff_t count, int threads, const Task& task) {
    if (threads <= 1 || count < 2) {
        for (std::ptrdiff_t i = 0; i < count; ++i) task(i);
        return;
    }
    run_tasks(count, threads, [&](std::ptrdiff_t i) { task(i); });
}

/// body(i, begin, end) for each chunk i = [i chunk, min(n, (i + 1) chunk)) of [0, n), on up to `threads`
/// threads, in any order. The bounds depend on n and chunk alone, never on the thread count.
template <class Body> void for_each_chunk(std::size_t n, std::size_t chunk, int threads, const Body& body) {
    for_each_task(std::ptrdiff_t((n + chunk - 1) / chunk), threads, [&](std::ptrdiff_t c) {
        const auto i = std::size_t(c);
        body(i, i * chunk, std::min(n, (i + 1) * chunk));
    });
}

}  // namespace normdyn::detail
