// The pool behind model::State<T> (lib/src/kernels/state_memory.cpp): aligned blocks, reused by size, never shared.
#include <catch2/catch.hpp>

#include "normdyn/model/vector_field.hpp"

#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

using normdyn::detail::state_allocate;
using normdyn::detail::state_deallocate;

namespace {

bool aligned64(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 64 == 0; }

}  // namespace

TEST_CASE("State blocks start on 64-byte boundaries, small and large", "[state_memory]") {
    for (std::size_t bytes : {std::size_t(1), std::size_t(8), std::size_t(63), std::size_t(64), std::size_t(100),
                              std::size_t(16384), std::size_t(524288), std::size_t(524289), std::size_t(20) << 20}) {
        CAPTURE(bytes);
        void* p = state_allocate(bytes);
        CHECK(aligned64(p));
        std::memset(p, 0xab, bytes);
        state_deallocate(p, bytes);
    }
    normdyn::model::State<double> v(1000, 1.5);
    CHECK(aligned64(v.data()));
    CHECK(v[999] == 1.5);
}

TEST_CASE("A freed State block serves the next request of its size, and only of its size", "[state_memory]") {
    // With plain malloc the block freed first would serve the smaller request (and the last one would get
    // another address): the pool keeps blocks by size.
    const std::size_t size = 16384, smaller = 8192;
    void* a = state_allocate(size);
    void* b = state_allocate(size);
    state_deallocate(a, size);
    void* c = state_allocate(smaller);
    CHECK(c != a);
    void* d = state_allocate(size);
    CHECK(d == a);
    for (void* p : {b, d}) state_deallocate(p, size);
    state_deallocate(c, smaller);
}

TEST_CASE("State blocks in use never overlap, past the pool's 64 MiB of slabs and from four threads",
          "[state_memory]") {
    // 200 blocks of 512 KiB (the largest slab block) exhaust the slabs; the rest come from the heap.
    constexpr std::size_t bytes = 512 * 1024, count = 200;
    std::vector<unsigned char*> blocks;
    for (std::size_t i = 0; i < count; ++i) {
        blocks.push_back(static_cast<unsigned char*>(state_allocate(bytes)));
        std::memset(blocks.back(), int(i % 251), bytes);
    }
    bool intact = true;
    for (std::size_t i = 0; i < count; ++i)
        intact = intact && blocks[i][0] == i % 251 && blocks[i][bytes - 1] == i % 251;
    CHECK(intact);
    std::set<unsigned char*> sorted(blocks.begin(), blocks.end());
    REQUIRE(sorted.size() == count);
    bool disjoint = true;
    for (auto it = sorted.begin(); std::next(it) != sorted.end(); ++it) disjoint = disjoint && *it + bytes <= *std::next(it);
    CHECK(disjoint);
    for (auto* p : blocks) state_deallocate(p, bytes);

    // Four threads allocate, fill, check and free blocks of a few sizes: a block handed to two threads at once
    // shows up as a pattern overwritten by the other thread.
    std::vector<int> failures(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t, &failures] {
            for (int round = 0; round < 2000; ++round) {
                const std::size_t size = std::size_t(64) << (round % 6);
                auto* p = static_cast<unsigned char*>(state_allocate(size));
                std::memset(p, t + 1, size);
                std::this_thread::yield();
                for (std::size_t i = 0; i < size; i += 61) failures[std::size_t(t)] += p[i] != t + 1;
                state_deallocate(p, size);
            }
        });
    for (auto& thread : threads) thread.join();
    CHECK(failures == std::vector<int>(4, 0));
}
