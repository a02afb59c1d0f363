#include "bench/bench_util.h"

#include <rocksdb/version.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace comanda::bench {

namespace fs = std::filesystem;

TempDir::TempDir(std::string_view name) {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("comanda-bench-" + std::string(name) + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1)));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
  // The removal's metadata reaches the disk now, not in the middle of the
  // next benchmark's fsyncs.
  ::sync();
}

void Latencies::report(benchmark::State& state) {
  if (ns_.empty()) return;
  std::sort(ns_.begin(), ns_.end());
  auto rank = [&](double p) {
    const auto i = static_cast<size_t>(std::ceil(p * static_cast<double>(ns_.size())));
    return static_cast<double>(ns_[std::clamp<size_t>(i, 1, ns_.size()) - 1]) / 1000.0;
  };
  state.counters["p50_us"] = rank(0.50);
  state.counters["p99_us"] = rank(0.99);
}

void CompletionMeter::measure(benchmark::State& state, uint64_t per_iteration) {
  uint64_t target = 0;
  uint64_t completed = 0;
  Clock::time_point last = start_;
  for (auto _ : state) {
    target += per_iteration;
    {
      std::unique_lock lock(mu_);
      waiting_for_.store(target);
      reached_.wait(lock, [&] { return aborted_ || completed_.load() >= target; });
    }
    if (aborted_) {
      state.SkipWithError("the workload failed");
      break;
    }
    const Clock::time_point now = Clock::now();
    completed = completed_.load();
    state.SetIterationTime(std::chrono::duration<double>(now - last).count());
    last = now;
  }
  waiting_for_.store(UINT64_MAX);
  state.SetItemsProcessed(static_cast<int64_t>(completed));
  if (completed == 0) return;
  // Threads that started or ended within the span count from zero or not at all.
  std::map<std::string, int64_t> cpu = cpu_ns_by_thread();
  if (cpu.empty() || cpu_at_start_.empty()) return;  // no schedstat on this kernel
  int64_t total = 0;
  for (auto& [name, ns] : cpu) {
    auto before = cpu_at_start_.find(name);
    ns -= before == cpu_at_start_.end() ? 0 : before->second;
    total += ns;
  }
  auto per_op_us = [&](int64_t ns) {
    return static_cast<double>(ns) / 1000.0 / static_cast<double>(completed);
  };
  state.counters["cpu_us"] = per_op_us(total);
  for (const char* name : {"sequencer", "writer", "publisher", "raw-writer", "bench-client"})
    if (auto it = cpu.find(name); it != cpu.end())
      state.counters[std::string("cpu_us_") + name] = per_op_us(it->second);
}

std::map<std::string, int64_t> cpu_ns_by_thread() {
  std::map<std::string, int64_t> by_name;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::ifstream schedstat(task.path() / "schedstat");
    std::string name;
    int64_t ns = 0;
    if (std::getline(comm, name) && (schedstat >> ns)) by_name[name] += ns;
  }
  return by_name;
}

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

// "ext4 on /dev/vda (mounted on /)": the mount holding `dir`, from /proc/self/mounts.
std::string filesystem_of(const fs::path& dir) {
  const std::string target = fs::weakly_canonical(dir).string();
  std::ifstream in("/proc/self/mounts");
  std::string best_point, best;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string device, point, type;
    fields >> device >> point >> type;
    const bool inside = target == point || point == "/" ||
                        (target.rfind(point, 0) == 0 && target.size() > point.size() &&
                         target[point.size()] == '/');
    if (inside && point.size() >= best_point.size()) {
      best_point = point;
      best = type + " on " + device + " (mounted on " + point + ")";
    }
  }
  return best.empty() ? "unknown" : best;
}

}  // namespace

void add_machine_context() {
  const fs::path dir = fs::temp_directory_path();
  benchmark::AddCustomContext("cpu_model", cpu_model());
  utsname u{};
  if (::uname(&u) == 0)
    benchmark::AddCustomContext("kernel", std::string(u.sysname) + " " + u.release);
  benchmark::AddCustomContext("rocksdb", std::to_string(ROCKSDB_MAJOR) + "." +
                                             std::to_string(ROCKSDB_MINOR) + "." +
                                             std::to_string(ROCKSDB_PATCH));
  benchmark::AddCustomContext("bench_dir", dir.string());
  benchmark::AddCustomContext("bench_filesystem", filesystem_of(dir));
}

}  // namespace comanda::bench
