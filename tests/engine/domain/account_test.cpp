// Customer accounts and credit (engine/domain/account.h, order_credit.h):
// who registers accounts, top-ups and adjustments, and orders paid with
// credit: debited in the order's own decision, refunded on cancellation,
// rejection or deletion, settled on edits, never below zero.
#include "engine/domain/account.h"

#include <gtest/gtest.h>

#include "engine/domain/order.h"
#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

class AccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(state_.decide(register_restaurant(restaurant_)).ok());
    ASSERT_TRUE(state_.decide(replace_menu(restaurant_)).ok());
    RestaurantRegistered other = restaurant_details();
    other.owners = {"u-owner-2"};
    ASSERT_TRUE(state_.decide(register_restaurant(other_restaurant_, other)).ok());
    ASSERT_TRUE(state_.decide(replace_menu(other_restaurant_)).ok());
  }

  template <class C>
  Decided run(C command, Principal who = owner(), std::optional<uint64_t> version = {}) {
    if constexpr (requires { validate(command); })
      if (Status valid = validate(command); !valid.ok()) return {valid, std::nullopt, {}};
    return state_.decide({std::move(who), std::move(command), version});
  }

  Uuid account(std::string user, std::optional<Uuid> parent = std::nullopt,
               std::vector<Uuid> restaurants = {}) {
    const Uuid id = Uuid::v7();
    AccountRegistered d;
    d.user_id = std::move(user);
    d.name = "Cuenta de " + d.user_id;
    d.class_name = "3B";
    d.parent_id = parent;
    d.restaurant_ids = restaurants.empty() ? std::vector<Uuid>{restaurant_} : restaurants;
    auto outcome = run(RegisterAccount{id, d});
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return id;
  }
  void top_up(const Uuid& id, int64_t amount) {
    auto outcome = run(ChangeCredit{id, amount, "PEN", ""});
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  }
  int64_t balance(const Uuid& id) const { return state_.find<Account>(id)->balance("PEN"); }
  // A customer's credit order of `burgers` burgers (1550 each), pickup.
  Decided credit_order(const std::string& customer_id, uint32_t burgers,
                       const Uuid& restaurant = Uuid{}) {
    PlaceOrder body = order_body(Uuid::v7(), restaurant.is_nil() ? restaurant_ : restaurant,
                                 FulfillmentType::kPickup);
    body.customer.id = customer_id;
    body.items = lines({{"BURGER", burgers}});
    body.payment = {"credit", std::nullopt, {}};
    return state_.decide(place_order(body, customer(customer_id)));
  }

  const Uuid restaurant_ = Uuid::v7();
  const Uuid other_restaurant_ = Uuid::v7();
  DomainState state_;
};

TEST_F(AccountTest, TheRestaurantRegistersAccountsForItsOwnRestaurants) {
  AccountRegistered d;
  d.user_id = "u-cust-1";
  d.name = "Ana";
  d.restaurant_ids = {restaurant_, other_restaurant_};
  auto refused = run(RegisterAccount{Uuid::v7(), d});  // u-owner-1 owns only the first
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(refused.error().field, "restaurant_ids[1]");
  EXPECT_EQ(run(RegisterAccount{Uuid::v7(), d}, customer()).error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(run(RegisterAccount{Uuid::v7(), d}, admin()).ok());
  // One account per person and restaurant.
  d.restaurant_ids = {restaurant_};
  EXPECT_EQ(run(RegisterAccount{Uuid::v7(), d}).error().code, ErrorCode::kConflict);
}

TEST_F(AccountTest, AParentServesEveryRestaurantOfItsChildAndHasNoParent) {
  const Uuid parent = account("u-parent");
  const Uuid child = account("u-child", parent);
  AccountRegistered grandchild;
  grandchild.user_id = "u-grandchild";
  grandchild.name = "Nieto";
  grandchild.parent_id = child;
  grandchild.restaurant_ids = {restaurant_};
  EXPECT_EQ(run(RegisterAccount{Uuid::v7(), grandchild}).error().field, "parent_id");
  AccountRegistered elsewhere = grandchild;
  elsewhere.parent_id = parent;
  elsewhere.restaurant_ids = {restaurant_, other_restaurant_};
  EXPECT_EQ(run(RegisterAccount{Uuid::v7(), elsewhere}, admin()).error().field, "parent_id");
}

TEST_F(AccountTest, TopUpsAndAdjustmentsNeverGoBelowZero) {
  const Uuid a = account("u-cust-1");
  top_up(a, 10000);
  auto adjusted = run(ChangeCredit{a, -2500, "PEN", "error de caja"});
  ASSERT_TRUE(adjusted.ok());
  EXPECT_EQ(std::get<CreditAdjusted>(adjusted.event().payload).reason, "error de caja");
  EXPECT_EQ(balance(a), 7500);
  auto too_much = run(ChangeCredit{a, -7501, "PEN", ""});
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().field, "amount");
  EXPECT_EQ(run(ChangeCredit{a, 100, "XXX", ""}).error().field, "currency");
  EXPECT_EQ(run(ChangeCredit{a, 100, "PEN", ""}, owner("u-owner-2")).error().code,
            ErrorCode::kNotFound);  // another restaurant's account
  EXPECT_EQ(balance(a), 7500);
}

TEST_F(AccountTest, ACreditOrderIsDebitedInItsOwnDecisionAndByTheParent) {
  const Uuid parent = account("u-parent");
  account("u-child", parent);
  top_up(parent, 5000);
  auto placed = credit_order("u-child", 2);
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  ASSERT_EQ(placed.events.size(), 2u);
  const auto& order = std::get<OrderPlaced>(placed.events[0].payload);
  EXPECT_EQ(order.payment.account, parent);
  const auto& debit = std::get<CreditDebited>(placed.events[1].payload);
  EXPECT_EQ(placed.events[1].stream, parent);
  EXPECT_EQ(debit, (CreditDebited{3100, "PEN", placed.events[0].stream}));
  EXPECT_EQ(balance(parent), 1900);
}

TEST_F(AccountTest, ACreditOrderTheBalanceDoesNotCoverIsRefusedWhole) {
  const Uuid a = account("u-cust-1");
  top_up(a, 3000);
  const uint64_t before = state_.next_position();
  auto refused = credit_order("u-cust-1", 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.error().field, "payment.method");
  EXPECT_EQ(state_.next_position(), before);
  EXPECT_EQ(balance(a), 3000);
  // Without an account there, or for a guest, there is no credit to pay with.
  EXPECT_EQ(credit_order("u-cust-1", 1, other_restaurant_).error().field, "payment.method");
  EXPECT_EQ(credit_order("u-nobody", 1).error().field, "payment.method");
}

TEST_F(AccountTest, CancellingRejectingOrDeletingGivesTheCreditBack) {
  const Uuid a = account("u-cust-1");
  top_up(a, 10000);
  for (const char* how : {"cancelled", "rejected", "delete"}) {
    SCOPED_TRACE(how);
    auto placed = credit_order("u-cust-1", 1);
    ASSERT_TRUE(placed.ok());
    const Uuid order = placed.events[0].stream;
    EXPECT_EQ(balance(a), 10000 - 1550);
    auto undone = std::string(how) == "delete"
                      ? run(DeleteOrder{order})
                      : run(ChangeOrderStatus{order, how, ""},
                            std::string(how) == "cancelled" ? customer() : owner());
    ASSERT_TRUE(undone.ok()) << undone.error().message;
    ASSERT_EQ(undone.events.size(), 2u);
    EXPECT_EQ(std::get<CreditRefunded>(undone.events[1].payload),
              (CreditRefunded{1550, "PEN", order}));
    EXPECT_EQ(balance(a), 10000);
  }
  // A finished order's credit stays spent, deleted or not.
  auto placed = credit_order("u-cust-1", 1);
  const Uuid order = placed.events[0].stream;
  ASSERT_TRUE(run(ChangeOrderStatus{order, "accepted", ""}).ok());
  ASSERT_TRUE(run(ChangeOrderStatus{order, "picked_up_by_customer", ""}).ok());
  auto deleted = run(DeleteOrder{order});
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.events.size(), 1u);
  EXPECT_EQ(balance(a), 10000 - 1550);
}

TEST_F(AccountTest, AnEditSettlesTheDifference) {
  const Uuid a = account("u-cust-1");
  top_up(a, 5000);
  auto placed = credit_order("u-cust-1", 1);
  const Uuid order = placed.events[0].stream;
  OrderPatch more;
  more.items = lines({{"BURGER", 3}});
  auto grown = run(ChangeOrder{order, more}, customer());
  ASSERT_TRUE(grown.ok()) << grown.error().message;
  EXPECT_EQ(std::get<CreditDebited>(grown.events[1].payload).amount, 3100);
  EXPECT_EQ(balance(a), 5000 - 4650);
  more.items = lines({{"BURGER", 4}});  // 1550 more than the 350 left
  EXPECT_EQ(run(ChangeOrder{order, more}, customer()).error().field, "payment.method");
  OrderPatch by_card;
  by_card.payment = Payment{"card", std::nullopt, {}};
  auto card = run(ChangeOrder{order, by_card}, customer());
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(std::get<CreditRefunded>(card.events[1].payload).amount, 4650);
  EXPECT_EQ(balance(a), 5000);
  OrderPatch by_credit;
  by_credit.payment = Payment{"credit", std::nullopt, {}};
  auto back = run(ChangeOrder{order, by_credit}, customer());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<CreditDebited>(back.events[1].payload).amount, 4650);
  EXPECT_EQ(std::get<OrderChanged>(back.events[0].payload).payment->account, a);
}

TEST_F(AccountTest, ReplayingGivesTheSameBalances) {
  const Uuid parent = account("u-parent");
  account("u-child", parent);
  top_up(parent, 9000);
  ASSERT_TRUE(credit_order("u-child", 2).ok());
  auto placed = credit_order("u-child", 1);
  ASSERT_TRUE(run(ChangeOrderStatus{placed.events[0].stream, "rejected", ""}).ok());
  DomainState replayed;
  for (const Event& e : state_.events()) replayed.apply(e);
  EXPECT_EQ(replayed.find<Account>(parent)->balance("PEN"), balance(parent));
  EXPECT_EQ(replayed.find<Account>(parent)->version, state_.find<Account>(parent)->version);
  EXPECT_EQ(balance(parent), 9000 - 3100);
}

}  // namespace
