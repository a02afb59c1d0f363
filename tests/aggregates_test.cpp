// The decision rules (engine/aggregates.h): what each command produces or why
// it is refused, and that loading from the log rebuilds the same state.
#include "engine/pipeline/aggregates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "tests/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kNow = 1'795'000'000'000'000;

class AggregatesTest : public ::testing::Test {
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

  const OrderPlaced& placed_at(uint64_t position) {
    return std::get<OrderPlaced>(events_.at(position - 1).payload);
  }

  std::string reference_of(const CommandOutcome& outcome) {
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    if (!outcome.ok()) return "";
    return placed_at(outcome->position).reference;
  }

  Aggregates state_;
  BatchContext ctx_{kNow, 1};
  std::vector<Event> events_;
};

TEST_F(AggregatesTest, NumbersOrdersGaplesslyPerRestaurant) {
  const Uuid r1 = registered();
  const Uuid r2 = registered();
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r1))), "A001-000001");
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r1))), "A001-000002");
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r2))), "A001-000001");
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r1))), "A001-000003");
  EXPECT_EQ(state_.restaurant(r1)->last_order_number, 3u);
  EXPECT_EQ(state_.restaurant(r2)->last_order_number, 1u);
}

TEST_F(AggregatesTest, UsesTheRestaurantsSeriesAndNumberInTheReference) {
  RestaurantRegistered details = restaurant_details();
  details.series = "B7";
  const Uuid r = registered(details);
  auto outcome = decide(place_order(Uuid::v7(), r));
  EXPECT_EQ(reference_of(outcome), "B7-000001");
  EXPECT_EQ(placed_at(outcome->position).number, 1u);
}

TEST_F(AggregatesTest, ReferencesGrowPastSixDigits) {
  const Uuid r = registered();
  // The restaurant's 999,999th order, as the log would replay it.
  Event previous;
  previous.position = ctx_.next_position++;
  previous.stream = Uuid::v7();
  previous.stream_version = 1;
  previous.partition = r;
  OrderPlaced placed;
  placed.restaurant_id = r;
  placed.number = 999'999;
  previous.payload = placed;
  state_.apply(previous);
  events_.push_back(previous);
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r))), "A001-1000000");
}

TEST_F(AggregatesTest, KeepsNumbersGaplessAcrossRefusedOrders) {
  const Uuid r = registered();
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r))), "A001-000001");
  PlaceOrder wrong = order_body(Uuid::v7(), r);
  wrong.claimed_total = 1;
  ASSERT_FALSE(decide(place_order(wrong)).ok());
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r))), "A001-000002");
}

TEST_F(AggregatesTest, RefusesAnOrderAtAnUnknownRestaurant) {
  auto outcome = decide(place_order(Uuid::v7(), Uuid::v7()));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(outcome.error().field, "restaurant_id");
  EXPECT_TRUE(events_.empty());
}

TEST_F(AggregatesTest, RefusesAClaimedTotalThatDiffersNamingTheComputedAmount) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.claimed_total = 3600;
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "total");
  EXPECT_THAT(outcome.error().message, HasSubstr("3700"));
  EXPECT_THAT(outcome.error().message, HasSubstr("S/ 37.00"));
  EXPECT_EQ(state_.order(body.order_id), nullptr);
}

TEST_F(AggregatesTest, RefusesAClaimedSubtotalThatDiffers) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.claimed_subtotal = 3100;
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "subtotal");
  EXPECT_THAT(outcome.error().message, HasSubstr("3700"));
}

TEST_F(AggregatesTest, AcceptsClaimedTotalsThatAgree) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.tip = 200;
  body.claimed_subtotal = 3700;
  body.claimed_total = 3900;
  auto outcome = decide(place_order(body));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const OrderPlaced& placed = placed_at(outcome->position);
  EXPECT_EQ(placed.totals.subtotal, 3700);
  EXPECT_EQ(placed.totals.tip, 200);
  EXPECT_EQ(placed.totals.total, 3900);
  EXPECT_EQ(placed.items.at(0).line_total, 3700);
}

TEST_F(AggregatesTest, PricesTheOrderWithTheRestaurantsTaxAndCurrency) {
  const Uuid r = registered(restaurant_details("ARS", {2100, false}));
  auto outcome = decide(place_order(Uuid::v7(), r));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const OrderPlaced& placed = placed_at(outcome->position);
  EXPECT_EQ(placed.currency, "ARS");
  EXPECT_EQ(placed.tax, (TaxPolicy{2100, false}));
  EXPECT_EQ(placed.totals.tax, 777);  // 21 % of 3700
  EXPECT_EQ(placed.totals.total, 4477);
  EXPECT_EQ(placed.status, OrderStatus::kPending);
}

TEST_F(AggregatesTest, RefusesCashTenderedBelowTheTotal) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.payment = {"cash", 3699};
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "payment.cash_tendered");
  EXPECT_THAT(outcome.error().message, HasSubstr("3700"));

  body.payment = {"cash", 3700};
  EXPECT_TRUE(decide(place_order(body)).ok());
}

TEST_F(AggregatesTest, RefusesAPricingOverflowAsUnprocessable) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.items[0].unit_price = INT64_MAX / 2;
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "items[0].quantity");
}

TEST_F(AggregatesTest, RefusesADuplicateRestaurantOrOrderId) {
  const Uuid r = registered();
  auto again = decide(register_restaurant(r));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);

  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  auto duplicate = decide(place_order(order, r));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_EQ(state_.restaurant(r)->last_order_number, 1u);
}

TEST_F(AggregatesTest, ChangesStatusAndBumpsTheVersion) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  auto outcome = decide(change_status(order, "aceptado", owner(), 1));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->stream, order);
  EXPECT_EQ(outcome->stream_version, 2u);
  const auto& changed = std::get<OrderStatusChanged>(events_.back().payload);
  EXPECT_EQ(changed.from, OrderStatus::kPending);
  EXPECT_EQ(changed.to, OrderStatus::kAccepted);
  EXPECT_EQ(state_.order(order)->status, OrderStatus::kAccepted);
  EXPECT_EQ(state_.order(order)->version, 2u);
  EXPECT_EQ(events_.back().partition, r);
}

TEST_F(AggregatesTest, RefusesAStatusChangeWithAStaleExpectedVersion) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  const size_t before = events_.size();
  auto outcome = decide(change_status(order, "accepted", owner(), 2));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kVersionMismatch);
  EXPECT_EQ(events_.size(), before);
  EXPECT_EQ(state_.order(order)->version, 1u);
  EXPECT_EQ(state_.order(order)->status, OrderStatus::kPending);
}

TEST_F(AggregatesTest, RefusesARefusedTransitionListingTheAllowedSteps) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  ASSERT_TRUE(decide(change_status(order, "ready")).ok());
  auto outcome = decide(change_status(order, "accepted"));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kConflict);
  EXPECT_EQ(outcome.error().field, "status");
  EXPECT_THAT(outcome.error().allowed, Contains("awaiting_driver"));
  EXPECT_THAT(outcome.error().allowed, Contains("cancelled"));
  EXPECT_THAT(outcome.error().allowed, Not(Contains("accepted")));
  EXPECT_THAT(outcome.error().allowed, Not(Contains("rejected")));
  EXPECT_EQ(state_.order(order)->status, OrderStatus::kReady);
}

TEST_F(AggregatesTest, RefusesAnyStepFromATerminalStatusWithNothingAllowed) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  ASSERT_TRUE(decide(change_status(order, "entregado")).ok());
  auto outcome = decide(change_status(order, "preparing"));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(outcome.error().allowed.empty());
}

TEST_F(AggregatesTest, ResolvesCompletionByTheOrdersFulfillment) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r, FulfillmentType::kEatIn);
  ASSERT_TRUE(decide(place_order(body)).ok());
  ASSERT_TRUE(decide(change_status(body.order_id, "COMPLETADO")).ok());
  EXPECT_EQ(state_.order(body.order_id)->status, OrderStatus::kCompleted);
}

TEST_F(AggregatesTest, RefusesAnUnknownStatusOrOrder) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  auto unknown_status = decide(change_status(order, "flying"));
  ASSERT_FALSE(unknown_status.ok());
  EXPECT_EQ(unknown_status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown_status.error().field, "status");

  // An order not in memory may be absent or may have left memory: the engine
  // cannot tell without disk, so it asks the caller to load it.
  auto unknown_order = decide(change_status(Uuid::v7(), "accepted"));
  ASSERT_FALSE(unknown_order.ok());
  EXPECT_EQ(unknown_order.error().code, ErrorCode::kNotLoaded);
}

TEST_F(AggregatesTest, StampsEventsWithThePrincipalTheBatchTimeAndDensePositions) {
  ctx_ = {kNow + 5, 41};
  const Uuid r = Uuid::v7();
  Command reg = register_restaurant(r);
  ASSERT_TRUE(decide(reg).ok());
  Command place = place_order(Uuid::v7(), r, {"u-cust-1", Role::kCustomer});
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
  EXPECT_EQ(e.actor, (Principal{"u-cust-1", Role::kCustomer}));
  EXPECT_EQ(e.correlation_id, place.correlation_id);
  EXPECT_EQ(state_.last_recorded_at_us(), kNow + 5);
}

TEST_F(AggregatesTest, RebuildsTheSameDecisionsWhenLoadedFromTheLog) {
  const Uuid r = registered();
  const Uuid first = Uuid::v7(), second = Uuid::v7();
  ASSERT_TRUE(decide(place_order(first, r)).ok());
  ASSERT_TRUE(decide(place_order(second, r)).ok());
  ASSERT_TRUE(decide(change_status(first, "accepted")).ok());

  TempDir dir;
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok()) << log.error().message;
  ASSERT_TRUE((*log)->append(events_).ok());

  Aggregates loaded;
  std::vector<Event> seen;  // what a caller rebuilding read models in the same pass gets
  ASSERT_TRUE(loaded.load(**log, std::nullopt, [&](const Event& e) { seen.push_back(e); }).ok());
  EXPECT_EQ(seen, events_);
  EXPECT_EQ(loaded.last_recorded_at_us(), kNow);
  ASSERT_NE(loaded.restaurant(r), nullptr);
  EXPECT_EQ(loaded.restaurant(r)->last_order_number, 2u);
  EXPECT_EQ(loaded.restaurant(r)->series, "A001");
  ASSERT_NE(loaded.order(first), nullptr);
  EXPECT_EQ(loaded.order(first)->status, OrderStatus::kAccepted);
  EXPECT_EQ(loaded.order(first)->version, 2u);
  EXPECT_EQ(loaded.order(second)->version, 1u);

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

TEST_F(AggregatesTest, LoadReplacesWhateverStateWasThere) {
  const Uuid r = registered();
  ASSERT_TRUE(decide(place_order(Uuid::v7(), r)).ok());
  TempDir dir;
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE(state_.load(**log).ok());  // an empty log
  EXPECT_EQ(state_.restaurant(r), nullptr);
  EXPECT_EQ(state_.last_recorded_at_us(), 0);
}

}  // namespace
