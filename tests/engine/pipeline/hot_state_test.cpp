// The hot state (engine/pipeline/hot_state.h): how the pipeline stamps the
// events of a batch, and that loading from the log rebuilds the same state.
#include "engine/pipeline/hot_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

constexpr int64_t kNow = 1'795'000'000'000'000;

class HotStateTest : public ::testing::Test {
 protected:
  // Decides one command as a batch of its own, keeping the events.
  CommandOutcome decide(Command command) {
    const size_t before = events_.size();
    const uint64_t next = ctx_.next_position;
    CommandOutcome outcome = state_.decide(command, ctx_, events_);
    if (!outcome.ok()) {
      EXPECT_EQ(events_.size(), before) << "a refused command produced events";
      EXPECT_EQ(ctx_.next_position, next) << "a refused command consumed a position";
    }
    return outcome;
  }

  Uuid registered(RestaurantRegistered details = restaurant_details()) {
    const Uuid id = Uuid::v7();
    auto outcome = decide(register_restaurant(id, std::move(details)));
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return id;
  }

  HotState state_;
  BatchContext ctx_{kNow, 1};
  std::vector<Event> events_;
};

TEST_F(HotStateTest, StampsEventsWithThePrincipalTheBatchTimeAndDensePositions) {
  ctx_ = {kNow + 5, 41};
  const Uuid r = Uuid::v7();
  Command reg = register_restaurant(r);
  ASSERT_TRUE(decide(reg).ok());
  Command place = place_order(Uuid::v7(), r, {"u-owner-1", Role::kOwner});
  auto outcome = decide(place);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->position, 42u);
  EXPECT_EQ(ctx_.next_position, 43u);

  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[0].position, 41u);
  EXPECT_EQ(events_[0].stream, r);
  EXPECT_EQ(events_[0].partition, r);
  EXPECT_EQ(events_[0].stream_version, 1u);
  EXPECT_EQ(events_[0].actor, reg.principal);
  EXPECT_EQ(events_[0].correlation_id, reg.correlation_id);

  const Event& e = events_[1];
  EXPECT_EQ(e.position, 42u);
  EXPECT_EQ(e.stream, std::get<PlaceOrder>(place.body).order_id);
  EXPECT_EQ(e.partition, r);
  EXPECT_EQ(e.stream_version, 1u);
  EXPECT_EQ(e.recorded_at_us, kNow + 5);
  EXPECT_EQ(e.actor, (Principal{"u-owner-1", Role::kOwner}));
  EXPECT_EQ(e.correlation_id, place.correlation_id);
  EXPECT_EQ(state_.last_recorded_at_us(), kNow + 5);
}

TEST_F(HotStateTest, RebuildsTheSameDecisionsWhenLoadedFromTheLog) {
  const Uuid r = registered();
  const Uuid first = Uuid::v7(), second = Uuid::v7();
  ASSERT_TRUE(decide(place_order(first, r)).ok());
  ASSERT_TRUE(decide(place_order(second, r)).ok());
  ASSERT_TRUE(decide(change_status(first, "accepted")).ok());

  TempDir dir;
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok()) << log.error().message;
  ASSERT_TRUE((*log)->append(events_).ok());

  HotState loaded;
  std::vector<Event> seen;  // what a caller rebuilding read models in the same pass gets
  ASSERT_TRUE(loaded.load(**log, std::nullopt, [&](const Event& e) { seen.push_back(e); }).ok());
  EXPECT_EQ(seen, events_);
  EXPECT_EQ(loaded.last_recorded_at_us(), kNow);
  ASSERT_NE(loaded.find<Restaurant>(r), nullptr);
  EXPECT_EQ(loaded.book<Order>().last_number(r), 2u);
  EXPECT_EQ(loaded.find<Restaurant>(r)->details.series, "A001");
  ASSERT_NE(loaded.find<Order>(first), nullptr);
  EXPECT_EQ(loaded.find<Order>(first)->status, OrderStatus::kAccepted);
  EXPECT_EQ(loaded.find<Order>(first)->version, 2u);
  EXPECT_EQ(loaded.find<Order>(second)->version, 1u);

  // The loaded state decides exactly as the original does.
  BatchContext ctx{kNow + 1, (*log)->last_position() + 1};
  std::vector<Event> out;
  auto next = loaded.decide(place_order(Uuid::v7(), r), ctx, out);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(std::get<OrderPlaced>(out.back().payload).reference, "A001-000003");
  EXPECT_EQ(next->position, 5u);

  auto stale = loaded.decide(change_status(first, "ready", owner(), 1), ctx, out);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kVersionMismatch);
  auto fresh = loaded.decide(change_status(first, "ready", owner(), 2), ctx, out);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(fresh->stream_version, 3u);
}

TEST_F(HotStateTest, LoadReplacesWhateverStateWasThere) {
  const Uuid r = registered();
  ASSERT_TRUE(decide(place_order(Uuid::v7(), r)).ok());
  TempDir dir;
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE(state_.load(**log).ok());  // an empty log
  EXPECT_EQ(state_.find<Restaurant>(r), nullptr);
  EXPECT_EQ(state_.last_recorded_at_us(), 0);
}

}  // namespace
