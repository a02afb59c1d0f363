// Growth of the maps that hold every hot order: std::unordered_map (a
// rehash of every entry when it fills) beside GrowingMap (a new table, two
// entries moved per insertion), both filled with 2,000,000 entries of an
// order's state's size by uuid. Reported: the slowest single insertion
// (max_us: what the sequencer or publisher stalls for), p99.99, and the
// mean (items_per_second).
//
//   build/comanda_bench --benchmark_filter=Growth
#include <benchmark/benchmark.h>

#include <array>
#include <unordered_map>

#include "bench/bench_util.h"
#include "engine/base/growing_map.h"
#include "engine/base/ids.h"

namespace comanda::bench {
namespace {

using engine::Uuid;
using engine::UuidHash;

struct Entry {  // about an OrderState
  std::array<uint64_t, 32> bytes{};
};

constexpr size_t kEntries = 2'000'000;

template <class Map>
void growth(benchmark::State& state) {
  std::vector<Uuid> ids(kEntries);
  for (Uuid& id : ids) id = Uuid::v7();
  for (auto _ : state) {
    Map map;
    std::vector<int64_t> ns;
    ns.reserve(kEntries);
    for (const Uuid& id : ids) {
      const Clock::time_point begin = Clock::now();
      map[id].bytes[0] = 1;
      ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin).count());
    }
    std::sort(ns.begin(), ns.end());
    state.counters["max_us"] = static_cast<double>(ns.back()) / 1000.0;
    state.counters["p9999_us"] = static_cast<double>(ns[ns.size() * 9999 / 10000]) / 1000.0;
    state.PauseTiming();
    { Map gone = std::move(map); }  // freed outside the measurement
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kEntries));
}

}  // namespace

void register_growth_benchmarks() {
  benchmark::RegisterBenchmark("Growth/unordered_map/2M",
                               growth<std::unordered_map<Uuid, Entry, UuidHash>>)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
  benchmark::RegisterBenchmark("Growth/growing_map/2M",
                               growth<engine::GrowingMap<Uuid, Entry, UuidHash>>)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
}

}  // namespace comanda::bench
