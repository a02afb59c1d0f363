// Every step the status table allows, for every fulfillment type, taken
// through decide() by the role that makes it (DESIGN.md "Order statuses"):
// accepted; and the same step by a role that does not make it: refused
// (403, or 409 where the role makes it from elsewhere), recording nothing.
// The restaurant here has its own riders (no dispatch), so its owner makes
// the driver's steps; an assigned driver's are tested in dispatch_test.cpp.
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "engine/domain/order.h"
#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

constexpr int64_t kHour = 3600'000'000;

// The role that makes a step to `to`, for an order without a driver.
Principal maker(OrderStatus to) {
  const uint8_t setters = status_info(to).setters;
  if (setters & (kSetByRestaurant | kSetByDriver)) return owner();
  if (setters & kSetByCustomer) return customer();
  return kEnginePrincipal;
}

// Whether `role` makes the step too (DESIGN.md: the engine its steps, the
// customer cancels while pending or scheduled; a driver only once assigned).
bool also_makes(Role role, OrderStatus from, OrderStatus to) {
  const uint8_t setters = status_info(to).setters;
  switch (role) {
    case Role::kEngine:
      return setters & kSetByEngine;
    case Role::kCustomer:
      return (setters & kSetByCustomer) &&
             (to != OrderStatus::kCancelled || from == OrderStatus::kPending ||
              from == OrderStatus::kScheduled);
    case Role::kOwner:
      return setters & (kSetByRestaurant | kSetByDriver);
    default:
      return false;
  }
}

class TransitionsTest : public ::testing::TestWithParam<FulfillmentType> {
 protected:
  void SetUp() override {
    RestaurantRegistered details = restaurant_details();
    details.settings.dispatch.mode = DispatchSettings::Mode::kNone;
    ASSERT_TRUE(state_.decide(register_restaurant(restaurant_, details)).ok());
  }

  // A new order of this test's type, stepped along `path` by each step's maker.
  Uuid order_along(const std::vector<OrderStatus>& path) {
    const Uuid id = Uuid::v7();
    PlaceOrder body = order_body(id, restaurant_, GetParam());
    if (!path.empty() && path.front() == OrderStatus::kScheduled)
      body.fulfillment.scheduled_for_us = kNow + 3 * kHour;
    EXPECT_TRUE(state_.decide(place_order(body)).ok());
    for (size_t i = 1; i < path.size(); ++i) {
      auto step = state_.decide(
          {maker(path[i]), ChangeOrderStatus{id, std::string(status_name(path[i])), ""}, {}});
      EXPECT_TRUE(step.ok()) << status_name(path[i]) << ": " << step.error().message;
    }
    return id;
  }

  const Uuid restaurant_ = Uuid::v7();
  DomainState state_;
};

TEST_P(TransitionsTest, EveryAllowedStepByItsMakerAndNotByOthers) {
  const FulfillmentType type = GetParam();
  // The shortest path to every status, from placement (pending, or scheduled).
  std::map<OrderStatus, std::vector<OrderStatus>> path;
  std::deque<OrderStatus> queue;
  for (OrderStatus start : {OrderStatus::kPending, OrderStatus::kScheduled}) {
    path[start] = {start};
    queue.push_back(start);
  }
  while (!queue.empty()) {
    const OrderStatus from = queue.front();
    queue.pop_front();
    for (OrderStatus to : allowed_targets(from, type)) {
      if (to == OrderStatus::kDriverAssigned || path.count(to)) continue;
      path[to] = path[from];
      path[to].push_back(to);
      queue.push_back(to);
    }
  }
  int accepted = 0, refused = 0;
  const Principal roles[] = {owner(), customer(), driver(), kEnginePrincipal, admin()};
  for (const auto& [from, route] : path) {
    if (is_terminal(from)) continue;
    for (OrderStatus to : allowed_targets(from, type)) {
      if (to == OrderStatus::kDriverAssigned) continue;
      const Principal by = maker(to);
      for (const Principal& other : roles) {
        if (other.role == by.role || other.role == Role::kAdmin) continue;
        const Uuid id = order_along(route);
        const size_t events = state_.events().size();
        auto no =
            state_.decide({other, ChangeOrderStatus{id, std::string(status_name(to)), ""}, {}});
        if (also_makes(other.role, from, to)) continue;
        EXPECT_FALSE(no.ok()) << status_name(from) << " -> " << status_name(to) << " by "
                              << role_name(other.role);
        EXPECT_EQ(state_.events().size(), events);
        ++refused;
      }
      const Uuid id = order_along(route);
      auto yes = state_.decide({by, ChangeOrderStatus{id, std::string(status_name(to)), ""}, {}});
      EXPECT_TRUE(yes.ok()) << status_name(from) << " -> " << status_name(to) << " by "
                            << role_name(by.role) << ": " << (yes.ok() ? "" : yes.error().message);
      EXPECT_EQ(state_.find<Order>(id)->status, to);
      ++accepted;
    }
  }
  std::cout << fulfillment_name(type) << ": " << accepted << " steps taken, " << refused
            << " refused\n";
  EXPECT_GT(accepted, 10);
}

INSTANTIATE_TEST_SUITE_P(EveryType, TransitionsTest,
                         ::testing::Values(FulfillmentType::kDelivery, FulfillmentType::kPickup,
                                           FulfillmentType::kCurbside, FulfillmentType::kDriveThru,
                                           FulfillmentType::kEatIn),
                         [](const auto& info) {
                           return std::string(fulfillment_name(info.param));
                         });

}  // namespace
