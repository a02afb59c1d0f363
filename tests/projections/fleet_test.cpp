// The fleet's read models: the drivers nearest a point (projections/drivers.h),
// exact while drivers move within the spatial index's slack, and a driver's
// panel (projections/orders.h): offers, deliveries in transit, and what it
// completed on the local day, also after a snapshot.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "engine/base/time_text.h"
#include "projections/view_store.h"
#include "tests/support/committed_log.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using comanda::projections::DriverPanel;
using comanda::projections::DriversModel;
using comanda::projections::OrdersModel;
using comanda::projections::OrderView;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Principal kAdmin{"u-admin", Role::kAdmin};
constexpr double kLat = -12.12, kLng = -77.03;

int64_t at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

std::vector<Uuid> ids(const std::vector<OrderView>& orders) {
  std::vector<Uuid> out;
  for (const OrderView& o : orders) out.push_back(o.id);
  return out;
}

class FleetTest : public ::testing::Test {
 protected:
  const DriversModel& drivers() { return db_.models.registry().get<DriversModel>(); }
  const OrdersModel& orders() { return db_.models.registry().get<OrdersModel>(); }

  // Driver `n`, at (lat, lng), available unless told otherwise.
  Uuid add_driver(int n, double lat, double lng, bool available = true) {
    const Uuid id = Uuid::v7();
    const Principal account = driver("u-driver-" + std::to_string(n));
    EXPECT_TRUE(db_.commit(register_driver(id, account)).ok());
    EXPECT_TRUE(db_.commit(report_location(id, lat, lng, 0, account)).ok());
    if (available) {
      EXPECT_TRUE(
          db_.commit(Call{account, SetAvailability{id, Availability::kAvailable}, std::nullopt})
              .ok());
    }
    return id;
  }

  TempDir dir_;
  CommittedLog db_{dir_.path() / "log"};
};

TEST_F(FleetTest, NearestDriversAreExactlyABruteForceSearchsAsTheyMove) {
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> around(-0.09, 0.09);    // about 10 km
  std::uniform_real_distribution<double> step(-0.0005, 0.0005);  // up to about 55 m
  constexpr int kDrivers = 300;
  std::vector<Uuid> fleet;
  std::vector<std::pair<double, double>> where;
  for (int n = 0; n < kDrivers; ++n) {
    where.emplace_back(kLat + around(rng), kLng + around(rng));
    fleet.push_back(add_driver(n, where.back().first, where.back().second, n % 4 != 0));
  }
  for (int n = 0; n < kDrivers; n += 7)  // some suspended
    ASSERT_TRUE(db_.commit(Call{kAdmin, SetDriverActive{fleet[static_cast<size_t>(n)], false},
                                std::nullopt})
                    .ok());

  for (int round = 0; round < 12; ++round) {
    std::vector<Command> pings;
    for (int n = 0; n < kDrivers; ++n) {
      auto& [lat, lng] = where[static_cast<size_t>(n)];
      if (n % 10 == round % 10) {  // a jump across town
        lat = kLat + around(rng);
        lng = kLng + around(rng);
      } else {
        lat += step(rng);
        lng += step(rng);
      }
      pings.push_back(report_location(fleet[static_cast<size_t>(n)], lat, lng, 0,
                                      driver("u-driver-" + std::to_string(n))));
    }
    for (const auto& outcome : db_.commit_batch(std::move(pings))) ASSERT_TRUE(outcome.ok());

    for (int q = 0; q < 8; ++q) {
      const GeoPoint from{kLat + around(rng), kLng + around(rng)};
      const double radius = q % 2 ? 150 : 600;
      const size_t limit = q % 3 ? 10 : 100;
      const bool available = q % 4 != 3;
      // Brute force, from each driver's position as the model shows it.
      std::vector<std::pair<double, Uuid>> expected;
      for (const Uuid& id : fleet) {
        auto d = drivers().driver_for(id, kAdmin);
        ASSERT_TRUE(d && d->position);
        if (available && (d->availability != Availability::kAvailable || !d->active)) continue;
        const double m =
            distance_m(from, from_e7(d->position->location.lat_e7, d->position->location.lng_e7));
        if (m <= radius) expected.emplace_back(m, id);
      }
      std::sort(expected.begin(), expected.end());
      if (expected.size() > limit) expected.resize(limit);
      const auto got = drivers().nearest(from, radius, available, limit);
      ASSERT_EQ(got.size(), expected.size()) << "round " << round << " query " << q;
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_NEAR(got[i].distance_m, expected[i].first, 1e-6) << i;
        if (i + 1 < got.size()) {
          EXPECT_LE(got[i].distance_m, got[i + 1].distance_m);
        }
      }
    }
  }
}

TEST_F(FleetTest, OnlyDriversWithAPositionAreNearAnything) {
  const Uuid placed = add_driver(1, kLat, kLng);
  const Uuid unplaced = Uuid::v7();
  ASSERT_TRUE(db_.commit(register_driver(unplaced, driver("u-driver-2"))).ok());
  const auto got = drivers().nearest({kLat, kLng}, 100, false, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].driver.id, placed);
  EXPECT_LT(got[0].distance_m, 0.01);
  EXPECT_THAT(drivers().nearest({kLat + 1, kLng}, 5000, false, 10), IsEmpty());
}

class DriverPanelTest : public FleetTest {
 protected:
  void SetUp() override {
    RestaurantRegistered d = restaurant_details();  // America/Lima, UTC-5
    EXPECT_TRUE(db_.commit(register_restaurant(restaurant_, d)).ok());
    luis_ = add_driver(1, kLat + 0.001, kLng);
    ana_ = add_driver(2, kLat + 0.002, kLng);
  }

  // A delivery stepped by the owner to awaiting_driver (offered then).
  Uuid awaiting_driver() {
    PlaceOrder body = order_body(Uuid::v7(), restaurant_);
    body.fulfillment.location = GeoPoint{kLat + 0.01, kLng};
    EXPECT_TRUE(db_.commit(place_order(body)).ok());
    for (const char* step : {"accepted", "ready", "awaiting_driver"})
      EXPECT_TRUE(db_.commit(change_status(body.order_id, step)).ok());
    return body.order_id;
  }
  void take(const Uuid& order, int n) {
    auto taken = db_.commit(
        Call{driver("u-driver-" + std::to_string(n)), AcceptDelivery{order, {}}, std::nullopt});
    ASSERT_TRUE(taken.ok()) << taken.error().message;
  }
  void deliver(const Uuid& order, int n) {
    const Principal who = driver("u-driver-" + std::to_string(n));
    for (const char* step : {"picked_up", "on_the_way", "delivered"})
      ASSERT_TRUE(db_.commit(change_status(order, step, who)).ok()) << step;
  }
  DriverPanel panel(const Uuid& d) { return orders().driver_panel(d, db_.now); }

  Uuid restaurant_ = Uuid::v7();
  Uuid luis_, ana_;
};

TEST_F(DriverPanelTest, ShowsOffersThenTheDeliveryThenWhatWasCompletedToday) {
  db_.now = at("2026-11-24T15:00:00Z");  // 10:00 in Lima
  const Uuid order = awaiting_driver();
  DriverPanel p = panel(luis_);
  ASSERT_THAT(ids(p.offers), ElementsAre(order)) << "the nearest driver is offered it";
  EXPECT_THAT(p.in_transit, IsEmpty());

  take(order, 1);
  p = panel(luis_);
  EXPECT_THAT(p.offers, IsEmpty());
  EXPECT_THAT(ids(p.in_transit), ElementsAre(order));
  EXPECT_THAT(panel(ana_).in_transit, IsEmpty());

  deliver(order, 1);
  p = panel(luis_);
  EXPECT_THAT(p.in_transit, IsEmpty());
  EXPECT_THAT(ids(p.completed_today), ElementsAre(order));
  EXPECT_THAT(panel(ana_).completed_today, IsEmpty());
}

TEST_F(DriverPanelTest, TodayIsTheRestaurantsLocalDay) {
  db_.now = at("2026-11-25T03:00:00Z");  // the 24th, 22:00 in Lima
  const Uuid late = awaiting_driver();
  take(late, 1);
  deliver(late, 1);
  // Still the 24th in Lima at 04:59Z; the 25th from 05:00Z.
  EXPECT_THAT(ids(orders().driver_panel(luis_, at("2026-11-25T04:59:00Z")).completed_today),
              ElementsAre(late));
  EXPECT_THAT(orders().driver_panel(luis_, at("2026-11-25T05:00:00Z")).completed_today, IsEmpty());
}

TEST_F(DriverPanelTest, AGivenUpDeliveryLeavesThePanelAndTheSnapshotShowsTheSame) {
  db_.now = at("2026-11-24T15:00:00Z");
  const Uuid done = awaiting_driver();
  take(done, 1);
  deliver(done, 1);
  const Uuid dropped = awaiting_driver();
  take(dropped, 1);
  ASSERT_TRUE(
      db_.commit(Call{driver("u-driver-1"), DropDelivery{dropped, "flat tyre"}, std::nullopt})
          .ok());
  const Uuid riding = awaiting_driver();
  DriverPanel live = panel(luis_);
  EXPECT_THAT(ids(live.completed_today), ElementsAre(done));
  EXPECT_THAT(ids(live.in_transit), IsEmpty());  // the dropped one is offered anew

  auto views = comanda::projections::ViewStore::open(dir_.path() / "views");
  ASSERT_TRUE(views.ok());
  ASSERT_TRUE((*views)->save(db_.models.registry(), *db_.log).ok());
  ModelsUnderTest loaded;
  ASSERT_TRUE((*views)->load(loaded.registry(), *db_.log).ok());
  const auto& from_snapshot = loaded.registry().get<OrdersModel>();
  for (const Uuid& d : {luis_, ana_}) {
    const DriverPanel a = orders().driver_panel(d, db_.now);
    const DriverPanel b = from_snapshot.driver_panel(d, db_.now);
    EXPECT_EQ(ids(a.offers), ids(b.offers));
    EXPECT_EQ(ids(a.in_transit), ids(b.in_transit));
    EXPECT_EQ(ids(a.completed_today), ids(b.completed_today));
  }
  (void)riding;
}

}  // namespace
