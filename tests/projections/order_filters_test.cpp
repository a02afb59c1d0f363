// The order list's filters (projections/orders.h): the local service date in
// the restaurant's zone, payment method, fulfillment type, customer and
// driver; each page from the most selective index, reading at most 10x its
// limit, also for a sparse filter among 100k orders; and the indexes follow
// an order as it changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "engine/base/time_text.h"
#include "engine/base/time_zone.h"
#include "tests/support/committed_log.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using comanda::projections::kRowsExaminedPerResult;
using comanda::projections::OrderPage;
using comanda::projections::OrderQuery;
using comanda::projections::OrderView;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kManyOrders = 20'000;
#else
constexpr int kManyOrders = 100'000;
#endif

int64_t at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }
LocalDate day(const char* text) { return *parse_date(text); }

class OrderFiltersTest : public ::testing::Test {
 protected:
  Uuid restaurant(const char* zone = "America/Lima") {
    RestaurantRegistered d = restaurant_details();
    d.time_zone = zone;
    const Uuid id = Uuid::v7();
    EXPECT_TRUE(db_.commit(register_restaurant(id, d)).ok());
    return id;
  }
  // An order placed at `when` (the batch's time).
  Uuid order(const Uuid& r, int64_t when, const std::string& payment = "card",
             FulfillmentType type = FulfillmentType::kDelivery,
             const std::string& customer = "u-cust-1") {
    PlaceOrder body = order_body(Uuid::v7(), r, type);
    body.payment.method = payment;
    body.customer.id = customer;
    db_.now = when - 1000;
    auto outcome = db_.commit(place_order(body));
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return body.order_id;
  }
  std::vector<Uuid> listed(OrderQuery q) {
    std::vector<Uuid> out;
    for (int guard = 0; guard < 100'000; ++guard) {
      const OrderPage page = db_.models.list_orders(q);
      EXPECT_LE(page.rows_examined, kRowsExaminedPerResult * q.limit);
      for (const OrderView& o : page.orders) out.push_back(o.id);
      if (page.next_cursor == 0) return out;
      q.before_position = page.next_cursor;
    }
    ADD_FAILURE() << "pagination did not end";
    return out;
  }

  TempDir dir_;
  CommittedLog db_{dir_.path() / "log"};
};

TEST_F(OrderFiltersTest, FiltersByTheLocalServiceDateInTheRestaurantsZone) {
  const Uuid lima = restaurant("America/Lima"), madrid = restaurant("Europe/Madrid");
  // 03:00Z on the 24th is the 23rd in Lima (UTC-5) and the 24th in Madrid.
  const Uuid late_lima = order(lima, at("2026-11-24T03:00:00Z"));
  const Uuid early_madrid = order(madrid, at("2026-11-24T03:00:01Z"));
  const Uuid noon_lima = order(lima, at("2026-11-24T17:00:00Z"));
  const Uuid next_lima = order(lima, at("2026-11-25T06:00:00Z"));  // the 25th, 01:00 local

  OrderQuery q;
  q.from_date = q.to_date = day("2026-11-24");
  EXPECT_THAT(listed(q), ElementsAre(noon_lima, early_madrid));
  q.from_date = q.to_date = day("2026-11-23");
  EXPECT_THAT(listed(q), ElementsAre(late_lima));
  q.restaurant_id = lima;
  q.from_date = day("2026-11-24");
  q.to_date.reset();
  EXPECT_THAT(listed(q), ElementsAre(next_lima, noon_lima));
  q.from_date.reset();
  q.to_date = day("2026-11-24");
  EXPECT_THAT(listed(q), ElementsAre(noon_lima, late_lima));
  q.from_date = day("2026-12-01");
  q.to_date.reset();
  EXPECT_THAT(listed(q), IsEmpty());
}

TEST_F(OrderFiltersTest, APreorderIsListedOnTheDayItIsServedAndMovesWithIt) {
  const Uuid r = restaurant();
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.fulfillment.scheduled_for_us = at("2026-11-28T15:00:00Z");
  db_.now = at("2026-11-24T15:00:00Z");
  ASSERT_TRUE(db_.commit(place_order(body)).ok());
  const Uuid today = order(r, at("2026-11-24T16:00:00Z"));

  OrderQuery q;
  q.from_date = q.to_date = day("2026-11-28");
  EXPECT_THAT(listed(q), ElementsAre(body.order_id));
  q.from_date = q.to_date = day("2026-11-24");
  EXPECT_THAT(listed(q), ElementsAre(today));

  // Moved to the 30th: gone from the 28th, listed on the 30th.
  OrderPatch patch;
  Fulfillment moved = body.fulfillment;
  moved.scheduled_for_us = at("2026-11-30T15:00:00Z");
  patch.fulfillment = moved;
  ASSERT_TRUE(db_.commit(Call{owner(), ChangeOrder{body.order_id, patch}, std::nullopt}).ok());
  q.from_date = q.to_date = day("2026-11-28");
  EXPECT_THAT(listed(q), IsEmpty());
  q.from_date = q.to_date = day("2026-11-30");
  EXPECT_THAT(listed(q), ElementsAre(body.order_id));
}

TEST_F(OrderFiltersTest, FiltersByPaymentMethodFulfillmentTypeAndCustomer) {
  const Uuid r = restaurant();
  const int64_t t = at("2026-11-24T17:00:00Z");
  const Uuid cash = order(r, t, "cash");
  const Uuid card_pickup = order(r, t + 1000, "card", FulfillmentType::kPickup, "u-cust-2");
  const Uuid cash_eat_in = order(r, t + 2000, "cash", FulfillmentType::kEatIn, "u-cust-2");

  OrderQuery q;
  q.payment_methods = {"cash"};
  EXPECT_THAT(listed(q), ElementsAre(cash_eat_in, cash));
  q.fulfillment_types = {FulfillmentType::kEatIn, FulfillmentType::kPickup};
  EXPECT_THAT(listed(q), ElementsAre(cash_eat_in));
  q.payment_methods.clear();
  EXPECT_THAT(listed(q), ElementsAre(cash_eat_in, card_pickup));
  q.fulfillment_types.clear();
  q.customer_id = "u-cust-2";
  EXPECT_THAT(listed(q), ElementsAre(cash_eat_in, card_pickup));
  // An owner filtering on a customer sees that customer's orders at their
  // restaurants only; the customer's own list ignores another's id.
  RestaurantRegistered elsewhere = restaurant_details();
  elsewhere.owners = {"u-owner-2"};
  const Uuid other = Uuid::v7();
  ASSERT_TRUE(db_.commit(register_restaurant(other, elsewhere)).ok());
  PlaceOrder theirs = order_body(Uuid::v7(), other);
  theirs.customer.id = "u-cust-2";
  ASSERT_TRUE(db_.commit(place_order(theirs, owner("u-owner-2"))).ok());
  EXPECT_THAT(listed(q), ElementsAre(theirs.order_id, cash_eat_in, card_pickup));  // an admin's
  q.viewer = owner("u-owner-1");
  EXPECT_THAT(listed(q), ElementsAre(cash_eat_in, card_pickup));
  q.viewer = owner("u-owner-2");
  EXPECT_THAT(listed(q), ElementsAre(theirs.order_id));
  // Another tenant's restaurant: nothing, and nothing walked.
  q.restaurant_id = r;
  EXPECT_EQ(db_.models.list_orders(q).rows_examined, 0u);
  EXPECT_THAT(listed(q), IsEmpty());
  q.restaurant_id.reset();
  q.viewer = customer("u-cust-1");
  EXPECT_THAT(listed(q), IsEmpty());
  q.customer_id.reset();
  EXPECT_THAT(listed(q), ElementsAre(cash));
}

TEST_F(OrderFiltersTest, FiltersByTheAssignedDriverAndFollowsAReassignment) {
  const Uuid r = restaurant();
  const Uuid o1 = order(r, at("2026-11-24T17:00:00Z"));
  const Uuid o2 = order(r, at("2026-11-24T17:00:01Z"));
  std::vector<Uuid> drivers;
  for (int n : {1, 2}) {
    const Uuid d = Uuid::v7();
    const Principal account = driver("u-driver-" + std::to_string(n));
    ASSERT_TRUE(db_.commit(register_driver(d, account)).ok());
    ASSERT_TRUE(db_.commit(report_location(d, -12.12, -77.03, 0, account)).ok());
    ASSERT_TRUE(
        db_.commit(Call{account, SetAvailability{d, Availability::kAvailable}, std::nullopt}).ok());
    drivers.push_back(d);
  }
  for (const Uuid& o : {o1, o2}) ASSERT_TRUE(db_.commit(change_status(o, "accepted")).ok());
  ASSERT_TRUE(db_.commit(Call{admin(), AcceptDelivery{o1, drivers[0]}, std::nullopt}).ok());
  ASSERT_TRUE(db_.commit(Call{admin(), AcceptDelivery{o2, drivers[1]}, std::nullopt}).ok());

  OrderQuery q;
  q.driver_id = drivers[0];
  EXPECT_THAT(listed(q), ElementsAre(o1));
  // The driver's own list is what is assigned to them.
  OrderQuery mine;
  mine.viewer = driver("u-driver-2");
  EXPECT_THAT(listed(mine), ElementsAre(o2));

  // Dropped: off the first driver's list; assigned anew: on the next one's.
  ASSERT_TRUE(
      db_.commit(Call{driver("u-driver-1"), DropDelivery{o1, "flat tyre"}, std::nullopt}).ok());
  EXPECT_THAT(listed(q), IsEmpty());
  const Uuid third = Uuid::v7();
  ASSERT_TRUE(db_.commit(register_driver(third, driver("u-driver-3"))).ok());
  ASSERT_TRUE(db_.commit(report_location(third, -12.12, -77.03, 0, driver("u-driver-3"))).ok());
  ASSERT_TRUE(
      db_.commit(Call{admin(), SetAvailability{third, Availability::kAvailable}, std::nullopt})
          .ok());
  auto reassigned = db_.commit(Call{admin(), AcceptDelivery{o1, third}, std::nullopt});
  ASSERT_TRUE(reassigned.ok()) << reassigned.error().message;
  q.driver_id = third;
  EXPECT_THAT(listed(q), ElementsAre(o1));
}

TEST_F(OrderFiltersTest, StatusListsFollowEachStepAndLeaveDeletedOrders) {
  const Uuid r = restaurant();
  const Uuid a = order(r, at("2026-11-24T17:00:00Z"));
  const Uuid b = order(r, at("2026-11-24T17:00:01Z"));
  const Uuid c = order(r, at("2026-11-24T17:00:02Z"));
  ASSERT_TRUE(db_.commit(change_status(a, "cancelled")).ok());
  ASSERT_TRUE(db_.commit(Call{owner(), DeleteOrder{b}, std::nullopt}).ok());
  OrderQuery q;
  q.restaurant_id = r;
  q.statuses = {OrderStatus::kCancelled, OrderStatus::kRejected};
  EXPECT_THAT(listed(q), ElementsAre(a));
  q.statuses = {OrderStatus::kPending};
  EXPECT_THAT(listed(q), ElementsAre(c));
  EXPECT_EQ(db_.models.list_orders(q).rows_examined, 1u) << "walked more than the open orders";
}

TEST_F(OrderFiltersTest, AnEditKeepsTheServiceDateItWasGivenWhenTheZoneChangedSince) {
  const Uuid r = restaurant("UTC");
  const Uuid o = order(r, at("2026-11-24T13:00:00Z"));  // the 24th in UTC, the 25th in Auckland
  RestaurantPatch moved;
  moved.time_zone = "Pacific/Auckland";
  ASSERT_TRUE(db_.commit(update_restaurant(r, moved)).ok());
  OrderPatch noted;
  noted.notes = "sin cebolla";
  ASSERT_TRUE(db_.commit(Call{owner(), ChangeOrder{o, noted}, std::nullopt}).ok());
  OrderQuery q;
  q.from_date = q.to_date = day("2026-11-24");
  EXPECT_THAT(listed(q), ElementsAre(o));
  // Orders placed since are dated in the new zone.
  const Uuid later = order(r, at("2026-11-24T13:00:05Z"));
  q.from_date = q.to_date = day("2026-11-25");
  EXPECT_THAT(listed(q), ElementsAre(later));
}

TEST_F(OrderFiltersTest, DeletedOrdersLeaveEveryListAndCostNoReads) {
  const Uuid r = restaurant();
  const Uuid kept = order(r, at("2026-11-24T17:00:00Z"));
  for (int i = 0; i < 30; ++i) {
    const Uuid gone = order(r, at("2026-11-24T17:00:01Z") + i * 1000);
    ASSERT_TRUE(db_.commit(Call{owner(), DeleteOrder{gone}, std::nullopt}).ok());
  }
  OrderQuery q;
  q.viewer = owner("u-owner-1");
  q.limit = 1;
  const OrderPage page = db_.models.list_orders(q);
  EXPECT_THAT(page.orders.size(), 1u);
  EXPECT_EQ(page.rows_examined, 1u);
  q.customer_id = "u-cust-1";
  q.from_date = day("2026-11-24");
  EXPECT_THAT(listed(q), ElementsAre(kept));
}

TEST_F(OrderFiltersTest, ADriversListIsWhatIsAssignedToThemNotWhatIsOffered) {
  const Uuid r = restaurant();
  const Uuid d = Uuid::v7();
  ASSERT_TRUE(db_.commit(register_driver(d)).ok());
  ASSERT_TRUE(db_.commit(report_location(d, -12.1201, -77.0301)).ok());
  ASSERT_TRUE(
      db_.commit(Call{driver(), SetAvailability{d, Availability::kAvailable}, std::nullopt}).ok());
  PlaceOrder body = order_body(Uuid::v7(), r);
  body.fulfillment.location = GeoPoint{-12.11, -77.02};
  ASSERT_TRUE(db_.commit(place_order(body)).ok());
  for (const char* step : {"accepted", "ready", "awaiting_driver"})
    ASSERT_TRUE(db_.commit(change_status(body.order_id, step)).ok());
  auto offered = db_.models.order(body.order_id);
  ASSERT_TRUE(offered);
  ASSERT_THAT(offered->offered, ElementsAre(d)) << "the restaurant offers on awaiting_driver";
  OrderQuery q;
  q.viewer = driver();
  EXPECT_THAT(listed(q), IsEmpty());
  q.customer_id = "u-cust-1";
  EXPECT_THAT(listed(q), IsEmpty());
  ASSERT_TRUE(db_.commit(Call{driver(), AcceptDelivery{body.order_id, {}}, std::nullopt}).ok());
  EXPECT_THAT(listed(q), ElementsAre(body.order_id));
}

TEST_F(OrderFiltersTest, ADaysStatsCountItsOrdersByStatusAndAddUpWhatWasCompleted) {
  const Uuid r = restaurant();  // Lima, UTC-5
  const auto eat_in = FulfillmentType::kEatIn;
  const Uuid yesterday = order(r, at("2026-11-24T04:00:00Z"), "cash", eat_in);  // the 23rd
  const Uuid done = order(r, at("2026-11-24T15:00:00Z"), "cash", eat_in);
  const Uuid also_done = order(r, at("2026-11-24T16:00:00Z"), "card", eat_in);
  const Uuid cancelled = order(r, at("2026-11-24T17:00:00Z"), "card", eat_in);
  order(r, at("2026-11-24T18:00:00Z"), "card", eat_in);  // still pending
  const Uuid deleted = order(r, at("2026-11-24T19:00:00Z"), "card", eat_in);
  for (const Uuid& o : {yesterday, done, also_done})
    ASSERT_TRUE(db_.commit(change_status(o, "completed")).ok());
  ASSERT_TRUE(db_.commit(change_status(cancelled, "cancelled")).ok());
  ASSERT_TRUE(db_.commit(Call{owner(), DeleteOrder{deleted}, std::nullopt}).ok());
  const auto& orders = db_.models.registry().get<comanda::projections::OrdersModel>();

  const auto stats = orders.day_stats(r, day("2026-11-24"), 0);
  EXPECT_EQ(stats.orders, 4u);
  EXPECT_EQ(stats.by_status[static_cast<size_t>(OrderStatus::kCompleted)], 2u);
  EXPECT_EQ(stats.by_status[static_cast<size_t>(OrderStatus::kCancelled)], 1u);
  EXPECT_EQ(stats.by_status[static_cast<size_t>(OrderStatus::kPending)], 1u);
  EXPECT_EQ(stats.by_group[static_cast<size_t>(StatusGroup::kActive)], 1u);
  const auto placed = db_.models.order(done);
  ASSERT_TRUE(placed);
  EXPECT_EQ(stats.revenue, 2 * placed->placed.totals.total);
  EXPECT_EQ(stats.currency, "PEN");
  // Without a date: today in the restaurant's zone at `now` (03:00Z on the
  // 25th is still the 24th in Lima).
  EXPECT_EQ(orders.day_stats(r, std::nullopt, at("2026-11-25T03:00:00Z")).orders, 4u);
  EXPECT_EQ(orders.day_stats(r, std::nullopt, at("2026-11-24T04:30:00Z")).orders, 1u);
  EXPECT_EQ(orders.day_stats(r, day("2026-11-26"), 0).orders, 0u);
  EXPECT_EQ(orders.day_stats(Uuid::v7(), day("2026-11-24"), 0).orders, 0u);
}

// DESIGN.md: one tenant's sparse filter must not scan history. Among 100k
// orders, a filter with an index reads about its results; one without
// reads at most 10x the limit per page and hands back a cursor.
TEST_F(OrderFiltersTest, ASparseFilterAmongAHundredThousandOrdersReadsAtMostTenTimesItsLimit) {
  const Uuid r = restaurant();
  const int kOrders = kManyOrders;
  const int kEvery = kOrders / 8;
  std::vector<Uuid> rare_payment, rare_customer, cancelled;
  db_.now = at("2026-11-24T12:00:00Z");
  for (int placed = 0; placed < kOrders;) {
    std::vector<Command> batch;
    for (int i = 0; i < 1000 && placed < kOrders; ++i, ++placed) {
      PlaceOrder body = order_body(Uuid::v7(), r);
      if (placed % kEvery == 1) {
        body.payment.method = "cash";
        rare_payment.push_back(body.order_id);
      }
      if (placed % kEvery == 2) {
        body.customer.id = "u-rare";
        rare_customer.push_back(body.order_id);
      }
      if (placed % kEvery == 3) cancelled.push_back(body.order_id);
      batch.push_back(place_order(body));
    }
    for (const auto& outcome : db_.commit_batch(std::move(batch))) ASSERT_TRUE(outcome.ok());
  }
  for (const Uuid& id : cancelled) ASSERT_TRUE(db_.commit(change_status(id, "cancelled")).ok());
  const auto newest_first = [](std::vector<Uuid> ids) {
    std::reverse(ids.begin(), ids.end());
    return ids;
  };

  OrderQuery q;
  q.viewer = owner("u-owner-1");
  q.limit = 5;
  q.statuses = {OrderStatus::kCancelled};
  const OrderPage first = db_.models.list_orders(q);
  EXPECT_EQ(first.orders.size(), 5u);
  EXPECT_LE(first.rows_examined, 6u) << "the status group's index was not used";
  EXPECT_EQ(listed(q), newest_first(cancelled));

  q.statuses.clear();
  q.customer_id = "u-rare";
  EXPECT_LE(db_.models.list_orders(q).rows_examined, 6u) << "the customer's index was not used";
  EXPECT_EQ(listed(q), newest_first(rare_customer));

  // No index for a payment method: short pages, each within the bound.
  q.customer_id.reset();
  q.payment_methods = {"cash"};
  q.limit = 50;
  const OrderPage sparse = db_.models.list_orders(q);
  EXPECT_EQ(sparse.rows_examined, kRowsExaminedPerResult * q.limit);
  EXPECT_NE(sparse.next_cursor, 0u);
  EXPECT_EQ(listed(q), newest_first(rare_payment));  // listed() checks every page's bound
}

}  // namespace
