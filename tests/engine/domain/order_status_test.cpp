// The order state machine (engine/domain/order_status.h): the table, the seeds'
// aliases and codes, and the transition rule.
#include "engine/domain/order_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace comanda::engine;
using ::testing::ElementsAre;

constexpr FulfillmentType kAllTypes[] = {FulfillmentType::kDelivery, FulfillmentType::kPickup,
                                         FulfillmentType::kCurbside, FulfillmentType::kDriveThru,
                                         FulfillmentType::kEatIn};

OrderStatus resolved(std::string_view input, FulfillmentType type = FulfillmentType::kDelivery) {
  auto r = resolve_status(input, type);
  EXPECT_TRUE(r.ok()) << "'" << input << "' did not resolve: " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : OrderStatus::kScheduled;
}

std::vector<std::string> names(const std::vector<OrderStatus>& statuses) {
  std::vector<std::string> out;
  for (OrderStatus s : statuses) out.emplace_back(status_name(s));
  return out;
}

// ---- the table ----

TEST(OrderStatusTable, ListsEveryStatusOnceInRankOrder) {
  auto table = status_table();
  ASSERT_EQ(table.size(), kStatusCount);
  std::set<std::string_view> seen;
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(table[i].status), i) << table[i].name;
    EXPECT_TRUE(seen.insert(table[i].name).second) << "duplicate name " << table[i].name;
  }
}

TEST(OrderStatusTable, MarksExactlyTheDocumentedStatusesTerminal) {
  const std::set<OrderStatus> terminal = {
      OrderStatus::kRejected,       OrderStatus::kPickupFailed,       OrderStatus::kDelivered,
      OrderStatus::kDeliveryFailed, OrderStatus::kPickedUpByCustomer, OrderStatus::kNotPickedUp,
      OrderStatus::kCompleted,      OrderStatus::kCancelled};
  for (const StatusInfo& info : status_table())
    EXPECT_EQ(is_terminal(info.status), terminal.count(info.status) == 1) << info.name;
}

TEST(OrderStatusTable, GroupsOpenStatusesAndThreeKindsOfEnd) {
  using G = StatusGroup;
  const std::map<OrderStatus, G> ends = {
      {OrderStatus::kDelivered, G::kCompleted},   {OrderStatus::kPickedUpByCustomer, G::kCompleted},
      {OrderStatus::kCompleted, G::kCompleted},   {OrderStatus::kCancelled, G::kCancelled},
      {OrderStatus::kRejected, G::kCancelled},    {OrderStatus::kPickupFailed, G::kFailed},
      {OrderStatus::kDeliveryFailed, G::kFailed}, {OrderStatus::kNotPickedUp, G::kFailed}};
  for (const StatusInfo& info : status_table()) {
    auto end = ends.find(info.status);
    EXPECT_EQ(status_group(info.status), end == ends.end() ? G::kActive : end->second) << info.name;
    EXPECT_EQ(status_group(info.status) == G::kActive, !info.terminal) << info.name;
  }
}

TEST(OrderStatusTable, ScopesStatusesToTheirFulfillmentTypes) {
  EXPECT_TRUE(applies_to(OrderStatus::kAwaitingDriver, FulfillmentType::kDelivery));
  EXPECT_FALSE(applies_to(OrderStatus::kAwaitingDriver, FulfillmentType::kPickup));
  EXPECT_TRUE(applies_to(OrderStatus::kCustomerArrived, FulfillmentType::kCurbside));
  EXPECT_TRUE(applies_to(OrderStatus::kCustomerArrived, FulfillmentType::kDriveThru));
  EXPECT_FALSE(applies_to(OrderStatus::kCustomerArrived, FulfillmentType::kDelivery));
  EXPECT_TRUE(applies_to(OrderStatus::kCompleted, FulfillmentType::kEatIn));
  EXPECT_FALSE(applies_to(OrderStatus::kCompleted, FulfillmentType::kPickup));
  for (FulfillmentType t : kAllTypes) {
    EXPECT_TRUE(applies_to(OrderStatus::kPending, t));
    EXPECT_TRUE(applies_to(OrderStatus::kCancelled, t));
  }
}

TEST(FulfillmentNames, RoundTripAndRefuseUnknownNames) {
  for (FulfillmentType t : kAllTypes) EXPECT_EQ(parse_fulfillment(fulfillment_name(t)), t);
  EXPECT_EQ(fulfillment_name(FulfillmentType::kDriveThru), "drive_thru");
  EXPECT_EQ(fulfillment_name(FulfillmentType::kEatIn), "eat_in");
  EXPECT_FALSE(parse_fulfillment("takeaway").has_value());
  EXPECT_FALSE(parse_fulfillment("Delivery").has_value());
  EXPECT_FALSE(parse_fulfillment("").has_value());
}

// ---- resolving input ----

TEST(StatusInput, ResolvesEveryCanonicalName) {
  for (const StatusInfo& info : status_table()) {
    // Completion names resolve by fulfillment; use a type the status applies to.
    FulfillmentType type = FulfillmentType::kDelivery;
    for (FulfillmentType t : kAllTypes)
      if (applies_to(info.status, t)) {
        type = t;
        break;
      }
    EXPECT_EQ(resolved(info.name, type), info.status) << info.name;
  }
}

TEST(StatusInput, ResolvesTheSeedsAliases) {
  struct Case {
    std::string_view input;
    OrderStatus expected;
  };
  const Case cases[] = {
      {"pendiente", OrderStatus::kPending},    {"PENDIENTE", OrderStatus::kPending},
      {"aceptado", OrderStatus::kAccepted},    {"preparando", OrderStatus::kPreparing},
      {"PROCESANDO", OrderStatus::kPreparing}, {"enviado", OrderStatus::kAwaitingDriver},
      {"en_camino", OrderStatus::kOnTheWay},   {"entregado", OrderStatus::kDelivered},
      {"cancelado", OrderStatus::kCancelled},  {"CANCELADO", OrderStatus::kCancelled},
      {"canceled", OrderStatus::kCancelled},
  };
  for (const Case& c : cases) EXPECT_EQ(resolved(c.input), c.expected) << c.input;
}

TEST(StatusInput, MatchesAliasesCaseInsensitively) {
  EXPECT_EQ(resolved("Pendiente"), OrderStatus::kPending);
  EXPECT_EQ(resolved("procesando"), OrderStatus::kPreparing);
  EXPECT_EQ(resolved("Cancelado"), OrderStatus::kCancelled);
}

TEST(StatusInput, MatchesCanonicalNamesInAnyCaseToo) {
  // One rule for every name: canonical names as aliases are.
  EXPECT_EQ(resolved("Cancelled"), OrderStatus::kCancelled);
  EXPECT_EQ(resolved("READY"), OrderStatus::kReady);
  EXPECT_EQ(resolved("Driver_At_Restaurant"), OrderStatus::kDriverAtRestaurant);
  EXPECT_EQ(resolved("CANCELED"), OrderStatus::kCancelled);
}

TEST(StatusInput, ResolvesCodesGivenAsText) {
  EXPECT_EQ(resolved("7"), OrderStatus::kAccepted);
  EXPECT_EQ(resolved("3"), OrderStatus::kDriverAtRestaurant);
  EXPECT_EQ(resolved("24"), OrderStatus::kDriverAtRestaurant);
  EXPECT_EQ(resolved("2"), OrderStatus::kCancelled);
  EXPECT_EQ(resolved("16"), OrderStatus::kCancelled);
  EXPECT_EQ(resolved("0"), OrderStatus::kPending);
  EXPECT_EQ(resolved("13"), OrderStatus::kScheduled);
  EXPECT_EQ(resolved("22"), OrderStatus::kAwaitingDriver);
  EXPECT_EQ(resolved("11"), OrderStatus::kDelivered);
}

TEST(StatusInput, ResolvesCompletionNamesByFulfillmentType) {
  for (std::string_view input : {"COMPLETADO", "completed", "1", "completado"}) {
    EXPECT_EQ(resolved(input, FulfillmentType::kDelivery), OrderStatus::kDelivered) << input;
    EXPECT_EQ(resolved(input, FulfillmentType::kPickup), OrderStatus::kPickedUpByCustomer) << input;
    EXPECT_EQ(resolved(input, FulfillmentType::kCurbside), OrderStatus::kPickedUpByCustomer)
        << input;
    EXPECT_EQ(resolved(input, FulfillmentType::kDriveThru), OrderStatus::kPickedUpByCustomer)
        << input;
    EXPECT_EQ(resolved(input, FulfillmentType::kEatIn), OrderStatus::kCompleted) << input;
  }
}

TEST(StatusInput, RefusesUnknownNamesAndCodesNamingTheStatusField) {
  for (std::string_view input :
       {"flying", "", "99", "-1", "7a", " 7", "pending ", "accepted,ready"}) {
    auto r = resolve_status(input, FulfillmentType::kDelivery);
    ASSERT_FALSE(r.ok()) << "'" << input << "' resolved";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << input;
    EXPECT_EQ(r.error().field, "status") << input;
  }
}

TEST(StatusInput, RefusesActionCodesSixAndFourteen) {
  for (std::string_view input : {"6", "14"}) {
    auto r = resolve_status(input, FulfillmentType::kDelivery);
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "status");
    EXPECT_NE(r.error().message.find(std::string(input)), std::string::npos) << r.error().message;
  }
}

// ---- transitions ----

TEST(OrderStateMachine, AllowsForwardSkips) {
  EXPECT_TRUE(transition_allowed(OrderStatus::kPending, OrderStatus::kPreparing,
                                 FulfillmentType::kDelivery));
  EXPECT_TRUE(transition_allowed(OrderStatus::kPreparing, OrderStatus::kAwaitingDriver,
                                 FulfillmentType::kDelivery));
  EXPECT_TRUE(transition_allowed(OrderStatus::kAwaitingDriver, OrderStatus::kDelivered,
                                 FulfillmentType::kDelivery));
  EXPECT_TRUE(
      transition_allowed(OrderStatus::kPending, OrderStatus::kAccepted, FulfillmentType::kPickup));
  EXPECT_TRUE(
      transition_allowed(OrderStatus::kReady, OrderStatus::kCompleted, FulfillmentType::kEatIn));
  EXPECT_TRUE(transition_allowed(OrderStatus::kReady, OrderStatus::kPickedUpByCustomer,
                                 FulfillmentType::kCurbside));
}

TEST(OrderStateMachine, RefusesDeliveredToPreparing) {
  EXPECT_FALSE(transition_allowed(OrderStatus::kDelivered, OrderStatus::kPreparing,
                                  FulfillmentType::kDelivery));
}

TEST(OrderStateMachine, NeverStepsBackwards) {
  for (FulfillmentType t : kAllTypes)
    for (const StatusInfo& from : status_table())
      for (const StatusInfo& to : status_table()) {
        if (to.status == OrderStatus::kCancelled || to.status == OrderStatus::kRejected) continue;
        if (static_cast<int>(to.status) <= static_cast<int>(from.status)) {
          EXPECT_FALSE(transition_allowed(from.status, to.status, t))
              << from.name << " -> " << to.name << " (" << fulfillment_name(t) << ")";
        }
      }
  EXPECT_FALSE(transition_allowed(OrderStatus::kPreparing, OrderStatus::kAccepted,
                                  FulfillmentType::kDelivery));
  EXPECT_FALSE(
      transition_allowed(OrderStatus::kReady, OrderStatus::kPending, FulfillmentType::kPickup));
}

TEST(OrderStateMachine, RefusesAStatusOfAnotherFulfillmentType) {
  EXPECT_FALSE(transition_allowed(OrderStatus::kPreparing, OrderStatus::kAwaitingDriver,
                                  FulfillmentType::kPickup));
  EXPECT_FALSE(transition_allowed(OrderStatus::kReady, OrderStatus::kPickedUpByCustomer,
                                  FulfillmentType::kDelivery));
  EXPECT_FALSE(
      transition_allowed(OrderStatus::kReady, OrderStatus::kDelivered, FulfillmentType::kEatIn));
  EXPECT_FALSE(
      transition_allowed(OrderStatus::kReady, OrderStatus::kCompleted, FulfillmentType::kDelivery));
  EXPECT_FALSE(transition_allowed(OrderStatus::kAccepted, OrderStatus::kCustomerArrived,
                                  FulfillmentType::kEatIn));
}

TEST(OrderStateMachine, RejectsOnlyFromScheduledOrPending) {
  for (FulfillmentType t : kAllTypes)
    for (const StatusInfo& from : status_table()) {
      const bool expected =
          from.status == OrderStatus::kScheduled || from.status == OrderStatus::kPending;
      EXPECT_EQ(transition_allowed(from.status, OrderStatus::kRejected, t), expected)
          << from.name << " -> rejected (" << fulfillment_name(t) << ")";
    }
}

TEST(OrderStateMachine, CancelsFromEveryNonTerminalStatus) {
  for (FulfillmentType t : kAllTypes)
    for (const StatusInfo& from : status_table())
      EXPECT_EQ(transition_allowed(from.status, OrderStatus::kCancelled, t), !from.terminal)
          << from.name << " -> cancelled (" << fulfillment_name(t) << ")";
}

TEST(OrderStateMachine, AllowsNothingFromATerminalStatus) {
  for (FulfillmentType t : kAllTypes)
    for (const StatusInfo& from : status_table()) {
      if (!from.terminal) continue;
      EXPECT_TRUE(allowed_targets(from.status, t).empty()) << from.name;
      for (const StatusInfo& to : status_table())
        EXPECT_FALSE(transition_allowed(from.status, to.status, t))
            << from.name << " -> " << to.name;
    }
}

TEST(OrderStateMachine, NeverStepsIntoScheduled) {
  for (FulfillmentType t : kAllTypes)
    for (const StatusInfo& from : status_table())
      EXPECT_FALSE(transition_allowed(from.status, OrderStatus::kScheduled, t)) << from.name;
}

TEST(OrderStateMachine, RefusesAStepToTheSameStatus) {
  for (const StatusInfo& s : status_table())
    EXPECT_FALSE(transition_allowed(s.status, s.status, FulfillmentType::kDelivery)) << s.name;
}

TEST(OrderStateMachine, ListsAllowedTargetsFromPendingForDelivery) {
  EXPECT_THAT(names(allowed_targets(OrderStatus::kPending, FulfillmentType::kDelivery)),
              ElementsAre("rejected", "accepted", "preparing", "ready", "awaiting_driver",
                          "fleet_assigned", "driver_assigned", "driver_near_restaurant",
                          "driver_at_restaurant", "picked_up", "pickup_failed", "on_the_way",
                          "driver_near_customer", "delivered", "delivery_failed", "cancelled"));
}

TEST(OrderStateMachine, ListsAllowedTargetsFromAcceptedForPickup) {
  EXPECT_THAT(names(allowed_targets(OrderStatus::kAccepted, FulfillmentType::kPickup)),
              ElementsAre("preparing", "ready", "customer_near_restaurant", "customer_arrived",
                          "picked_up_by_customer", "not_picked_up", "cancelled"));
}

TEST(OrderStateMachine, ListsAllowedTargetsFromReadyForEatIn) {
  EXPECT_THAT(names(allowed_targets(OrderStatus::kReady, FulfillmentType::kEatIn)),
              ElementsAre("completed", "cancelled"));
}

TEST(OrderStateMachine, ListsRejectionAmongTargetsFromScheduled) {
  auto targets = names(allowed_targets(OrderStatus::kScheduled, FulfillmentType::kEatIn));
  EXPECT_THAT(targets, ::testing::Contains("rejected"));
  EXPECT_THAT(targets, ::testing::Contains("pending"));
  EXPECT_THAT(targets, ::testing::Not(::testing::Contains("scheduled")));
}

// ---- output codes ----

TEST(StatusCode, ShowsSixteenForACancellationByTheCustomer) {
  EXPECT_EQ(status_code(OrderStatus::kCancelled, true), 16);
  EXPECT_EQ(status_code(OrderStatus::kCancelled, false), 2);
}

TEST(StatusCode, ShowsTheNearestEarlierCodeForPreparing) {
  EXPECT_EQ(status_code(OrderStatus::kPreparing, false), 7);
  EXPECT_EQ(status_code(OrderStatus::kAccepted, false), 7);
}

TEST(StatusCode, ShowsTheTableCodeOtherwise) {
  EXPECT_EQ(status_code(OrderStatus::kPending, false), 0);
  EXPECT_EQ(status_code(OrderStatus::kPending, true),
            0);  // the flag only matters for cancellations
  EXPECT_EQ(status_code(OrderStatus::kScheduled, false), 13);
  EXPECT_EQ(status_code(OrderStatus::kDriverAtRestaurant, false), 3);
  EXPECT_EQ(status_code(OrderStatus::kDelivered, false), 11);
  EXPECT_EQ(status_code(OrderStatus::kPickedUpByCustomer, false), 15);
  EXPECT_EQ(status_code(OrderStatus::kCompleted, false), 1);
  EXPECT_EQ(status_code(OrderStatus::kRejected, false), 5);
}

TEST(StatusCode, ResolvesBackToTheSameStatusForEveryStatusWithAnInputCode) {
  for (const StatusInfo& info : status_table()) {
    if (info.input_codes.empty()) continue;
    FulfillmentType type = FulfillmentType::kDelivery;
    for (FulfillmentType t : kAllTypes)
      if (applies_to(info.status, t)) {
        type = t;
        break;
      }
    EXPECT_EQ(resolved(std::to_string(info.code), type), info.status) << info.name;
  }
}

}  // namespace
