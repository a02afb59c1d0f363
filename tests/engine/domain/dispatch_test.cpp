// Dispatch (engine/domain/dispatch.cpp): offers to the nearest drivers or to
// all, expiry and re-offer, waiting orders, accept/drop/delivered, admin
// assignment, busy drivers, and the geofence steps of the assigned driver's
// pings. Positions are metres north of the restaurant (a degree of latitude
// is ~111.2 km).
#include "engine/domain/dispatch.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/domain/driver.h"
#include "engine/domain/order.h"
#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

constexpr double kLat = -12.12, kLng = -77.03;  // the restaurant (restaurant_details())
constexpr double kDegreesPerMetre = 1.0 / 111'195.0;
constexpr int64_t kSecond = 1'000'000;

double north(double metres) { return kLat + metres * kDegreesPerMetre; }

template <class E>
std::vector<const Event*> of_type(const std::vector<Event>& events) {
  std::vector<const Event*> out;
  for (const Event& e : events)
    if (std::holds_alternative<E>(e.payload)) out.push_back(&e);
  return out;
}

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(state_.decide(register_restaurant(restaurant_)).ok()); }

  Principal driver_user(int n) const { return driver("u-driver-" + std::to_string(n)); }

  // Registers driver `n`, reports it `metres` north of the restaurant and,
  // unless told otherwise, makes it available.
  Uuid add_driver(int n, double metres, bool available = true) {
    Uuid id = Uuid::v7();
    EXPECT_TRUE(state_.decide(register_driver(id, driver_user(n))).ok());
    EXPECT_TRUE(state_.decide(report_location(id, north(metres), kLng, 0, driver_user(n))).ok());
    if (available) {
      EXPECT_TRUE(set_availability(n, id, Availability::kAvailable).ok());
    }
    drivers_[id] = n;
    return id;
  }

  Decided set_availability(int n, const Uuid& id, Availability a, int64_t now = kNow) {
    return state_.decide({driver_user(n), SetAvailability{id, a}, std::nullopt}, now);
  }
  Decided ping(const Uuid& driver_id, double metres_north, double lng = kLng, int64_t now = kNow) {
    return state_.decide(
        report_location(driver_id, north(metres_north), lng, 0, driver_user(drivers_[driver_id])),
        now);
  }

  // A delivery order to a customer 2 km north, stepped by the owner up to
  // `to` (awaiting_driver by default: the restaurant's offer_on).
  Uuid order_up_to(const char* to = "awaiting_driver", int64_t now = kNow) {
    Uuid id = Uuid::v7();
    PlaceOrder body = order_body(id, restaurant_);
    body.fulfillment.location = GeoPoint{north(2000), kLng};
    EXPECT_TRUE(state_.decide(place_order(body)).ok());
    for (const char* step : {"accepted", "ready", "awaiting_driver"}) {
      last_ = state_.decide(change_status(id, step), now);
      EXPECT_TRUE(last_.ok()) << step << ": " << last_.error().message;
      if (std::string_view(step) == to) break;
    }
    return id;
  }

  Decided accept(const Uuid& order, const Uuid& driver_id, int64_t now = kNow) {
    return state_.decide({driver_user(drivers_[driver_id]), AcceptDelivery{order, {}}, {}}, now);
  }
  Decided as_driver(const Uuid& driver_id, CommandBody body, int64_t now = kNow) {
    return state_.decide({driver_user(drivers_[driver_id]), std::move(body), {}}, now);
  }
  Decided expire(const Uuid& order, int64_t now) {
    const OrderState* o = state_.find<Order>(order);
    return state_.decide({kEnginePrincipal, ExpireOffer{order, o->offer_expires_at_us}, {}}, now);
  }
  void patch_restaurant(RestaurantPatch p) {
    ASSERT_TRUE(state_.decide(update_restaurant(restaurant_, std::move(p))).ok());
  }

  const OrderState& order(const Uuid& id) const { return *state_.find<Order>(id); }
  const DriverState& driver_state(const Uuid& id) const { return *state_.find<Driver>(id); }
  std::vector<Uuid> offered(const Uuid& id) const {
    const auto& o = order(id).offered;
    return {o.begin(), o.end()};
  }

  const Uuid restaurant_ = Uuid::v7();
  DomainState state_;
  std::map<Uuid, int> drivers_;
  Decided last_;
};

TEST_F(DispatchTest, AnOrderAwaitingADriverIsOfferedToTheNearestAvailableOnes) {
  const Uuid far = add_driver(1, 400), near = add_driver(2, 100), mid = add_driver(3, 250);
  const Uuid farther = add_driver(4, 300);
  add_driver(5, 50, /*available=*/false);  // offline: never offered
  add_driver(6, 6000);                     // beyond the 5 km radius
  const Uuid o = order_up_to();

  // The step and the offer are one batch; the offer is the engine's.
  ASSERT_EQ(last_.events.size(), 2u);
  const Event& e = last_.events.back();
  const auto& offer = std::get<DriverOffered>(e.payload);
  EXPECT_EQ(offer.drivers, (std::vector<Uuid>{near, mid, farther}));  // offer_to 3, nearest first
  EXPECT_EQ(offer.expires_at_us, kNow + 60 * kSecond);
  EXPECT_EQ(e.actor, kEnginePrincipal);
  EXPECT_EQ(offered(o), offer.drivers);
  for (const Uuid& d : offer.drivers) EXPECT_EQ(state_.book<Order>().offers_of(d).size(), 1u);
  EXPECT_TRUE(state_.book<Order>().offers_of(far).empty());
}

TEST_F(DispatchTest, BroadcastOffersEveryAvailableDriverAndNoneOffersNobody) {
  RestaurantPatch broadcast;
  broadcast.dispatch_mode = DispatchSettings::Mode::kBroadcast;
  patch_restaurant(broadcast);
  for (int n = 1; n <= 5; ++n) add_driver(n, n * 3000.0);  // as far as 15 km: no radius
  add_driver(6, 10, false);
  const Uuid o = order_up_to();
  EXPECT_EQ(offered(o).size(), 5u);

  RestaurantPatch none;
  none.dispatch_mode = DispatchSettings::Mode::kNone;
  patch_restaurant(none);
  const Uuid own_riders = order_up_to();
  EXPECT_EQ(last_.events.size(), 1u) << "only the step: no offer, no waiting";
  EXPECT_TRUE(offered(own_riders).empty());
  EXPECT_EQ(order(own_riders).waiting_radius_m, 0u);
}

TEST_F(DispatchTest, GastroMovilOffersOnAcceptance) {
  RestaurantPatch on_accept;
  on_accept.dispatch_offer_on = OrderStatus::kAccepted;
  patch_restaurant(on_accept);
  const Uuid d = add_driver(1, 100);
  const Uuid o = order_up_to("accepted");
  EXPECT_EQ(offered(o), std::vector<Uuid>{d});
  // Reaching awaiting_driver later offers nothing anew.
  auto step = state_.decide(change_status(o, "ready"));
  ASSERT_TRUE(step.ok());
  step = state_.decide(change_status(o, "awaiting_driver"));
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step.events.size(), 1u);
}

TEST_F(DispatchTest, AnInactiveDriverGetsNoOffers) {
  const Uuid suspended = add_driver(1, 100);
  const Uuid other = add_driver(2, 900);
  ASSERT_TRUE(state_.decide({admin(), SetDriverActive{suspended, false}, {}}).ok());
  const Uuid o = order_up_to();
  EXPECT_EQ(offered(o), std::vector<Uuid>{other});
  // Only admins suspend.
  auto refused = as_driver(other, SetDriverActive{other, false});
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_F(DispatchTest, AnExpiredOfferGoesToTheNextNearestThenStartsOver) {
  RestaurantPatch one_at_a_time;
  one_at_a_time.dispatch_offer_to = 1;
  patch_restaurant(one_at_a_time);
  const Uuid a = add_driver(1, 100), b = add_driver(2, 200);
  const Uuid o = order_up_to();
  ASSERT_EQ(offered(o), std::vector<Uuid>{a});

  // Not yet due: refused, nothing written.
  auto early = expire(o, kNow + 59 * kSecond);
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);

  auto expired = expire(o, kNow + 60 * kSecond);
  ASSERT_TRUE(expired.ok()) << expired.error().message;
  EXPECT_EQ(std::get<OfferExpired>(expired.events.front().payload).drivers, std::vector<Uuid>{a});
  EXPECT_EQ(offered(o), std::vector<Uuid>{b}) << "the next nearest";
  EXPECT_EQ(accept(o, a, kNow + 61 * kSecond).error().code, ErrorCode::kConflict)
      << "a's offer ended: not an absent order to a";
  EXPECT_EQ(order(o).offer_expires_at_us, kNow + 120 * kSecond);

  // A stale expiry (of the first offer) changes nothing.
  auto stale = state_.decide({kEnginePrincipal, ExpireOffer{o, kNow + 60 * kSecond}, {}},
                             kNow + 200 * kSecond);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

  // Everyone skipped: start over with the nearest.
  ASSERT_TRUE(expire(o, kNow + 120 * kSecond).ok());
  EXPECT_EQ(offered(o), std::vector<Uuid>{a});

  // Only the engine expires offers.
  auto by_owner = state_.decide({owner(), ExpireOffer{o, order(o).offer_expires_at_us}, {}},
                                kNow + 999 * kSecond);
  EXPECT_EQ(by_owner.error().code, ErrorCode::kForbidden);
}

TEST_F(DispatchTest, WithNobodyInRangeTheOrderWaitsForADriverToComeInRange) {
  const Uuid far = add_driver(1, 8000);
  const Uuid o = order_up_to();
  const auto& waiting = std::get<DispatchWaiting>(last_.events.back().payload);
  EXPECT_EQ(waiting.radius_m, 5000u);
  EXPECT_EQ(state_.book<Order>().waiting().size(), 1u);
  EXPECT_EQ(last_.events.back().actor, kEnginePrincipal);

  // A ping still out of range offers nothing; one in range offers it.
  auto out_of_range = ping(far, 6000);
  ASSERT_TRUE(out_of_range.ok());
  EXPECT_EQ(out_of_range.events.size(), 1u);
  auto in_range = ping(far, 4000);
  ASSERT_TRUE(in_range.ok());
  ASSERT_EQ(in_range.events.size(), 2u);
  EXPECT_EQ(std::get<DriverOffered>(in_range.events.back().payload).drivers,
            std::vector<Uuid>{far});
  EXPECT_EQ(offered(o), std::vector<Uuid>{far});
  EXPECT_EQ(state_.book<Order>().waiting().size(), 0u);
}

TEST_F(DispatchTest, ADriverBecomingAvailableInRangeIsOfferedTheWaitingOrders) {
  const Uuid o = order_up_to();
  ASSERT_TRUE(std::holds_alternative<DispatchWaiting>(last_.events.back().payload));
  const Uuid d = add_driver(1, 300, /*available=*/false);
  EXPECT_TRUE(offered(o).empty()) << "an offline driver's ping offers nothing";
  auto available = set_availability(1, d, Availability::kAvailable);
  ASSERT_TRUE(available.ok());
  EXPECT_EQ(offered(o), std::vector<Uuid>{d});
}

TEST_F(DispatchTest, TheFirstAcceptWinsAndLaterOnesAreConflicts) {
  const Uuid a = add_driver(1, 100), b = add_driver(2, 200), c = add_driver(3, 300);
  const Uuid stranger = add_driver(4, 9000);
  const Uuid o = order_up_to();
  // Another order offered to b too: b's accept of o withdraws it.
  const Uuid other = order_up_to();
  ASSERT_EQ(offered(other), (std::vector<Uuid>{a, b, c}));

  auto won = accept(o, b);
  ASSERT_TRUE(won.ok()) << won.error().message;
  EXPECT_EQ(order(o).status, OrderStatus::kDriverAssigned);
  EXPECT_EQ(order(o).driver, b);
  EXPECT_TRUE(offered(o).empty());
  EXPECT_EQ(driver_state(b).availability, Availability::kBusy);
  EXPECT_EQ(driver_state(b).order, o);
  EXPECT_EQ(offered(other), (std::vector<Uuid>{a, c})) << "b's other offer is withdrawn";
  EXPECT_EQ(of_type<OfferWithdrawn>(won.events).size(), 1u);
  EXPECT_TRUE(state_.book<Order>().offers_of(b).empty());

  EXPECT_EQ(accept(o, a).error().code, ErrorCode::kConflict) << "taken";
  EXPECT_EQ(accept(o, b).error().code, ErrorCode::kConflict) << "taken, by you";
  EXPECT_EQ(accept(o, stranger).error().code, ErrorCode::kNotFound) << "never offered";
  EXPECT_EQ(accept(other, b).error().code, ErrorCode::kConflict) << "busy, the offer withdrawn";
  // A busy driver cannot go offline or available until the delivery ends.
  EXPECT_EQ(set_availability(2, b, Availability::kOffline).error().code, ErrorCode::kConflict);
  EXPECT_EQ(set_availability(2, b, Availability::kBusy).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(DispatchTest, AnOrderWhoseOnlyOfferIsWithdrawnIsOfferedAgain) {
  RestaurantPatch one;
  one.dispatch_offer_to = 1;
  patch_restaurant(one);
  const Uuid a = add_driver(1, 100);
  const Uuid first = order_up_to();
  const Uuid second = order_up_to();  // both offered to a, the only driver
  ASSERT_EQ(offered(second), std::vector<Uuid>{a});
  const Uuid b = add_driver(2, 300, /*available=*/false);
  ASSERT_TRUE(accept(first, a).ok());
  // a's offer of the second is withdrawn, and the second waits (b is offline) ...
  EXPECT_TRUE(offered(second).empty());
  EXPECT_GT(order(second).waiting_radius_m, 0u) << "neither offered nor waiting: stuck";
  // ... until b goes available nearby.
  ASSERT_TRUE(set_availability(2, b, Availability::kAvailable).ok());
  EXPECT_EQ(offered(second), std::vector<Uuid>{b});
}

TEST_F(DispatchTest, ADriverGoingOfflineOrSuspendedLosesTheirOffersToOthers) {
  RestaurantPatch one;
  one.dispatch_offer_to = 1;
  patch_restaurant(one);
  const Uuid a = add_driver(1, 100), b = add_driver(2, 300);
  const Uuid o = order_up_to();
  ASSERT_EQ(offered(o), std::vector<Uuid>{a});
  ASSERT_TRUE(set_availability(1, a, Availability::kOffline).ok());
  EXPECT_EQ(offered(o), std::vector<Uuid>{b});
  EXPECT_EQ(accept(o, a).error().code, ErrorCode::kConflict) << "offline, and the offer ended";
  ASSERT_TRUE(state_.decide({admin(), SetDriverActive{b, false}, {}}).ok());
  EXPECT_TRUE(offered(o).empty());
  EXPECT_GT(order(o).waiting_radius_m, 0u);
}

TEST_F(DispatchTest, NoDriverTakesAnOrderTheRestaurantHasNotAccepted) {
  const Uuid a = add_driver(1, 100);
  const Uuid pending = Uuid::v7();
  ASSERT_TRUE(state_.decide(place_order(pending, restaurant_)).ok());
  EXPECT_EQ(state_.decide({admin(), AcceptDelivery{pending, a}, {}}).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(order(pending).status, OrderStatus::kPending);
}

TEST_F(DispatchTest, AnAdminAssignsAnyAvailableDriver) {
  const Uuid offered_one = add_driver(1, 100);
  const Uuid far = add_driver(2, 9000), offline = add_driver(3, 50, false);
  const Uuid o = order_up_to();
  ASSERT_EQ(offered(o), std::vector<Uuid>{offered_one});

  auto unnamed = state_.decide({admin(), AcceptDelivery{o, {}}, {}});
  EXPECT_EQ(unnamed.error().field, "driver_id");
  auto not_available = state_.decide({admin(), AcceptDelivery{o, offline}, {}});
  EXPECT_EQ(not_available.error().code, ErrorCode::kConflict);
  auto assigned = state_.decide({admin(), AcceptDelivery{o, far}, {}});
  ASSERT_TRUE(assigned.ok()) << assigned.error().message;
  EXPECT_EQ(order(o).driver, far);
  EXPECT_TRUE(state_.book<Order>().offers_of(offered_one).empty()) << "the offer ended";
  // A busy driver cannot be assigned another delivery.
  const Uuid second = order_up_to();
  auto busy = state_.decide({admin(), AcceptDelivery{second, far}, {}});
  EXPECT_EQ(busy.error().code, ErrorCode::kConflict);
  // Owners and customers take no deliveries.
  EXPECT_EQ(state_.decide({owner(), AcceptDelivery{second, far}, {}}).error().code,
            ErrorCode::kForbidden);
}

TEST_F(DispatchTest, ADropBeforePickupFreesTheDriverAndOffersTheOrderToOthers) {
  const Uuid a = add_driver(1, 100), b = add_driver(2, 200);
  RestaurantPatch one;
  one.dispatch_offer_to = 1;
  patch_restaurant(one);
  const Uuid o = order_up_to();
  ASSERT_TRUE(accept(o, a).ok());

  EXPECT_EQ(as_driver(b, DropDelivery{o, ""}).error().code, ErrorCode::kNotFound)
      << "not their delivery";
  auto dropped = as_driver(a, DropDelivery{o, "flat tyre"});
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  EXPECT_EQ(std::get<DriverUnassigned>(dropped.events.front().payload).reason, "flat tyre");
  EXPECT_EQ(order(o).status, OrderStatus::kAwaitingDriver);
  EXPECT_TRUE(order(o).driver.is_nil());
  EXPECT_EQ(driver_state(a).availability, Availability::kAvailable);
  EXPECT_EQ(offered(o), std::vector<Uuid>{b}) << "offered to others first";

  // After pickup a drop is refused.
  ASSERT_TRUE(accept(o, b).ok());
  ASSERT_TRUE(as_driver(b, ChangeOrderStatus{o, "picked_up", ""}).ok());
  EXPECT_EQ(as_driver(b, DropDelivery{o, ""}).error().code, ErrorCode::kConflict);
}

TEST_F(DispatchTest, DeliveredCancelledOrDeletedFreesTheDriver) {
  const Uuid a = add_driver(1, 100);
  const Uuid o = order_up_to();
  ASSERT_TRUE(accept(o, a).ok());
  for (const char* step : {"driver_at_restaurant", "picked_up", "delivered"})
    ASSERT_TRUE(as_driver(a, ChangeOrderStatus{o, step, ""}).ok()) << step;
  EXPECT_EQ(driver_state(a).availability, Availability::kAvailable);
  EXPECT_TRUE(driver_state(a).order.is_nil());

  const Uuid cancelled = order_up_to();
  ASSERT_TRUE(accept(cancelled, a).ok());
  ASSERT_TRUE(state_.decide(change_status(cancelled, "cancelled")).ok());
  EXPECT_EQ(driver_state(a).availability, Availability::kAvailable);

  const Uuid deleted = order_up_to();
  ASSERT_TRUE(accept(deleted, a).ok());
  ASSERT_TRUE(state_.decide({owner(), DeleteOrder{deleted}, {}}).ok());
  EXPECT_EQ(driver_state(a).availability, Availability::kAvailable);
  EXPECT_TRUE(state_.book<Order>().offers_of(a).empty());
}

TEST_F(DispatchTest, TheOwnerLeavesTheDriversStepsToTheAssignedDriver) {
  const Uuid a = add_driver(1, 100), b = add_driver(2, 200);
  const Uuid o = order_up_to();
  ASSERT_TRUE(accept(o, a).ok());
  auto by_owner = state_.decide(change_status(o, "picked_up"));
  EXPECT_EQ(by_owner.error().code, ErrorCode::kConflict);
  EXPECT_NE(by_owner.error().message.find("driver"), std::string::npos);
  // Another driver cannot see it; the owner may still cancel.
  EXPECT_EQ(as_driver(b, ChangeOrderStatus{o, "picked_up", ""}).error().code, ErrorCode::kNotFound);
  // driver_assigned is no bare step (a driver is assigned by accepting).
  const Uuid unassigned = order_up_to();
  EXPECT_FALSE(state_.decide(change_status(unassigned, "driver_assigned")).ok());
}

TEST_F(DispatchTest, TheAssignedDriversPingsMoveTheOrderAlongItsGeofences) {
  const Uuid d = add_driver(1, 1500);
  const Uuid o = order_up_to();
  ASSERT_TRUE(accept(o, d).ok());
  auto status = [&] { return order(o).status; };

  // Towards the restaurant: at 1000 m nothing; at 120 m, near it.
  ASSERT_TRUE(ping(d, 1000).ok());
  EXPECT_EQ(status(), OrderStatus::kDriverAssigned);
  auto near = ping(d, 120);
  ASSERT_EQ(near.events.size(), 2u);
  const Event& step = near.events.back();
  EXPECT_EQ(std::get<OrderStatusChanged>(step.payload).to, OrderStatus::kDriverNearRestaurant);
  EXPECT_EQ(std::get<OrderStatusChanged>(step.payload).caused_by, near.events.front().position)
      << "recorded with the ping that caused it";
  EXPECT_EQ(step.actor, kEnginePrincipal);
  ASSERT_TRUE(ping(d, 50).ok());
  EXPECT_EQ(status(), OrderStatus::kDriverNearRestaurant) << "once";

  ASSERT_TRUE(as_driver(d, ChangeOrderStatus{o, "driver_at_restaurant", ""}).ok());
  ASSERT_TRUE(as_driver(d, ChangeOrderStatus{o, "picked_up", ""}).ok());
  ASSERT_TRUE(ping(d, 100).ok());
  EXPECT_EQ(status(), OrderStatus::kPickedUp) << "still within the restaurant's 150 m";
  ASSERT_TRUE(ping(d, 400).ok());
  EXPECT_EQ(status(), OrderStatus::kOnTheWay) << "left the restaurant";
  for (double m : {800.0, 1200.0, 1700.0}) ASSERT_TRUE(ping(d, m).ok());
  EXPECT_EQ(status(), OrderStatus::kOnTheWay);
  ASSERT_TRUE(ping(d, 1900).ok());
  EXPECT_EQ(status(), OrderStatus::kDriverNearCustomer) << "within 150 m of the customer";
  ASSERT_TRUE(as_driver(d, ChangeOrderStatus{o, "delivered", ""}).ok());
  EXPECT_EQ(driver_state(d).availability, Availability::kAvailable);
  // Pings after the delivery move nothing.
  auto after = ping(d, 0);
  EXPECT_EQ(after.events.size(), 1u);
}

TEST_F(DispatchTest, TheRestaurantFlagsAnOrderNotReadyWhileItsDriverWaits) {
  const Uuid d = add_driver(1, 100);
  const Uuid o = order_up_to();
  auto flag = [&](bool not_ready, Principal who = owner()) {
    return state_.decide({std::move(who), SetNotReady{o, not_ready}, {}});
  };
  EXPECT_EQ(flag(true).error().code, ErrorCode::kConflict) << "no driver waits yet";
  ASSERT_TRUE(accept(o, d).ok());
  ASSERT_TRUE(as_driver(d, ChangeOrderStatus{o, "driver_at_restaurant", ""}).ok());
  EXPECT_EQ(as_driver(d, SetNotReady{o, true}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(flag(true, customer()).error().code, ErrorCode::kForbidden);
  auto set = flag(true);
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_TRUE(order(o).not_ready);
  auto again = flag(true);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.events.empty()) << "already so: nothing recorded";
  ASSERT_TRUE(flag(false).ok());
  EXPECT_FALSE(order(o).not_ready);
  ASSERT_TRUE(flag(true).ok());
  // Picking it up ends the wait, and the flag with it.
  ASSERT_TRUE(as_driver(d, ChangeOrderStatus{o, "picked_up", ""}).ok());
  EXPECT_FALSE(order(o).not_ready);
}

TEST_F(DispatchTest, GeofencesOffMeansPingsMoveNothing) {
  RestaurantPatch off;
  off.geofence_enabled = false;
  patch_restaurant(off);
  const Uuid d = add_driver(1, 1500);
  const Uuid o = order_up_to();
  ASSERT_TRUE(accept(o, d).ok());
  ASSERT_TRUE(ping(d, 10).ok());
  EXPECT_EQ(order(o).status, OrderStatus::kDriverAssigned);
}

TEST_F(DispatchTest, ReplayingTheEventsGivesTheSameDispatchState) {
  const Uuid a = add_driver(1, 100), b = add_driver(2, 200), c = add_driver(3, 7000);
  const Uuid taken = order_up_to();
  const Uuid open = order_up_to();
  ASSERT_TRUE(accept(taken, a).ok());
  ASSERT_TRUE(expire(open, kNow + 61 * kSecond).ok());
  const Uuid third = order_up_to();  // offered to b (a is busy, c out of range)
  ASSERT_TRUE(ping(a, 130).ok());    // a geofence step
  ASSERT_TRUE(ping(c, 6500).ok());

  DomainState replayed;
  for (const Event& e : state_.events()) replayed.apply(e);
  for (const Uuid& id : {taken, open, third}) {
    const OrderState& x = order(id);
    const OrderState& y = *replayed.find<Order>(id);
    EXPECT_EQ(x.status, y.status);
    EXPECT_EQ(x.driver, y.driver);
    EXPECT_EQ(std::vector<Uuid>(x.offered.begin(), x.offered.end()),
              std::vector<Uuid>(y.offered.begin(), y.offered.end()));
    EXPECT_EQ(std::vector<Uuid>(x.offered_before.begin(), x.offered_before.end()),
              std::vector<Uuid>(y.offered_before.begin(), y.offered_before.end()));
    EXPECT_EQ(x.offer_expires_at_us, y.offer_expires_at_us);
    EXPECT_EQ(x.waiting_radius_m, y.waiting_radius_m);
    EXPECT_EQ(x.version, y.version);
  }
  for (const Uuid& id : {a, b, c}) {
    const DriverState& x = driver_state(id);
    const DriverState& y = *replayed.find<Driver>(id);
    EXPECT_EQ(x.availability, y.availability);
    EXPECT_EQ(x.order, y.order);
    EXPECT_EQ(x.position, y.position);
    const auto xo = state_.book<Order>().offers_of(id);
    const auto yo = replayed.book<Order>().offers_of(id);
    EXPECT_EQ(std::vector<Uuid>(xo.begin(), xo.end()), std::vector<Uuid>(yo.begin(), yo.end()));
  }
  EXPECT_EQ(state_.book<Order>().waiting().size(), replayed.book<Order>().waiting().size());
  EXPECT_EQ(state_.book<Driver>().offerable().size(), replayed.book<Driver>().offerable().size());
}

}  // namespace
