// Shared by the tests of the maps that grow a step at a time
// (growing_map_test.cpp, flat_growing_map_test.cpp): inserts n keys and
// counts how often the map started growing and how often it drained.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>

namespace comanda::test_support {

struct GrowthSteps {
  int growths = 0;
  int drains = 0;
};

template <class Map, class KeyOf>
GrowthSteps insert_counting_growth(Map& map, int n, KeyOf key_of) {
  GrowthSteps steps;
  bool was_growing = false;
  for (int i = 0; i < n; ++i) {
    const size_t before = map.size();
    map[key_of(i)] = i;
    EXPECT_EQ(map.size(), before + 1) << i;
    const bool growing = map.growing();
    steps.growths += growing && !was_growing;
    steps.drains += !growing && was_growing;
    was_growing = growing;
  }
  return steps;
}

}  // namespace comanda::test_support
