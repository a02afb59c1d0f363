// Helpers shared by the pipeline's, log's and read models' tests: a
// temporary directory per test, commands built from tests/support/builders.h,
// and a fixture that decides and writes commands batch by batch.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <system_error>

#include "engine/base/ids.h"
#include "engine/domain/event.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/command.h"
#include "engine/pipeline/hot_state.h"
#include "tests/support/builders.h"

namespace comanda::test_support {

// A fresh directory under the system's temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<uint64_t> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "comanda-test-" + std::to_string(::getpid()) + "-" + std::to_string(now) +
                       "-" + std::to_string(counter++);
    if (info) name += std::string("-") + info->name();
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A Call as the pipeline carries it: a fresh correlation id, no callback.
inline Call::operator engine::Command() const {
  engine::Command c;
  c.principal = principal;
  c.correlation_id = engine::Uuid::v7();
  c.expected_version = expected_version;
  c.body = body;
  return c;
}

// A log in a temporary directory, the aggregates over it and one registered
// restaurant: for tests that decide and write commands batch by batch, as the
// sequencer does, without its threads.
class DecidingTest : public ::testing::Test {
 protected:
  static constexpr int64_t kNow = 1'795'000'000'000'000;

  void SetUp() override {
    auto log = engine::EventLog::open(dir_.path() / "log", {engine::Durability::kAsync, false});
    ASSERT_TRUE(log.ok()) << log.error().message;
    log_ = std::move(log).value();
    restaurant_ = engine::Uuid::v7();
    ASSERT_TRUE(commit(register_restaurant(restaurant_), kNow).ok());
  }

  // Decides one command as a batch at `now` and writes what it produced.
  engine::CommandOutcome commit(engine::Command command, int64_t now) {
    std::vector<engine::Event> events;
    std::vector<engine::IdempotencyRecord> records;
    engine::BatchContext ctx{now, log_->last_position() + 1, &records};
    engine::CommandOutcome outcome = state_.decide(command, ctx, events);
    EXPECT_TRUE(log_->append(events, records).ok());
    return outcome;
  }

  TempDir dir_;
  std::unique_ptr<engine::EventLog> log_;
  engine::HotState state_;  // default windows: idempotency 24 h, hot 15 min
  engine::Uuid restaurant_;
};

// The seed of a property test: $COMANDA_PROPERTY_SEED when set (to replay a
// run that failed), else a fresh one; printed either way.
inline uint64_t property_seed() {
  const char* fixed = std::getenv("COMANDA_PROPERTY_SEED");
  const uint64_t seed =
      fixed && *fixed ? std::strtoull(fixed, nullptr, 10) : std::random_device{}();
  std::cout << "seed " << seed << " (COMANDA_PROPERTY_SEED=" << seed << " replays it)\n";
  return seed;
}

}  // namespace comanda::test_support
