// FlatGrowingMap (engine/base/flat_growing_map.h): the same answers as
// std::unordered_map over long random walks of insertions, updates and
// erasures while it grows (with a good hash, and with one that makes every
// probe run long and wrap around the table's end), references to values
// that survive growth, and growth in steps that drain while insertions go
// on. (How long an insertion or lookup takes is measured, not asserted:
// bench/growth_bench.cpp.)
#include "engine/base/flat_growing_map.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/base/ids.h"
#include "tests/engine/base/map_growth.h"

namespace {

using comanda::engine::FlatGrowingMap;
using comanda::engine::Uuid;
using comanda::engine::UuidHash;

// Seven hashes for every key: long probe runs, entries far from home, runs
// that wrap past the last slot; what erasure's shifting must get right.
struct SevenHashes {
  size_t operator()(int key) const { return static_cast<size_t>(key % 7); }
};

// `ops` random operations on keys drawn from a space that widens as the
// walk goes (so the map grows while entries are erased and updated), each
// answer checked against std::unordered_map, then every entry.
template <class K, class Hash, class MakeKey>
void walk_against_the_standard_map(uint32_t seed, int ops, MakeKey make_key) {
  std::mt19937 rng(seed);
  FlatGrowingMap<K, std::string, Hash> map;
  std::unordered_map<K, std::string, Hash> model;
  for (int i = 0; i < ops; ++i) {
    const int space = 64 + i / 2;
    const K key = make_key(static_cast<int>(rng() % static_cast<uint32_t>(space)));
    switch (rng() % 8) {
      case 0:
      case 1:
      case 2: {  // insert or update
        const std::string value = std::to_string(i);
        map[key] = value;
        model[key] = value;
        break;
      }
      case 3:
      case 4:  // erase
        ASSERT_EQ(map.erase(key), model.erase(key) > 0) << "op " << i;
        break;
      default: {  // look up
        const std::string* found = map.find(key);
        const auto it = model.find(key);
        ASSERT_EQ(found != nullptr, it != model.end()) << "op " << i;
        if (found) {
          ASSERT_EQ(*found, it->second) << "op " << i;
        }
      }
    }
    ASSERT_EQ(map.size(), model.size()) << "op " << i;
  }
  size_t visited = 0;
  map.for_each([&](const K& k, const std::string& v) {
    ++visited;
    const auto it = model.find(k);
    ASSERT_NE(it, model.end());
    EXPECT_EQ(v, it->second);
  });
  EXPECT_EQ(visited, model.size());
}

Uuid uuid_of(int n) {
  // Time-ordered ids share their high bytes, as the log's do.
  Uuid id{};
  id.bytes[0] = 0x01;
  id.bytes[1] = 0x93;
  for (int b = 0; b < 4; ++b) id.bytes[15 - b] = static_cast<uint8_t>(n >> (8 * b));
  id.bytes[6] = static_cast<uint8_t>(0x70 | ((n >> 4) & 0x0f));
  return id;
}

TEST(FlatGrowingMap, AnswersAsTheStandardMapWhileItGrowsAndShrinks) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_NO_FATAL_FAILURE(
        (walk_against_the_standard_map<Uuid, UuidHash>(seed, 300'000, uuid_of)));
  }
}

TEST(FlatGrowingMap, AnswersAsTheStandardMapWhenEveryProbeRunIsLong) {
  for (uint32_t seed : {4u, 5u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_NO_FATAL_FAILURE(
        (walk_against_the_standard_map<int, SevenHashes>(seed, 20'000, [](int n) { return n; })));
  }
}

TEST(FlatGrowingMap, ReferencesToValuesSurviveGrowth) {
  FlatGrowingMap<Uuid, int, UuidHash> map;
  std::vector<int*> addresses;
  for (int i = 0; i < 50'000; ++i) addresses.push_back(&(map[uuid_of(i)] = i));
  for (int i = 0; i < 50'000; ++i) {
    ASSERT_EQ(map.find(uuid_of(i)), addresses[static_cast<size_t>(i)]) << i;
    ASSERT_EQ(&map[uuid_of(i)], addresses[static_cast<size_t>(i)]) << "moved over, not copied";
  }
}

// Across 1M insertions the shards grow many times, and each growth drains
// (growing() false again) while insertions go on.
TEST(FlatGrowingMap, GrowsInStepsThatDrainWhileInsertionsGoOn) {
  FlatGrowingMap<Uuid, int, UuidHash> map;
  const auto steps = comanda::test_support::insert_counting_growth(map, 1'000'000, uuid_of);
  EXPECT_GE(steps.growths, 5);
  EXPECT_GE(steps.drains, steps.growths - 1);
  for (int i = 0; i < 1'000'000; i += 9973) ASSERT_EQ(*map.find(uuid_of(i)), i);
}

TEST(FlatGrowingMap, CopiesAreDeepAndMovesLeaveTheSourceEmpty) {
  FlatGrowingMap<int, std::string> map;
  for (int i = 0; i < 1000; ++i) map[i] = std::to_string(i);
  FlatGrowingMap<int, std::string> copy = map;
  copy[1] = "changed";
  EXPECT_EQ(*map.find(1), "1");
  EXPECT_EQ(copy.size(), 1000u);
  FlatGrowingMap<int, std::string> moved = std::move(map);
  EXPECT_EQ(moved.size(), 1000u);
  EXPECT_EQ(*moved.find(999), "999");
  EXPECT_TRUE(map.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  moved = copy;
  EXPECT_EQ(*moved.find(1), "changed");
  moved.clear();
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.find(1), nullptr);
  moved[7] = "again";
  EXPECT_EQ(*moved.find(7), "again");
}

}  // namespace
