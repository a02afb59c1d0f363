// Growth of the maps that hold every hot order: std::unordered_map (a
// rehash of every entry when it fills) beside GrowingMap (unordered_maps in
// shards, a new table per shard, one node moved per insertion) and
// FlatGrowingMap (open addressing in shards, two slots moved per
// insertion), each filled with 2,000,000 entries of an order's state's size
// by uuid. Reported: the slowest single insertion (max_us: what the
// sequencer or publisher stalls for), p99.99, the mean (items_per_second),
// and then the mean lookup of every id in a shuffled order (lookup_ns).
//
//   build/comanda_bench --benchmark_filter=Growth
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <random>
#include <unordered_map>

#include "bench/bench_util.h"
#include "engine/base/flat_growing_map.h"
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
bool holds(const Map& map, const Uuid& id) {
  if constexpr (requires { map.end(); })
    return map.find(id) != map.end();
  else
    return map.find(id) != nullptr;
}

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
    std::vector<Uuid> shuffled = ids;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
    const Clock::time_point begin = Clock::now();
    uint64_t found = 0;
    for (const Uuid& id : shuffled) found += holds(map, id);
    const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin);
    if (found != kEntries) state.SkipWithError("an id was not found");
    state.counters["lookup_ns"] = static_cast<double>(took.count()) / static_cast<double>(kEntries);
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
  benchmark::RegisterBenchmark("Growth/flat_growing_map/2M",
                               growth<engine::FlatGrowingMap<Uuid, Entry, UuidHash>>)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
}

}  // namespace comanda::bench
