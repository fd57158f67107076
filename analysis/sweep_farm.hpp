// Where a sweep's cells run: threads on this machine, or, launched by mpirun on a build with MPI, a
// manager/worker task farm over the processes (dynamic load balancing: a worker asks for the next cell when it
// has sent its last record, so cells that differ in cost by orders of magnitude spread evenly).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace normdyn::cli {

class SweepFarm {
public:
    /// Joins the MPI job when launched by mpirun (OMPI_COMM_WORLD_SIZE or PMI_SIZE set) and built with MPI.
    SweepFarm();
    ~SweepFarm();
    SweepFarm(const SweepFarm&) = delete;
    SweepFarm& operator=(const SweepFarm&) = delete;

    /// Rank 0 of an MPI job, or the only process: the one that reads and writes the files.
    bool is_manager() const { return rank_ == 0; }
    /// Whether this build can run a sweep across processes.
    static bool has_mpi();

    /// Solves every cell of `todo` once: solve(cell) returns its record, deliver(cell, record) is called for
    /// each on the manager only, from one thread at a time or several (deliver locks). On one process,
    /// `jobs` threads; in an MPI job, one cell at a time per process, rank 0 solving besides handing out.
    void run(const std::vector<std::size_t>& todo, std::size_t jobs,
             const std::function<std::string(std::size_t)>& solve,
             const std::function<void(std::size_t, std::string)>& deliver);

private:
    int rank_ = 0, size_ = 1;
    bool mpi_ = false;
};

}  // namespace normdyn::cli
