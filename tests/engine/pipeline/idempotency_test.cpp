// Idempotency keys (engine/pipeline/hot_state.h, engine/log/event_log.h): a repeat
// returns the first result and appends nothing, also after a restart; a
// reuse for another request is a conflict; keys expire after the window.
#include <gtest/gtest.h>

#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

constexpr int64_t kHour = int64_t{3600} * 1'000'000;

class IdempotencyTest : public DecidingTest {
 protected:
  Command keyed_order(const std::string& key, uint64_t hash) {
    Command c = place_order(Uuid::v7(), restaurant_);
    c.idempotency_scope = "customer:u-cust-1|POST /v1/orders|" + key;
    c.request_hash = hash;
    return c;
  }
};

TEST_F(IdempotencyTest, ARepeatReturnsTheFirstResultAndAppendsNothing) {
  auto first = commit(keyed_order("k1", 42), kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  const uint64_t last = log_->last_position();
  // The repeat mints a new order id, as a retrying client's request would.
  auto again = commit(keyed_order("k1", 42), kNow + 1000);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->stream, first->stream);
  EXPECT_EQ(again->position, first->position);
  EXPECT_EQ(log_->last_position(), last);
}

TEST_F(IdempotencyTest, AKeyReusedForAnotherRequestIsAConflict) {
  ASSERT_TRUE(commit(keyed_order("k1", 42), kNow).ok());
  auto reused = commit(keyed_order("k1", 43), kNow);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(reused.error().field, "Idempotency-Key");
}

TEST_F(IdempotencyTest, KeysAreScopedToThePrincipalAndRoute) {
  auto mine = commit(keyed_order("k1", 42), kNow);
  Command theirs = keyed_order("k1", 42);
  theirs.idempotency_scope = "customer:u-cust-2|POST /v1/orders|k1";
  auto other = commit(theirs, kNow);
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->replayed);
  EXPECT_NE(other->stream, mine->stream);
}

TEST_F(IdempotencyTest, RepeatsAreRecognisedAfterARestart) {
  auto first = commit(keyed_order("k1", 42), kNow);
  ASSERT_TRUE(first.ok());
  log_.reset();
  auto reopened = EventLog::open(dir_.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(reopened.ok());
  log_ = std::move(reopened).value();
  state_ = HotState({24 * kHour});
  ASSERT_TRUE(state_.load(*log_, kNow + kHour).ok());
  auto again = commit(keyed_order("k1", 42), kNow + kHour);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->stream, first->stream);
}

TEST_F(IdempotencyTest, KeysExpireAfterTheWindow) {
  auto first = commit(keyed_order("k1", 42), kNow);
  ASSERT_TRUE(first.ok());
  auto later = commit(keyed_order("k1", 42), kNow + 25 * kHour);
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->replayed) << "a key older than the window is forgotten";
  EXPECT_NE(later->stream, first->stream);

  // Stored records outside the window are not loaded, and can be removed.
  HotState fresh({24 * kHour});
  ASSERT_TRUE(fresh.load(*log_, kNow + 50 * kHour).ok());
  // Decided at a time when the second record would still be in its window:
  // only load()'s own filter keeps it out.
  std::vector<Event> events;
  BatchContext ctx{kNow + 25 * kHour + 1000, log_->last_position() + 1};
  auto after_restart = fresh.decide(keyed_order("k1", 42), ctx, events);
  ASSERT_TRUE(after_restart.ok()) << after_restart.error().message;
  EXPECT_FALSE(after_restart->replayed) << "a record outside the window was loaded";
  ASSERT_TRUE(log_->expire_idempotency(kNow + 26 * kHour - 24 * kHour).ok());
  size_t stored = 0;
  ASSERT_TRUE(log_->scan_idempotency([&](const IdempotencyRecord&) {
                    ++stored;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(stored, 1u) << "only the later record is inside the window";
}

TEST_F(IdempotencyTest, RefusedCommandsAreNotRecorded) {
  Command refused = keyed_order("k1", 42);
  std::get<PlaceOrder>(refused.body).restaurant_id = Uuid::v7();  // absent: 404
  ASSERT_FALSE(commit(refused, kNow).ok());
  auto retried = commit(keyed_order("k1", 42), kNow);
  ASSERT_TRUE(retried.ok());
  EXPECT_FALSE(retried->replayed);
}

}  // namespace
