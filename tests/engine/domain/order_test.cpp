// The order's rules (engine/domain/order.h): what placing and moving an
// order produces or why it is refused, decided on the domain alone.
#include "engine/domain/order.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class OrderTest : public ::testing::Test {
 protected:
  Decided decide(Call call) { return state_.decide(std::move(call)); }

  Uuid registered(RestaurantRegistered details = restaurant_details()) {
    const Uuid id = Uuid::v7();
    auto outcome = decide(register_restaurant(id, std::move(details)));
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return id;
  }

  std::string reference_of(const Decided& outcome) {
    EXPECT_TRUE(outcome.ok()) << (outcome.missing ? "missing" : outcome.error().message);
    if (!outcome.ok()) return "";
    return std::get<OrderPlaced>(outcome.event().payload).reference;
  }

  DomainState state_;
};

TEST_F(OrderTest, NumbersOrdersGaplesslyPerRestaurant) {
  const Uuid r1 = registered();
  const Uuid r2 = registered();
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r1))), "A001-000001");
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r1))), "A001-000002");
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r2))), "A001-000001");
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r1))), "A001-000003");
  EXPECT_EQ(state_.book<Order>().last_number(r1), 3u);
  EXPECT_EQ(state_.book<Order>().last_number(r2), 1u);
}

TEST_F(OrderTest, UsesTheRestaurantsSeriesAndNumberInTheReference) {
  RestaurantRegistered details = restaurant_details();
  details.series = "B7";
  const Uuid r = registered(details);
  auto outcome = decide(place_order(Uuid::v7(), r));
  EXPECT_EQ(reference_of(outcome), "B7-000001");
  EXPECT_EQ(std::get<OrderPlaced>(outcome.event().payload).number, 1u);
}

TEST_F(OrderTest, ReferencesGrowPastSixDigits) {
  const Uuid r = registered();
  // The restaurant's 999,999th order, as the log would replay it.
  Event previous;
  previous.position = state_.next_position();
  state_.set_next_position(previous.position + 1);
  previous.stream = Uuid::v7();
  previous.stream_version = 1;
  previous.partition = r;
  OrderPlaced placed;
  placed.restaurant_id = r;
  placed.number = 999'999;
  previous.payload = placed;
  state_.apply(previous);
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r))), "A001-1000000");
}

TEST_F(OrderTest, KeepsNumbersGaplessAcrossRefusedOrders) {
  const Uuid r = registered();
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r))), "A001-000001");
  PlaceOrder wrong = order_body(Uuid::v7(), r);
  wrong.claimed_total = 1;
  ASSERT_FALSE(decide(place_order(wrong)).ok());
  EXPECT_EQ(reference_of(decide(place_order(Uuid::v7(), r))), "A001-000002");
}

TEST_F(OrderTest, RefusesAnOrderAtAnUnknownRestaurant) {
  auto outcome = decide(place_order(Uuid::v7(), Uuid::v7()));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(outcome.error().field, "restaurant_id");
  EXPECT_TRUE(outcome.events.empty()) << "a refusal emits nothing";
}

TEST_F(OrderTest, RefusesAClaimedTotalThatDiffersNamingTheComputedAmount) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.claimed_total = 3600;
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "total");
  EXPECT_THAT(outcome.error().message, HasSubstr("3700"));
  EXPECT_THAT(outcome.error().message, HasSubstr("S/ 37.00"));
  EXPECT_EQ(state_.find<Order>(body.order_id), nullptr);
}

TEST_F(OrderTest, RefusesAClaimedSubtotalThatDiffers) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.claimed_subtotal = 3100;
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "subtotal");
  EXPECT_THAT(outcome.error().message, HasSubstr("3700"));
}

TEST_F(OrderTest, AcceptsClaimedTotalsThatAgree) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.tip = 200;
  body.claimed_subtotal = 3700;
  body.claimed_total = 3900;
  auto outcome = decide(place_order(body));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const OrderPlaced& placed = std::get<OrderPlaced>(outcome.event().payload);
  EXPECT_EQ(placed.totals.subtotal, 3700);
  EXPECT_EQ(placed.totals.tip, 200);
  EXPECT_EQ(placed.totals.total, 3900);
  EXPECT_EQ(placed.items.at(0).line_total, 3700);
}

TEST_F(OrderTest, PricesTheOrderWithTheRestaurantsTaxAndCurrency) {
  const Uuid r = registered(restaurant_details("ARS", {2100, false}));
  auto outcome = decide(place_order(Uuid::v7(), r));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const OrderPlaced& placed = std::get<OrderPlaced>(outcome.event().payload);
  EXPECT_EQ(placed.currency, "ARS");
  EXPECT_EQ(placed.tax, (TaxPolicy{2100, false}));
  EXPECT_EQ(placed.totals.tax, 777);  // 21 % of 3700
  EXPECT_EQ(placed.totals.total, 4477);
  EXPECT_EQ(placed.status, OrderStatus::kPending);
}

TEST_F(OrderTest, RefusesCashTenderedBelowTheTotal) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.payment = {"cash", 3699, {}};
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "payment.cash_tendered");
  EXPECT_THAT(outcome.error().message, HasSubstr("3700"));

  body.payment = {"cash", 3700, {}};
  EXPECT_TRUE(decide(place_order(body)).ok());
}

TEST_F(OrderTest, RefusesAPricingOverflowAsUnprocessable) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.items.lines[0].unit_price = INT64_MAX / 2;
  auto outcome = decide(place_order(body));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(outcome.error().field, "items[0].quantity");
}

TEST_F(OrderTest, RefusesADuplicateRestaurantOrOrderId) {
  const Uuid r = registered();
  auto again = decide(register_restaurant(r));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);

  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  auto duplicate = decide(place_order(order, r));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_EQ(state_.book<Order>().last_number(r), 1u);
}

TEST_F(OrderTest, ChangesStatusAndBumpsTheVersion) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  auto outcome = decide(change_status(order, "aceptado", owner(), 1));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome.event().stream, order);
  EXPECT_EQ(outcome.event().stream_version, 2u);
  const auto& changed = std::get<OrderStatusChanged>(state_.events().back().payload);
  EXPECT_EQ(changed.from, OrderStatus::kPending);
  EXPECT_EQ(changed.to, OrderStatus::kAccepted);
  EXPECT_EQ(state_.find<Order>(order)->status, OrderStatus::kAccepted);
  EXPECT_EQ(state_.find<Order>(order)->version, 2u);
  EXPECT_EQ(state_.events().back().partition, r);
}

TEST_F(OrderTest, RefusesAStatusChangeWithAStaleExpectedVersion) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  auto outcome = decide(change_status(order, "accepted", owner(), 2));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kVersionMismatch);
  EXPECT_TRUE(outcome.events.empty()) << "a refusal emits nothing";
  EXPECT_EQ(state_.find<Order>(order)->version, 1u);
  EXPECT_EQ(state_.find<Order>(order)->status, OrderStatus::kPending);
}

TEST_F(OrderTest, RefusesARefusedTransitionListingTheAllowedSteps) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  ASSERT_TRUE(decide(change_status(order, "ready")).ok());
  auto outcome = decide(change_status(order, "accepted"));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kConflict);
  EXPECT_EQ(outcome.error().field, "status");
  ASSERT_TRUE(outcome.error().allowed);
  EXPECT_THAT(*outcome.error().allowed, Contains("awaiting_driver"));
  EXPECT_THAT(*outcome.error().allowed, Contains("cancelled"));
  EXPECT_THAT(*outcome.error().allowed, Not(Contains("accepted")));
  EXPECT_THAT(*outcome.error().allowed, Not(Contains("rejected")));
  EXPECT_EQ(state_.find<Order>(order)->status, OrderStatus::kReady);
}

TEST_F(OrderTest, SaysWhenAStatusIsOfAnotherFulfillmentType) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r, FulfillmentType::kPickup);
  ASSERT_TRUE(decide(place_order(body)).ok());
  auto outcome = decide(change_status(body.order_id, "delivered"));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kConflict);
  EXPECT_THAT(outcome.error().message, HasSubstr("delivered does not apply to a pickup order"));
  ASSERT_TRUE(outcome.error().allowed);
  EXPECT_THAT(*outcome.error().allowed, Contains("picked_up_by_customer"));
}

TEST_F(OrderTest, NobodyAssignsADriverByABareStatus) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  for (const Principal& who : {owner(), admin()}) {
    auto outcome = decide(change_status(order, "driver_assigned", who));
    ASSERT_FALSE(outcome.ok()) << who.subject;
    EXPECT_EQ(outcome.error().code, ErrorCode::kForbidden);
    EXPECT_THAT(outcome.error().message, HasSubstr("accept-delivery"));
    auto by_code = decide(change_status(order, "8", who));
    EXPECT_EQ(by_code.error().code, ErrorCode::kForbidden) << "code 8 is driver_assigned";
  }
}

TEST_F(OrderTest, RefusesAnyStepFromATerminalStatusWithNothingAllowed) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  ASSERT_TRUE(decide(change_status(order, "entregado")).ok());
  auto outcome = decide(change_status(order, "preparing"));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(outcome.error().allowed) << "a refused step always lists what is allowed";
  EXPECT_TRUE(outcome.error().allowed->empty());
}

TEST_F(OrderTest, ResolvesCompletionByTheOrdersFulfillment) {
  const Uuid r = registered();
  PlaceOrder body = order_body(Uuid::v7(), r, FulfillmentType::kEatIn);
  ASSERT_TRUE(decide(place_order(body)).ok());
  ASSERT_TRUE(decide(change_status(body.order_id, "COMPLETADO")).ok());
  EXPECT_EQ(state_.find<Order>(body.order_id)->status, OrderStatus::kCompleted);
}

TEST_F(OrderTest, RefusesAnUnknownStatusOrOrder) {
  const Uuid r = registered();
  const Uuid order = Uuid::v7();
  ASSERT_TRUE(decide(place_order(order, r)).ok());
  auto unknown_status = decide(change_status(order, "flying"));
  ASSERT_FALSE(unknown_status.ok());
  EXPECT_EQ(unknown_status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown_status.error().field, "status");

  // An order not in memory may be absent or may have left memory: the engine
  // cannot tell without disk, so it asks the caller to load it.
  const Uuid elsewhere = Uuid::v7();
  auto unknown_order = decide(change_status(elsewhere, "accepted"));
  ASSERT_FALSE(unknown_order.ok());
  EXPECT_EQ(unknown_order.missing, elsewhere);
}

}  // namespace
