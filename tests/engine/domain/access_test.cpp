// Tenancy in the decisions (engine/domain/access.h and the kinds' decide()):
// who may register, order and change status, and that another tenant's
// objects are answered exactly as absent ones.
#include "engine/domain/access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using ::testing::ElementsAre;

class TenancyTest : public ::testing::Test {
 protected:
  Decided decide(Call call) { return state_.decide(std::move(call)); }

  Uuid restaurant_of(const std::string& owner_subject) {
    const Uuid id = Uuid::v7();
    RestaurantRegistered d = restaurant_details();
    d.owners = {owner_subject};
    EXPECT_TRUE(decide(register_restaurant(id, d)).ok());
    EXPECT_TRUE(decide(replace_menu(id)).ok());  // customers order from it
    return id;
  }

  // An order at `restaurant` for customer `customer_id`, placed by the owner.
  Uuid order_at(const Uuid& restaurant, const std::string& owner_subject,
                const std::string& customer_id) {
    PlaceOrder body = order_body(Uuid::v7(), restaurant);
    body.customer.id = customer_id;
    auto outcome = decide(place_order(body, owner(owner_subject)));
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return body.order_id;
  }

  DomainState state_;
};

TEST_F(TenancyTest, OnlyAdminsAndOwnersRegisterRestaurants) {
  for (Principal who : {customer(), driver("d1")}) {
    Call c = register_restaurant(Uuid::v7());
    c.principal = who;
    auto outcome = decide(c);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, ErrorCode::kForbidden);
    EXPECT_TRUE(outcome.events.empty()) << "a refusal emits nothing";
  }
}

TEST_F(TenancyTest, AnOwnerWhoRegistersARestaurantBecomesOneOfItsOwners) {
  Call c = register_restaurant(Uuid::v7());
  c.principal = owner("u-owner-9");
  ASSERT_TRUE(decide(c).ok());
  const auto& registered = std::get<RestaurantRegistered>(state_.events().back().payload);
  EXPECT_THAT(registered.owners, ElementsAre("u-owner-1", "u-owner-9"));
}

TEST_F(TenancyTest, AnOwnersOrderAtAnotherTenantsRestaurantLooksLikeAnAbsentRestaurant) {
  const Uuid theirs = restaurant_of("u-owner-2");
  auto other = decide(place_order(order_body(Uuid::v7(), theirs), owner("u-owner-1")));
  auto absent = decide(place_order(order_body(Uuid::v7(), Uuid::v7()), owner("u-owner-1")));
  ASSERT_FALSE(other.ok());
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(other.error().message, absent.error().message);
  EXPECT_EQ(other.error().field, absent.error().field);
}

TEST_F(TenancyTest, ACustomerOrdersOnlyForThemself) {
  const Uuid r = restaurant_of("u-owner-1");
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.customer.id = "u-cust-2";
  auto outcome = decide(place_order(body, customer("u-cust-1")));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(outcome.error().field, "customer.id");
  body.customer.id = "u-cust-1";
  EXPECT_TRUE(decide(place_order(body, customer("u-cust-1"))).ok());
}

TEST_F(TenancyTest, DriversDoNotPlaceOrders) {
  const Uuid r = restaurant_of("u-owner-1");
  auto outcome = decide(place_order(order_body(Uuid::v7(), r), driver("d1")));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kForbidden);
}

TEST_F(TenancyTest, AnotherTenantsOrderLooksLikeAnAbsentOrderToEveryRole) {
  const Uuid r1 = restaurant_of("u-owner-1");
  const Uuid o1 = order_at(r1, "u-owner-1", "u-cust-1");
  // The API answers an absent order (nothing in the log) with this same
  // error; the end-to-end tenancy tests compare the HTTP answers byte for byte.
  for (Principal who : {owner("u-owner-2"), customer("u-cust-2"), driver("d1")}) {
    auto outcome = decide(change_status(o1, "cancelled", who));
    ASSERT_FALSE(outcome.ok()) << who.subject;
    EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound) << who.subject;
    EXPECT_EQ(outcome.error().message, "no such order") << who.subject;
  }
}

TEST_F(TenancyTest, ACustomerNeverAcceptsTheirOrder) {
  const Uuid r = restaurant_of("u-owner-1");
  const Uuid o = order_at(r, "u-owner-1", "u-cust-1");
  auto outcome = decide(change_status(o, "accepted", customer("u-cust-1")));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kForbidden);
}

TEST_F(TenancyTest, ACustomerCancelsOnlyWhilePending) {
  const Uuid r = restaurant_of("u-owner-1");
  const Uuid pending = order_at(r, "u-owner-1", "u-cust-1");
  EXPECT_TRUE(decide(change_status(pending, "cancelled", customer("u-cust-1"))).ok());

  const Uuid accepted = order_at(r, "u-owner-1", "u-cust-1");
  ASSERT_TRUE(decide(change_status(accepted, "accepted", owner("u-owner-1"))).ok());
  auto late = decide(change_status(accepted, "cancelado", customer("u-cust-1")));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
}

TEST_F(TenancyTest, TheOwnerMakesTheDriversStepsWhileNoDriverIsAssigned) {
  const Uuid r = restaurant_of("u-owner-1");
  const Uuid o = order_at(r, "u-owner-1", "u-cust-1");
  EXPECT_TRUE(decide(change_status(o, "enviado", owner("u-owner-1"))).ok());
  EXPECT_TRUE(decide(change_status(o, "entregado", owner("u-owner-1"))).ok());
}

TEST_F(TenancyTest, AConflictListsOnlyTheStepsTheCallerCouldTake) {
  const Uuid r = restaurant_of("u-owner-1");
  const Uuid o = order_at(r, "u-owner-1", "u-cust-1");
  ASSERT_TRUE(decide(change_status(o, "cancelled", owner("u-owner-1"))).ok());
  const Uuid p = order_at(r, "u-owner-1", "u-cust-1");
  // A customer asking for a step they may take, but not from here, sees
  // only their own possible steps.
  ASSERT_TRUE(decide(change_status(p, "accepted", owner("u-owner-1"))).ok());
  ASSERT_TRUE(decide(change_status(p, "ready", owner("u-owner-1"))).ok());
  auto outcome = decide(change_status(p, "preparing", owner("u-owner-1")));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(outcome.error().allowed);
  EXPECT_THAT(*outcome.error().allowed, ::testing::Contains("awaiting_driver"));
  EXPECT_THAT(*outcome.error().allowed, ::testing::Not(::testing::Contains("customer_arrived")));
}

TEST_F(TenancyTest, EveryEventRecordsItsCallerAsTheActor) {
  const Uuid r = restaurant_of("u-owner-1");
  order_at(r, "u-owner-1", "u-cust-1");
  EXPECT_EQ(state_.events().back().actor, owner("u-owner-1"));
  EXPECT_EQ(state_.events().front().actor.role, Role::kAdmin);
}

TEST(AccessRules, AdminsSeeEverythingOwnersTheirsCustomersTheirOwn) {
  const std::vector<std::string> owners = {"u-owner-1"};
  EXPECT_TRUE(may_view_order({"a", Role::kAdmin}, owners, "u-cust-1"));
  EXPECT_TRUE(may_view_order(owner("u-owner-1"), owners, "u-cust-1"));
  EXPECT_FALSE(may_view_order(owner("u-owner-2"), owners, "u-cust-1"));
  EXPECT_TRUE(may_view_order(customer("u-cust-1"), owners, "u-cust-1"));
  EXPECT_FALSE(may_view_order(customer("u-cust-2"), owners, "u-cust-1"));
  EXPECT_FALSE(may_view_order({"d1", Role::kDriver}, owners, "u-cust-1"));
  // A customer whose subject equals an owner's name is still not an owner.
  EXPECT_FALSE(may_view_restaurant(customer("u-owner-1"), owners));
  // Restaurant events have no customer: no customer sees them.
  EXPECT_FALSE(may_view_order(customer(""), owners, ""));
}

TEST(AccessRules, RolesSetTheirOwnSteps) {
  EXPECT_TRUE(may_set_status(owner(), OrderStatus::kPending, OrderStatus::kAccepted, false).ok());
  EXPECT_EQ(
      may_set_status(customer(), OrderStatus::kPending, OrderStatus::kAccepted, false).error().code,
      ErrorCode::kForbidden);
  EXPECT_TRUE(
      may_set_status(customer(), OrderStatus::kReady, OrderStatus::kCustomerArrived, false).ok());
  EXPECT_EQ(may_set_status(owner(), OrderStatus::kReady, OrderStatus::kCustomerArrived, false)
                .error()
                .code,
            ErrorCode::kForbidden);
  // The driver's steps: the owner only while no driver is assigned.
  EXPECT_TRUE(may_set_status(owner(), OrderStatus::kReady, OrderStatus::kPickedUp, false).ok());
  EXPECT_FALSE(may_set_status(owner(), OrderStatus::kReady, OrderStatus::kPickedUp, true).ok());
  EXPECT_TRUE(
      may_set_status({"d1", Role::kDriver}, OrderStatus::kReady, OrderStatus::kPickedUp, true)
          .ok());
  EXPECT_FALSE(
      may_set_status({"d1", Role::kDriver}, OrderStatus::kReady, OrderStatus::kPickedUp, false)
          .ok());
  // Nobody sets scheduled by hand, not even an admin.
  EXPECT_FALSE(
      may_set_status({"a", Role::kAdmin}, OrderStatus::kPending, OrderStatus::kScheduled, false)
          .ok());
}

}  // namespace
