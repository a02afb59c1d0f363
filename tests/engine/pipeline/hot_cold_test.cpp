// Hot and cold orders (engine/pipeline/hot_state.h): finished orders leave
// the sequencer's memory after the hot window once committed; a command on
// such an order carries its stream loaded from the log and is decided as
// usual.
#include <gtest/gtest.h>

#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

constexpr int64_t kMinute = int64_t{60} * 1'000'000;

class HotColdTest : public DecidingTest {
 protected:
  // An order placed and delivered at kNow.
  Uuid delivered_order() {
    const Uuid id = Uuid::v7();
    EXPECT_TRUE(commit(place_order(id, restaurant_, owner()), kNow).ok());
    EXPECT_TRUE(commit(change_status(id, "delivered", owner()), kNow).ok());
    return id;
  }
};

TEST_F(HotColdTest, FinishedOrdersLeaveMemoryAfterTheWindowOnceCommitted) {
  const Uuid done = delivered_order();
  const Uuid live = Uuid::v7();
  ASSERT_TRUE(commit(place_order(live, restaurant_, owner()), kNow).ok());

  state_.evict_finished(kNow + 14 * kMinute, log_->last_position());
  EXPECT_NE(state_.find<Order>(done), nullptr) << "still inside the window";
  state_.evict_finished(kNow + 16 * kMinute, /*committed=*/2);
  EXPECT_NE(state_.find<Order>(done), nullptr) << "its last event is not committed yet";
  state_.evict_finished(kNow + 16 * kMinute, log_->last_position());
  EXPECT_EQ(state_.find<Order>(done), nullptr);
  EXPECT_NE(state_.find<Order>(live), nullptr) << "live orders stay in memory";
}

TEST_F(HotColdTest, ACommandOnAColdOrderIsDecidedOnItsStateLoadedFromTheLog) {
  const Uuid done = delivered_order();
  state_.evict_finished(kNow + 16 * kMinute, log_->last_position());
  ASSERT_EQ(state_.find<Order>(done), nullptr);

  Command again = change_status(done, "cancelled", owner());
  auto not_loaded = commit(again, kNow + 16 * kMinute);
  ASSERT_FALSE(not_loaded.ok());
  EXPECT_EQ(not_loaded.needs_load(), done);

  auto loaded = HotState::load_stream(*log_, done);
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->events.size(), 2u);
  EXPECT_EQ(std::get<OrderStatusChanged>(loaded->events.back().payload).to,
            OrderStatus::kDelivered);
  EXPECT_EQ(loaded->events.back().stream_version, 2u);
  again.cold = {*loaded};
  auto refused = commit(again, kNow + 16 * kMinute);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict) << "a delivered order cannot be cancelled";
  EXPECT_EQ(state_.find<Order>(done), nullptr) << "a refusal leaves the state as it was";

  Command stale = change_status(done, "cancelled", owner(), /*expected_version=*/1);
  stale.cold = {*loaded};
  auto mismatch = commit(stale, kNow + 16 * kMinute);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, ErrorCode::kVersionMismatch);
  EXPECT_EQ(state_.find<Order>(done), nullptr);
}

TEST_F(HotColdTest, MemoryIsNewerThanAnAttachedState) {
  const Uuid id = Uuid::v7();
  ASSERT_TRUE(commit(place_order(id, restaurant_, owner()), kNow).ok());
  auto loaded = HotState::load_stream(*log_, id);
  ASSERT_TRUE(loaded.ok() && !loaded->events.empty());
  ASSERT_TRUE(commit(change_status(id, "accepted", owner()), kNow).ok());
  // A command that loaded the order before it changed brings version 1; the
  // order is in memory at version 2, which wins.
  Command late = change_status(id, "preparing", owner());
  late.cold = {*loaded};
  auto outcome = commit(late, kNow);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->stream_version, 3u);
}

TEST_F(HotColdTest, AnOrderNeverPlacedLoadsAsNothing) {
  auto loaded = HotState::load_stream(*log_, Uuid::v7());
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->events.empty());
}

TEST_F(HotColdTest, AnOrderTheLogDoesNotHaveIsRefusedAsAbsentOnceLoaded) {
  const Uuid never = Uuid::v7();
  Command step = change_status(never, "accepted", owner());
  EXPECT_EQ(commit(step, kNow).needs_load(), never);
  auto loaded = HotState::load_stream(*log_, never);
  ASSERT_TRUE(loaded.ok());
  step.cold = {*loaded};
  auto refused = commit(step, kNow);
  ASSERT_FALSE(refused.ok());
  ASSERT_FALSE(refused.needs_load());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
}

TEST_F(HotColdTest, LoadingAtStartKeepsOnlyRecentlyFinishedOrders) {
  const Uuid done = delivered_order();
  HotState at_start({int64_t{24} * 60 * kMinute, 15 * kMinute});
  ASSERT_TRUE(at_start.load(*log_, kNow + 20 * kMinute).ok());
  EXPECT_EQ(at_start.find<Order>(done), nullptr);
  HotState soon_after({int64_t{24} * 60 * kMinute, 15 * kMinute});
  ASSERT_TRUE(soon_after.load(*log_, kNow + 5 * kMinute).ok());
  EXPECT_NE(soon_after.find<Order>(done), nullptr);
}

}  // namespace
