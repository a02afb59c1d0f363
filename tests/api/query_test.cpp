// Query strings (api/http/query_string.h): percent-decoding; the order
// list's filters and the opaque cursor (api/routes/order_query.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/http/query_string.h"
#include "api/routes/order_query.h"
#include "engine/base/time_zone.h"

namespace {

using namespace comanda::engine;
using comanda::api::decode_cursor;
using comanda::api::encode_cursor;
using comanda::api::parse_order_query;
using comanda::api::parse_query;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kId = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";

void expect_invalid(std::string_view query, std::string_view field) {
  auto r = parse_order_query(query);
  ASSERT_FALSE(r.ok()) << "'" << query << "' was accepted";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << query;
  EXPECT_EQ(r.error().field, field) << query;
}

// ---- the query string ----

TEST(QueryString, SplitsAndPercentDecodes) {
  EXPECT_EQ(parse_query("a=1&b=x%20y"), (Pairs{{"a", "1"}, {"b", "x y"}}));
  EXPECT_EQ(parse_query("q=caf%C3%A9+con+leche"), (Pairs{{"q", "café con leche"}}));
  EXPECT_EQ(parse_query("k%3Dx=v%26w"), (Pairs{{"k=x", "v&w"}}));
}

TEST(QueryString, KeepsMalformedEscapesAsTheyAre) {
  EXPECT_EQ(parse_query("a=%zz&b=%4&c=100%"), (Pairs{{"a", "%zz"}, {"b", "%4"}, {"c", "100%"}}));
}

TEST(QueryString, SkipsEmptyPartsAndAllowsBareKeys) {
  EXPECT_EQ(parse_query(""), Pairs{});
  EXPECT_EQ(parse_query("&&a=1&&flag&"), (Pairs{{"a", "1"}, {"flag", ""}}));
  EXPECT_EQ(parse_query("a=b=c"), (Pairs{{"a", "b=c"}}));
}

// ---- the order list's filters ----

TEST(OrderQuery, DefaultsToFiftyOrdersOfAnyStatusFromTheNewest) {
  auto q = parse_order_query("");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 50u);
  EXPECT_TRUE(q->statuses.empty());
  EXPECT_FALSE(q->restaurant_id.has_value());
  EXPECT_EQ(q->before_position, 0u);
}

TEST(OrderQuery, RefusesAnUnknownParameter) {
  expect_invalid("restaurant=1", "restaurant");
  expect_invalid("limit=5&sort=asc", "sort");
}

TEST(OrderQuery, RefusesALimitOutsideOneToFiveHundred) {
  for (std::string_view bad : {"limit=0", "limit=501", "limit=abc", "limit=", "limit=-1",
                               "limit=5x", "limit=99999999999999999999999"})
    expect_invalid(bad, "limit");
}

TEST(OrderQuery, AcceptsTheLimitsBounds) {
  auto one = parse_order_query("limit=1");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->limit, 1u);
  auto max = parse_order_query("limit=500");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->limit, 500u);
}

TEST(OrderQuery, ReadsTheRestaurantUnderEitherName) {
  auto a = parse_order_query("restaurant_id=" + std::string(kId));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->restaurant_id, Uuid::parse(kId));
  auto b = parse_order_query("establishment=" + std::string(kId));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->restaurant_id, Uuid::parse(kId));
  expect_invalid("restaurant_id=sede-1", "restaurant_id");
  expect_invalid("establishment=", "establishment");
}

TEST(OrderQuery, PercentDecodesValues) {
  std::string escaped(kId);
  for (size_t at = escaped.find('-'); at != std::string::npos; at = escaped.find('-', at))
    escaped.replace(at, 1, "%2D");
  auto q = parse_order_query("restaurant_id=" + escaped + "&status=pending%2Caccepted");
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->restaurant_id, Uuid::parse(kId));
  EXPECT_THAT(q->statuses, ElementsAre(OrderStatus::kPending, OrderStatus::kAccepted));
}

TEST(OrderQuery, ReadsSeveralStatusesByNameAliasOrCode) {
  auto q = parse_order_query("status=pending,aceptado,22");
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_THAT(q->statuses, ElementsAre(OrderStatus::kPending, OrderStatus::kAccepted,
                                       OrderStatus::kAwaitingDriver));
}

TEST(OrderQuery, ExpandsCompletedToEveryFinishedStatus) {
  for (std::string_view query : {"status=completed", "status=COMPLETADO", "status=1"}) {
    auto q = parse_order_query(query);
    ASSERT_TRUE(q.ok()) << q.error().message;
    EXPECT_THAT(q->statuses,
                UnorderedElementsAre(OrderStatus::kDelivered, OrderStatus::kPickedUpByCustomer,
                                     OrderStatus::kCompleted))
        << query;
  }
}

TEST(OrderQuery, ReadsNamesAndGroupsInAnyCase) {
  auto q = parse_order_query("status=READY,Cancelled");
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_THAT(q->statuses, UnorderedElementsAre(OrderStatus::kReady, OrderStatus::kCancelled,
                                                OrderStatus::kRejected));
  auto active = parse_order_query("status=ACTIVE");
  ASSERT_TRUE(active.ok()) << active.error().message;
  EXPECT_EQ(active->statuses, parse_order_query("status=active")->statuses);
}

TEST(OrderQuery, ExpandsTheFilterGroups) {
  auto cancelled = parse_order_query("status=cancelled");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_THAT(cancelled->statuses,
              UnorderedElementsAre(OrderStatus::kCancelled, OrderStatus::kRejected));
  auto canceled = parse_order_query("status=canceled");
  ASSERT_TRUE(canceled.ok());
  EXPECT_EQ(canceled->statuses, cancelled->statuses);
  auto failed = parse_order_query("status=failed");
  ASSERT_TRUE(failed.ok());
  EXPECT_THAT(failed->statuses,
              UnorderedElementsAre(OrderStatus::kPickupFailed, OrderStatus::kDeliveryFailed,
                                   OrderStatus::kNotPickedUp));
  auto active = parse_order_query("status=active");
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->statuses.size(), 15u);  // every non-terminal status
  EXPECT_THAT(active->statuses, testing::Contains(OrderStatus::kScheduled));
  EXPECT_THAT(active->statuses, testing::Not(testing::Contains(OrderStatus::kDelivered)));
  EXPECT_THAT(active->statuses, testing::Not(testing::Contains(OrderStatus::kCancelled)));
}

TEST(OrderQuery, RefusesAnUnknownStatus) {
  expect_invalid("status=flying", "status");
  expect_invalid("status=pending,flying", "status");
  expect_invalid("status=6", "status");
}

TEST(OrderQuery, RefusesAmbiguousParametersRatherThanWideningTheList) {
  // An empty status list, or an empty item in one, would read as "any".
  expect_invalid("status=", "status");
  expect_invalid("status=,,", "status");
  expect_invalid("status=,pending", "status");
  expect_invalid("status=pending,", "status");
  expect_invalid("payment_method=", "payment_method");
  expect_invalid("fulfillment=delivery,,pickup", "fulfillment");
  // One filter twice, or under both its names.
  expect_invalid(
      std::string("restaurant_id=") + std::string(kId) + "&restaurant_id=" + std::string(kId),
      "restaurant_id");
  expect_invalid(
      std::string("restaurant_id=") + std::string(kId) + "&establishment=" + std::string(kId),
      "establishment");
  expect_invalid("start_date=2026-11-24&from=2026-11-24", "from");
  expect_invalid("status=pending&status=accepted", "status");
  expect_invalid("limit=5&limit=5", "limit");
}

TEST(BoardQuery, TakesOneRestaurantUnderOneName) {
  const std::string id(kId);
  EXPECT_TRUE(comanda::api::parse_board_query("establishment=" + id).ok());
  for (const std::string& query : {"restaurant_id=" + id + "&establishment=" + id,
                                   "restaurant_id=" + id + "&restaurant_id=" + id, std::string(),
                                   "restaurant_id=" + id + "&status=pending"}) {
    auto r = comanda::api::parse_board_query(query);
    EXPECT_FALSE(r.ok()) << query;
  }
}

TEST(OrderQuery, ReadsTheDateRangeUnderEitherName) {
  auto q = parse_order_query("from=2026-11-20&to=2026-11-24");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->from_date, parse_date("2026-11-20"));
  EXPECT_EQ(q->to_date, parse_date("2026-11-24"));
  q = parse_order_query("start_date=2026-11-24&end_date=2026-11-24");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->from_date, q->to_date);
  q = parse_order_query("end_date=2026-11-24");
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->from_date);
  expect_invalid("start_date=2026-11-25&end_date=2026-11-24", "end_date");
  expect_invalid("from=2026-11-24T00:00:00Z", "from");
  expect_invalid("to=2026-02-30", "to");
  expect_invalid("start_date=yesterday", "start_date");
}

TEST(OrderQuery, ReadsPaymentMethodsAndFulfillmentTypes) {
  auto q = parse_order_query("payment_method_type=CASH,credit&fulfillment=pickup,eat_in");
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_THAT(q->payment_methods, ElementsAre("cash", "credit"));
  EXPECT_THAT(q->fulfillment_types, ElementsAre(FulfillmentType::kPickup, FulfillmentType::kEatIn));
  expect_invalid("payment_method_type=bitcoin", "payment_method_type");
  expect_invalid("fulfillment_type=teleport", "fulfillment_type");
}

TEST(OrderQuery, ReadsTheCustomerAndTheDriver) {
  auto q = parse_order_query(std::string("customer_id=u-cust-1&driver_id=") + std::string(kId));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->customer_id, "u-cust-1");
  EXPECT_EQ(q->driver_id->to_string(), kId);
  expect_invalid("driver_id=luis", "driver_id");
  expect_invalid("customer_id=", "customer_id");
  expect_invalid("customer_id=a%0Ab", "customer_id");
}

TEST(OrderQuery, AcceptsTheDashboardModeAndNothingElse) {
  EXPECT_TRUE(parse_order_query("mode=dashboard").ok());
  expect_invalid("mode=kitchen", "mode");
}

// ---- the cursor ----

TEST(Cursor, RoundTripsAPosition) {
  for (uint64_t position :
       {uint64_t{1}, uint64_t{42}, uint64_t{4096}, uint64_t{1} << 40, UINT64_MAX}) {
    const std::string cursor = encode_cursor(position);
    EXPECT_EQ(cursor.size(), 11u);
    EXPECT_EQ(cursor.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << cursor << " is not URL-safe";
    EXPECT_EQ(decode_cursor(cursor), position) << cursor;
  }
}

TEST(Cursor, OrdersDistinctPositionsToDistinctCursors) {
  EXPECT_NE(encode_cursor(1), encode_cursor(2));
  EXPECT_NE(encode_cursor(64), encode_cursor(1));
}

TEST(Cursor, RefusesMalformedCursors) {
  EXPECT_FALSE(decode_cursor("").has_value());
  EXPECT_FALSE(decode_cursor("abc").has_value());
  EXPECT_FALSE(decode_cursor(encode_cursor(42) + "A").has_value());
  EXPECT_FALSE(decode_cursor("AAAAAAAAAA!").has_value());
  EXPECT_FALSE(decode_cursor("AAAAAAAAAA=").has_value());
  EXPECT_FALSE(decode_cursor("AAAAAAAAAAA").has_value());  // position 0 is never issued
}

TEST(Cursor, RefusesACursorBeyondSixtyFourBits) {
  // 11 digits carry 66 bits; a first digit above 'P' (15) was never issued.
  EXPECT_FALSE(decode_cursor("QAAAAAAAAAB").has_value());
  EXPECT_FALSE(decode_cursor("___________").has_value());
  EXPECT_EQ(encode_cursor(UINT64_MAX)[0], 'P');
}

TEST(Cursor, DecodesOnlyCursorsItWouldIssue) {
  // Every accepted cursor is the encoding of what it decodes to.
  for (std::string cursor :
       {"AAAAAAAAAAB", "PAAAAAAAAAA", "P__________", "QAAAAAAAAAA", "gAAAAAAAAAA", "zzzzzzzzzzz"}) {
    auto position = decode_cursor(cursor);
    if (position) {
      EXPECT_EQ(encode_cursor(*position), cursor);
    }
  }
}

TEST(OrderQuery, ReadsACursorAsThePositionToStartBefore) {
  auto q = parse_order_query("cursor=" + encode_cursor(1234) + "&limit=10");
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->before_position, 1234u);
  EXPECT_EQ(q->limit, 10u);
  expect_invalid("cursor=garbage", "cursor");
  expect_invalid("cursor=", "cursor");
}

}  // namespace
