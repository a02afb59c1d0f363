// Background threads run below the threads that answer requests
// (engine/base/background.h): what `top -H` shows as their NI.
#include "engine/base/background.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <thread>

namespace {

int nice_of_this_thread() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

TEST(Background, AThreadInTheBackgroundRunsAtALowerPriorityThanTheOthers) {
  const int before = nice_of_this_thread();
  if (before >= 19) GTEST_SKIP() << "the tests run at the lowest priority already";
  int background = before, beside = before;
  std::thread([&] {
    comanda::engine::run_in_background();
    background = nice_of_this_thread();
  }).join();
  std::thread([&] { beside = nice_of_this_thread(); }).join();
  EXPECT_GT(background, before);
  EXPECT_EQ(beside, before) << "the whole process was lowered, not the one thread";
  EXPECT_EQ(nice_of_this_thread(), before);
}

}  // namespace
