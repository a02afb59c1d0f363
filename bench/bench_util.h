// What every benchmark in comanda_bench shares: a scratch directory on the
// measured filesystem, latency percentiles over every operation, a meter that
// turns asynchronous completions into Google Benchmark iterations, and the
// description of the machine printed with the results.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace comanda::bench {

// bench/dispatch_bench.cpp: the offer decision among 100k drivers, and whole
// deliveries through the engine.
void register_dispatch_benchmarks();
// bench/growth_bench.cpp: how the maps of every hot order grow.
void register_growth_benchmarks();
// bench/read_model_bench.cpp: rebuilding the read models beside a raw scan,
// their memory per finished order, and query latencies.
void register_read_model_benchmarks();

using Clock = std::chrono::steady_clock;

// A fresh, empty directory under the temp directory ($TMPDIR, else /tmp),
// removed with its contents on destruction. Every benchmark and the fsync
// probe write there, so they all measure the same filesystem.
class TempDir {
 public:
  explicit TempDir(std::string_view name);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Durations of individual operations, kept whole (no sampling) so that the
// percentiles cover every operation. Not thread-safe: one owner at a time.
class Latencies {
 public:
  void reserve(size_t n) { ns_.reserve(n); }
  void add(Clock::duration d) {
    ns_.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
  }
  void merge(const Latencies& other) { ns_.insert(ns_.end(), other.ns_.begin(), other.ns_.end()); }

  // Sets the counters p50_us and p99_us (nearest rank) on `state`. Sorts.
  void report(benchmark::State& state);

 private:
  std::vector<int64_t> ns_;
};

// CPU time of this process's threads, summed by thread name (ns, from
// /proc/self/task/*/schedstat): where a benchmark's cores went.
std::map<std::string, int64_t> cpu_ns_by_thread();

// Counts operations completed on any thread, and runs the benchmark loop so
// that an iteration ends each time `per_iteration` more have completed. The
// workload keeps running between iterations (no drain, no refill): the summed
// iteration times are the wall time from start() to the last iteration's end,
// and items_processed is what had completed by then. It also reports the
// process's CPU time per operation over the same span (`cpu_us`, all threads)
// and that of the threads named `sequencer`, `writer`, `publisher`,
// `raw-writer` and `bench-client` (`cpu_us_<name>`): on two cores the sum
// bounds the rate, whichever thread does the work.
//
// Threads: add() on any thread; start() and measure() on the benchmark thread.
class CompletionMeter {
 public:
  // Marks the start of the workload; call just before issuing the first operation.
  void start() {
    start_ = Clock::now();
    cpu_at_start_ = cpu_ns_by_thread();
  }
  void add(uint64_t n = 1) {
    const uint64_t done = completed_.fetch_add(n) + n;
    if (done >= waiting_for_.load()) {
      std::lock_guard lock(mu_);
      reached_.notify_one();
    }
  }
  // Ends measure() at once, skipping the benchmark with an error: for a
  // workload that can no longer complete operations. Any thread.
  void abort() {
    aborted_ = true;
    std::lock_guard lock(mu_);
    reached_.notify_one();
  }
  // The Google Benchmark loop; use with UseManualTime().
  void measure(benchmark::State& state, uint64_t per_iteration);

 private:
  Clock::time_point start_ = Clock::now();
  std::map<std::string, int64_t> cpu_at_start_;
  std::atomic<uint64_t> completed_{0};
  std::atomic<uint64_t> waiting_for_{UINT64_MAX};
  std::atomic<bool> aborted_{false};
  std::mutex mu_;
  std::condition_variable reached_;
};

// Adds what docs/performance.md needs beside the numbers to the JSON
// "context": CPU model, kernel, RocksDB version, and the benchmark directory's
// filesystem and device.
void add_machine_context();

}  // namespace comanda::bench
