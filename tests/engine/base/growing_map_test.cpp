// GrowingMap (engine/base/growing_map.h): it finds, updates and erases
// every entry while it grows, keeps references to entries valid across
// growth, and grows in steps that drain as insertions go on, no table ever
// rehashing its entries at once. (How long an insertion takes is measured,
// not asserted: bench/growth_bench.cpp.)
#include "engine/base/growing_map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/engine/base/map_growth.h"

namespace {

using comanda::engine::GrowingMap;

TEST(GrowingMap, FindsUpdatesAndErasesEveryEntryWhileItGrows) {
  GrowingMap<int, std::string> map;
  constexpr int kN = 200'000;
  bool saw_growth = false;
  for (int i = 0; i < kN; ++i) {
    map[i] = std::to_string(i);
    saw_growth |= map.growing();
    if (i % 997 == 0) {  // lookups of old and new entries mid-growth
      ASSERT_NE(map.find(i / 2), nullptr);
      ASSERT_EQ(*map.find(i / 2), std::to_string(i / 2));
      ASSERT_EQ(map.find(kN + i), nullptr);
    }
  }
  EXPECT_TRUE(saw_growth);
  EXPECT_EQ(map.size(), static_cast<size_t>(kN));
  for (int i = 0; i < kN; i += 2) ASSERT_TRUE(map.erase(i));
  EXPECT_FALSE(map.erase(0));
  EXPECT_EQ(map.size(), static_cast<size_t>(kN / 2));
  size_t visited = 0;
  long long sum = 0;
  map.for_each([&](int k, const std::string& v) {
    ++visited;
    sum += k;
    EXPECT_EQ(v, std::to_string(k));
  });
  EXPECT_EQ(visited, static_cast<size_t>(kN / 2));
  EXPECT_EQ(sum, static_cast<long long>(kN / 2) * (kN / 2));  // 1 + 3 + ... + (kN - 1)
  map[1] += "!";
  EXPECT_EQ(*map.find(1), "1!");
}

TEST(GrowingMap, ReferencesToEntriesSurviveGrowth) {
  GrowingMap<int, int> map;
  std::vector<int*> addresses;
  for (int i = 0; i < 50'000; ++i) addresses.push_back(&(map[i] = i));
  for (int i = 0; i < 50'000; ++i) {
    ASSERT_EQ(map.find(i), addresses[static_cast<size_t>(i)]) << i;
    ASSERT_EQ(&map[i], addresses[static_cast<size_t>(i)]) << "moved over, not copied";
  }
}

// Growth comes in steps: across 1M insertions the shards grow many times,
// and each growth drains (growing() false again) while insertions go on.
TEST(GrowingMap, GrowsInStepsThatDrainWhileInsertionsGoOn) {
  GrowingMap<int, int> map;
  const auto steps =
      comanda::test_support::insert_counting_growth(map, 1'000'000, [](int i) { return i; });
  EXPECT_GE(steps.growths, 5);
  EXPECT_EQ(map.full_rehashes(), 0u)
      << "a table rehashed its entries all at once";  // shards grow at about the same sizes: their
                                                      // steps overlap
  EXPECT_GE(steps.drains, steps.growths - 1);
}

}  // namespace
