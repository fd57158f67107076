#include "sweep_farm.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>

#ifdef NORMDYN_HAVE_MPI
#define OMPI_SKIP_MPICXX 1   // the C API only: OpenMPI's deprecated C++ bindings warn under -Wextra
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace normdyn::cli {

namespace {

// The cells of `todo` to the threads that ask, in order.
class CellQueue {
public:
    explicit CellQueue(const std::vector<std::size_t>& todo) : todo_(todo) {}
    bool next(std::size_t& cell) {
        const std::size_t i = next_.fetch_add(1);
        if (i >= todo_.size()) return false;
        cell = todo_[i];
        return true;
    }

private:
    const std::vector<std::size_t>& todo_;
    std::atomic<std::size_t> next_{0};
};

void run_threads(CellQueue& queue, std::size_t jobs, const std::function<std::string(std::size_t)>& solve,
                 const std::function<void(std::size_t, std::string)>& deliver) {
    const auto work = [&] {
        for (std::size_t cell = 0; queue.next(cell);) deliver(cell, solve(cell));
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < jobs; ++t) threads.emplace_back(work);
    work();
    for (auto& thread : threads) thread.join();
}

#ifdef NORMDYN_HAVE_MPI
// The messages: a fixed-size plain record (cell, length of the record text that follows; no_cell: none), the
// record text as bytes, and the manager's answer, the next cell (no_cell: stop).
struct Header {
    std::uint64_t cell;
    std::uint64_t bytes;
};
constexpr std::uint64_t no_cell = ~std::uint64_t(0);
constexpr int tag_header = 1, tag_record = 2, tag_cell = 3;

void run_worker(const std::function<std::string(std::size_t)>& solve) {
    Header header{no_cell, 0};
    std::string record;
    for (;;) {
        MPI_Send(&header, 2, MPI_UINT64_T, 0, tag_header, MPI_COMM_WORLD);
        if (header.bytes > 0) MPI_Send(record.data(), int(record.size()), MPI_CHAR, 0, tag_record, MPI_COMM_WORLD);
        std::uint64_t cell = no_cell;
        MPI_Recv(&cell, 1, MPI_UINT64_T, 0, tag_cell, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (cell == no_cell) return;
        record = solve(std::size_t(cell));
        header = {cell, record.size()};
    }
}

// Rank 0: answers the workers (polling, so that its own solving thread keeps the core) while one thread of
// its own solves cells from the same queue.
void run_manager(int size, CellQueue& queue, const std::function<std::string(std::size_t)>& solve,
                 const std::function<void(std::size_t, std::string)>& deliver) {
    std::thread own([&] { run_threads(queue, 1, solve, deliver); });
    int active = size - 1;
    while (active > 0) {
        int arrived = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, tag_header, MPI_COMM_WORLD, &arrived, &status);
        if (!arrived) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
        }
        Header header{};
        MPI_Recv(&header, 2, MPI_UINT64_T, status.MPI_SOURCE, tag_header, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (header.bytes > 0) {
            std::string record(header.bytes, '\0');
            MPI_Recv(record.data(), int(header.bytes), MPI_CHAR, status.MPI_SOURCE, tag_record, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            deliver(std::size_t(header.cell), std::move(record));
        }
        std::size_t next = 0;
        std::uint64_t cell = queue.next(next) ? std::uint64_t(next) : no_cell;
        if (cell == no_cell) --active;
        MPI_Send(&cell, 1, MPI_UINT64_T, status.MPI_SOURCE, tag_cell, MPI_COMM_WORLD);
    }
    own.join();
}
#endif

}  // namespace

bool SweepFarm::has_mpi() {
#ifdef NORMDYN_HAVE_MPI
    return true;
#else
    return false;
#endif
}

SweepFarm::SweepFarm() {
#ifdef NORMDYN_HAVE_MPI
    if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMI_SIZE") == nullptr) return;
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    mpi_ = true;
#endif
}

SweepFarm::~SweepFarm() {
#ifdef NORMDYN_HAVE_MPI
    if (mpi_) MPI_Finalize();
#endif
}

void SweepFarm::run(const std::vector<std::size_t>& todo, std::size_t jobs,
                    const std::function<std::string(std::size_t)>& solve,
                    const std::function<void(std::size_t, std::string)>& deliver) {
    CellQueue queue(todo);
#ifdef NORMDYN_HAVE_MPI
    if (mpi_ && size_ > 1) {
        // Every rank learns from the manager which cells are left (after --resume, only it read the records).
        if (rank_ == 0) run_manager(size_, queue, solve, deliver);
        else run_worker(solve);
        return;
    }
#endif
    run_threads(queue, jobs, solve, deliver);
}

}  // namespace normdyn::cli
