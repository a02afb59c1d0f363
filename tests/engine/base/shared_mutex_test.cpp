// The read models' lock (engine/base/shared_mutex.h): a waiting writer goes
// before readers that come after it, so a stream of queries cannot keep the
// publisher, and every write waiting on it, out.
#include "engine/base/shared_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace {

using comanda::engine::SharedMutex;
using namespace std::chrono_literals;

TEST(SharedMutex, ReadersShareIt) {
  SharedMutex mu;
  std::shared_lock a(mu);
  std::shared_lock b(mu, std::try_to_lock);
  EXPECT_TRUE(b.owns_lock());
  std::unique_lock w(mu, std::try_to_lock);
  EXPECT_FALSE(w.owns_lock());
}

TEST(SharedMutex, AWaitingWriterStopsNewReadersAndGoesNext) {
  SharedMutex mu;
  std::shared_lock reader(mu);
  std::atomic<bool> wrote{false};
  std::thread writer([&] {
    std::unique_lock lock(mu);
    wrote = true;
  });
  // Once the writer waits, a new reader is refused (a reader-first lock
  // would let it in for as long as readers overlap).
  bool refused = false;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    std::shared_lock late(mu, std::try_to_lock);
    refused = !late.owns_lock();
    if (!refused) std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(refused) << "a new reader got in ahead of a waiting writer";
  EXPECT_FALSE(wrote);
  reader.unlock();
  writer.join();
  EXPECT_TRUE(wrote);
  std::shared_lock after(mu, std::try_to_lock);
  EXPECT_TRUE(after.owns_lock());
}

}  // namespace
