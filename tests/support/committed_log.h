// A log with every read model applied batch by batch, as a node runs them:
// commands are decided against the hot state, written to a real log in a
// temporary directory and applied to the models. For the tests of the read
// models and their snapshot.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "tests/support/models_under_test.h"

namespace comanda::test_support {

struct CommittedLog {
  explicit CommittedLog(const std::filesystem::path& dir) {
    auto opened = engine::EventLog::open(dir, {engine::Durability::kAsync, false});
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    log = std::move(opened).value();
  }

  // Decides `commands` as one batch recorded at `now` (which then moves on a
  // millisecond), writes it and applies it to the models.
  std::vector<engine::CommandOutcome> commit_batch(std::vector<engine::Command> commands) {
    engine::BatchContext ctx{now += 1000, log->last_position() + 1};
    std::vector<engine::Event> events;
    std::vector<engine::CommandOutcome> outcomes;
    for (engine::Command& c : commands) outcomes.push_back(state.decide(c, ctx, events));
    EXPECT_TRUE(log->append(events).ok());
    if (!events.empty()) models.apply(events);
    return outcomes;
  }
  engine::CommandOutcome commit(engine::Command command) {
    std::vector<engine::Command> one;
    one.push_back(std::move(command));
    return commit_batch(std::move(one)).front();
  }

  std::unique_ptr<engine::EventLog> log;
  engine::HotState state;
  ModelsUnderTest models;
  int64_t now = 1'795'000'000'000'000;
};

}  // namespace comanda::test_support
