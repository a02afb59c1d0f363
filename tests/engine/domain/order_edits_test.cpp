// Changes to a placed order (engine/domain/order_edits.cpp): edits while
// pending, line fulfilment, archiving and deleting, and who may do each.
#include <gtest/gtest.h>

#include "engine/domain/order.h"
#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

LineSpec menu_line(std::string sku, uint32_t quantity) { return {std::move(sku), quantity}; }

class OrderEditsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RestaurantRegistered details = restaurant_details();  // PEN, 18 % included
    details.settings.delivery_fee = 500;
    ASSERT_TRUE(state_.decide(register_restaurant(restaurant_, details)).ok());
    ASSERT_TRUE(state_.decide(replace_menu(restaurant_)).ok());
    // The customer's pickup order: 2 burgers (3100) and a tip of 200.
    PlaceOrder body = order_body(order_, restaurant_, FulfillmentType::kPickup);
    body.items = lines({menu_line("BURGER", 2)});
    body.tip = 200;
    auto placed = state_.decide(place_order(body, customer()));
    ASSERT_TRUE(placed.ok()) << placed.error().message;
  }

  template <class C>
  Decided run(C command, Principal who = customer(), std::optional<uint64_t> version = {}) {
    if constexpr (requires { validate(command); })
      if (Status valid = validate(command); !valid.ok()) return {valid, std::nullopt, {}};
    return state_.decide({std::move(who), std::move(command), version});
  }
  Decided patch(OrderPatch p, Principal who = customer(), std::optional<uint64_t> version = {}) {
    return run(ChangeOrder{order_, std::move(p)}, std::move(who), version);
  }
  const OrderState& order() const { return *state_.find<Order>(order_); }
  Decided to_status(const char* status, Principal who = owner()) {
    return run(ChangeOrderStatus{order_, status, ""}, std::move(who));
  }

  const Uuid restaurant_ = Uuid::v7();
  const Uuid order_ = Uuid::v7();
  DomainState state_;
};

TEST_F(OrderEditsTest, APatchRepricesTheOrder) {
  OrderPatch p;
  p.tip = 500;
  auto tipped = patch(p);
  ASSERT_TRUE(tipped.ok()) << tipped.error().message;
  const auto& changed = std::get<OrderChanged>(tipped.event().payload);
  EXPECT_EQ(changed.totals.subtotal, 3100);  // the lines as they were
  EXPECT_EQ(changed.totals.total, 3600);
  EXPECT_FALSE(changed.items.has_value());
  EXPECT_EQ(order().version, 2u);

  OrderPatch more;
  more.items = lines({menu_line("BURGER", 1), menu_line("SODA", 2)});
  auto repriced = patch(more);
  ASSERT_TRUE(repriced.ok()) << repriced.error().message;
  const auto& lines = std::get<OrderChanged>(repriced.event().payload);
  ASSERT_TRUE(lines.items.has_value());
  EXPECT_EQ(lines.items->at(1).unit_price, 500);  // the menu's
  EXPECT_EQ(lines.totals.subtotal, 1550 + 1000);
  EXPECT_EQ(lines.totals.total, 2550 + 500);  // the tip of the last change stays
  EXPECT_EQ(order().line_quantities.size(), 2u);
}

TEST_F(OrderEditsTest, ChangingToDeliveryAddsTheRestaurantsFee) {
  OrderPatch p;
  p.fulfillment = Fulfillment{FulfillmentType::kDelivery, "Calle 1 234", std::nullopt};
  auto outcome = patch(p);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const Totals& t = std::get<OrderChanged>(outcome.event().payload).totals;
  EXPECT_EQ(t.delivery_fee, 500);
  EXPECT_EQ(t.total, 3100 + 500 + 200);
  EXPECT_EQ(order().fulfillment, FulfillmentType::kDelivery);
  p.fulfillment->address = "";  // a delivery needs an address
  EXPECT_EQ(patch(p).error().field, "fulfillment.address");
}

TEST_F(OrderEditsTest, DiscountsAreTheRestaurantsToGive) {
  OrderPatch p;
  p.discount = 600;
  auto refused = patch(p);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(refused.error().field, "discount");
  auto given = patch(p, owner());
  ASSERT_TRUE(given.ok()) << given.error().message;
  EXPECT_EQ(std::get<OrderChanged>(given.event().payload).totals.total, 3100 - 600 + 200);
  p.discount = 3101;
  EXPECT_EQ(patch(p, owner()).error().field, "discount");  // beyond the subtotal
}

TEST_F(OrderEditsTest, CashTenderedMustStillCoverTheTotal) {
  OrderPatch cash;
  cash.payment = Payment{"cash", 3300, {}};
  ASSERT_TRUE(patch(cash).ok());
  OrderPatch bigger_tip;
  bigger_tip.tip = 1000;
  auto refused = patch(bigger_tip);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "payment.cash_tendered");
}

TEST_F(OrderEditsTest, TheCustomersAccountCannotChange) {
  OrderPatch p;
  p.customer = Customer{"u-cust-2", "Otra", "", "", ""};
  EXPECT_EQ(patch(p, owner()).error().field, "customer.id");
  p.customer->id = "";  // the order's account stays
  auto renamed = patch(p);
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  EXPECT_EQ(std::get<OrderChanged>(renamed.event().payload).customer->id, "u-cust-1");
}

TEST_F(OrderEditsTest, OnlyWhilePendingAndAtTheExpectedVersion) {
  OrderPatch p;
  p.notes = "sin sal";
  EXPECT_EQ(patch(p, customer(), 7).error().code, ErrorCode::kVersionMismatch);
  ASSERT_TRUE(to_status("accepted").ok());
  auto late = patch(p);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  auto stranger = patch(p, customer("u-cust-2"));
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);
}

TEST_F(OrderEditsTest, AnEmptyPatchRecordsNothing) {
  auto outcome = patch({});
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome.events.empty());
  EXPECT_EQ(order().version, 1u);
}

TEST_F(OrderEditsTest, APutReplacesTheOrderKeepingItsReferenceAndRestaurant) {
  PlaceOrder whole = order_body(Uuid::v7(), restaurant_, FulfillmentType::kEatIn);
  whole.items = lines({menu_line("SODA", 3)});
  auto replaced = run(ReplaceOrder{order_, whole});
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  const auto& r = std::get<OrderReplaced>(replaced.event().payload);
  EXPECT_EQ(r.totals.total, 1500);
  EXPECT_EQ(r.fulfillment.type, FulfillmentType::kEatIn);
  EXPECT_EQ(replaced.event().stream, order_);
  whole.restaurant_id = Uuid::v7();
  EXPECT_EQ(run(ReplaceOrder{order_, whole}).error().field, "restaurant_id");
}

TEST_F(OrderEditsTest, TheKitchenMarksLinesMade) {
  EXPECT_EQ(run(FulfillLine{order_, 0, 1}, owner()).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(to_status("accepted").ok());
  auto made = run(FulfillLine{order_, 0, 1}, owner());
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(std::get<OrderLineFulfilled>(made.event().payload), (OrderLineFulfilled{0, 1}));
  EXPECT_EQ(run(FulfillLine{order_, 0, 3}, owner()).error().field, "quantity");
  EXPECT_EQ(run(FulfillLine{order_, 1, 1}, owner()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(run(FulfillLine{order_, 0, 2}, customer()).error().code, ErrorCode::kForbidden);
  ASSERT_TRUE(to_status("cancelled").ok());
  EXPECT_EQ(run(FulfillLine{order_, 0, 2}, owner()).error().code, ErrorCode::kConflict);
}

TEST_F(OrderEditsTest, OnlyFinishedOrdersAreArchivedOnce) {
  EXPECT_EQ(run(ArchiveOrder{order_}, owner()).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(to_status("rejected").ok());
  EXPECT_EQ(run(ArchiveOrder{order_}, customer()).error().code, ErrorCode::kForbidden);
  auto archived = run(ArchiveOrder{order_}, owner());
  ASSERT_TRUE(archived.ok());
  EXPECT_TRUE(order().archived);
  auto again = run(ArchiveOrder{order_}, admin());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.events.empty());
}

TEST_F(OrderEditsTest, ADeletedOrderIsGoneToEveryCommand) {
  ASSERT_TRUE(to_status("accepted").ok());  // in any status, in progress too
  EXPECT_EQ(run(DeleteOrder{order_}, customer()).error().code, ErrorCode::kForbidden);
  ASSERT_TRUE(run(DeleteOrder{order_}, owner()).ok());
  EXPECT_TRUE(Order::finished(order()));
  EXPECT_EQ(run(DeleteOrder{order_}, owner()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(to_status("accepted", admin()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(run(ArchiveOrder{order_}, admin()).error().code, ErrorCode::kNotFound);
}

TEST_F(OrderEditsTest, ReplayingEditsGivesTheSameOrder) {
  OrderPatch p;
  p.items = lines({menu_line("SODA", 1), menu_line("BURGER", 1), menu_line("SODA", 4)});
  p.payment = Payment{"cash", 10000, {}};
  ASSERT_TRUE(patch(p).ok());
  ASSERT_TRUE(to_status("accepted").ok());
  ASSERT_TRUE(run(FulfillLine{order_, 2, 4}, owner()).ok());
  DomainState replayed;
  for (const Event& e : state_.events()) replayed.apply(e);
  const OrderState* again = replayed.find<Order>(order_);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->version, order().version);
  EXPECT_EQ(again->totals, order().totals);
  EXPECT_EQ(again->cash_tendered, order().cash_tendered);
  EXPECT_EQ(again->line_quantities, order().line_quantities);
  EXPECT_EQ(again->status, order().status);
}

// Who an order is for.
class OrderPartiesTest : public OrderEditsTest {};

TEST_F(OrderPartiesTest, ACustomerOrdersAsThemselfWithoutNamingTheirAccount) {
  PlaceOrder body = order_body(Uuid::v7(), restaurant_, FulfillmentType::kPickup);
  body.items = lines({menu_line("SODA", 1)});
  body.customer.id = "";
  auto placed = state_.decide(place_order(body, customer("u-cust-9")));
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  EXPECT_EQ(std::get<OrderPlaced>(placed.event().payload).customer.id, "u-cust-9");
}

TEST_F(OrderPartiesTest, ThePointOfSaleTakesOrdersForGuestsWithAName) {
  PlaceOrder body = order_body(Uuid::v7(), restaurant_, FulfillmentType::kEatIn);
  body.customer = {"", "Mesa 4", "", "", ""};
  body.app_id = "pos-tablet";
  body.delivery_zone = "Salón";
  auto placed = state_.decide(place_order(body, owner()));
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  const auto& p = std::get<OrderPlaced>(placed.event().payload);
  EXPECT_EQ(p.customer.id, "");
  EXPECT_EQ(p.delivery_zone, "Salón");
  EXPECT_EQ(p.app_id, "pos-tablet");
  body.order_id = Uuid::v7();
  body.customer.name = "";
  EXPECT_EQ(state_.decide(place_order(body, owner())).error().field, "customer.name");
}

TEST_F(OrderPartiesTest, ADiscountAtPlacementIsTheRestaurantsToo) {
  PlaceOrder body = order_body(Uuid::v7(), restaurant_, FulfillmentType::kPickup);
  body.items = lines({menu_line("BURGER", 1)});
  body.discount = 550;
  EXPECT_EQ(state_.decide(place_order(body, customer())).error().field, "discount");
  auto placed = state_.decide(place_order(body, owner()));
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  EXPECT_EQ(std::get<OrderPlaced>(placed.event().payload).totals.total, 1000);
}

}  // namespace
