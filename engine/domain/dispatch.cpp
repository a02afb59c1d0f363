#include "engine/domain/dispatch.h"

#include <algorithm>
#include <array>
#include <limits>

#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/driver.h"
#include "engine/domain/order.h"
#include "engine/domain/restaurant.h"

namespace comanda::engine {
namespace {

constexpr size_t kWaitingOffersPerPing = 3;  // waiting orders offered to one driver at a time

bool before(OrderStatus a, OrderStatus b) { return static_cast<int>(a) < static_cast<int>(b); }

template <class List>
bool holds(const List& list, const Uuid& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

template <class List>
void erase_id(List& list, const Uuid& id) {
  list.erase(std::remove(list.begin(), list.end(), id), list.end());
}

// offered_before is kept sorted: a set that broadcasts to thousands of
// drivers look up in log time.
template <class Ids>
void add_offered_before(std::vector<Uuid>& set, const Ids& ids) {
  set.insert(set.end(), ids.begin(), ids.end());
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
}
bool offered_before(const OrderState& o, const Uuid& id) {
  return std::binary_search(o.offered_before.begin(), o.offered_before.end(), id);
}

}  // namespace

// ---- the order's state and the dispatch indexes ----

std::span<const Uuid> OrderBook::offers_of(const Uuid& driver) const {
  auto it = offers_by_driver_.find(driver);
  if (it == offers_by_driver_.end()) return {};
  return {it->second.data(), it->second.size()};
}

void OrderBook::drop_offers(const Uuid& id, OrderState& o) {
  for (const Uuid& driver : o.offered) {
    auto it = offers_by_driver_.find(driver);
    if (it == offers_by_driver_.end()) continue;
    erase_id(it->second, id);
    if (it->second.empty()) offers_by_driver_.erase(it);
  }
  o.offered.clear();
  o.offer_expires_at_us = 0;
}

const OrderState& OrderBook::dispatch_indexed(const Uuid& id, OrderState& o) {
  // A finished, deleted or assigned order has no offers and waits for nobody.
  if (is_terminal(o.status) || o.deleted || !o.driver.is_nil()) {
    drop_offers(id, o);
    o.waiting_radius_m = 0;
  }
  if (o.waiting_radius_m == 0) waiting_.remove(id);
  return o;
}

namespace {

OrderState& touched(OrderState& o, const Event& e) {
  o.version = e.stream_version;
  o.last_position = e.position;
  o.updated_at_us = e.recorded_at_us;
  return o;
}

}  // namespace

const OrderState& OrderBook::apply(const Event& e, const DriverOffered& p) {
  OrderState& o = touched(at(e.stream), e);
  drop_offers(e.stream, o);
  o.offered.assign(p.drivers.begin(), p.drivers.end());
  o.offer_expires_at_us = p.expires_at_us;
  for (const Uuid& driver : p.drivers) offers_by_driver_[driver].push_back(e.stream);
  o.waiting_radius_m = 0;
  return dispatch_indexed(e.stream, o);
}

const OrderState& OrderBook::apply(const Event& e, const OfferExpired& p) {
  OrderState& o = touched(at(e.stream), e);
  drop_offers(e.stream, o);
  add_offered_before(o.offered_before, p.drivers);
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const OfferWithdrawn& p) {
  OrderState& o = touched(at(e.stream), e);
  erase_id(o.offered, p.driver);
  add_offered_before(o.offered_before, std::array{p.driver});
  if (auto it = offers_by_driver_.find(p.driver); it != offers_by_driver_.end()) {
    erase_id(it->second, e.stream);
    if (it->second.empty()) offers_by_driver_.erase(it);
  }
  if (o.offered.empty()) o.offer_expires_at_us = 0;
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const DispatchWaiting& p) {
  OrderState& o = touched(at(e.stream), e);
  drop_offers(e.stream, o);
  o.offered_before.clear();  // a driver who comes in range is offered it afresh
  o.waiting_radius_m = std::max<uint32_t>(p.radius_m, 1);
  waiting_.put(e.stream, p.pickup);
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const DriverAssigned& p) {
  OrderState& o = touched(at(e.stream), e);
  o.driver = p.driver;
  add_offered_before(o.offered_before, o.offered);
  return dispatch_indexed(e.stream, o);
}

const OrderState& OrderBook::apply(const Event& e, const DriverUnassigned& p) {
  OrderState& o = touched(at(e.stream), e);
  o.driver = Uuid{};
  add_offered_before(o.offered_before, std::array{p.driver});  // offered to others first
  return o;
}

// ---- offering ----

namespace {

// The restaurant's settings and pickup point for an order, if it can be
// dispatched by the engine: a delivery, unassigned, not finished, at a
// restaurant that dispatches (mode not none) and has a location.
struct Dispatcher {
  const RestaurantRegistered* restaurant = nullptr;
  GeoPoint pickup;
};

std::optional<Dispatcher> dispatcher_for(Decision& d, const OrderState& o) {
  if (o.fulfillment != FulfillmentType::kDelivery || is_terminal(o.status) || o.deleted ||
      !o.driver.is_nil())
    return std::nullopt;
  const RestaurantState* r = d.find<Restaurant>(o.restaurant_id);
  if (!r || r->details.settings.dispatch.mode == DispatchSettings::Mode::kNone ||
      !r->details.location)
    return std::nullopt;
  return Dispatcher{&r->details, *r->details.location};
}

// Offers the order to the drivers the restaurant's settings choose, skipping
// those whose offer expired (until no one else is left); with nobody to
// offer, it waits.
void offer(Decision& d, const Uuid& order_id, const OrderState& o, const Dispatcher& at,
           std::span<const Uuid> also_skipped = {}) {
  const DispatchSettings& s = at.restaurant->settings.dispatch;
  const auto& drivers = d.book<Driver>();
  const bool broadcast = s.mode == DispatchSettings::Mode::kBroadcast;
  const size_t limit = broadcast ? drivers.offerable().size() : s.offer_to;
  const double radius = broadcast ? std::numeric_limits<double>::infinity() : s.radius_m;
  auto candidates = [&](bool skip_offered_before) {
    return drivers.offerable().nearest(at.pickup, limit, radius, [&](const Uuid& id) {
      const DriverState* driver = drivers.find(id);
      return driver && driver->order.is_nil() && !holds(also_skipped, id) &&
             !(skip_offered_before && offered_before(o, id));
    });
  };
  auto found = candidates(true);
  if (found.empty() && !o.offered_before.empty()) found = candidates(false);  // start over
  const Target target{order_id, o.restaurant_id, o.version};
  if (found.empty()) {
    d.emit_by_engine(target, DispatchWaiting{at.pickup, s.radius_m});
    return;
  }
  DriverOffered offered;
  offered.drivers.reserve(found.size());
  for (const auto& [driver, _] : found) offered.drivers.push_back(driver);
  offered.expires_at_us = d.now_us() + int64_t{s.offer_timeout_s} * 1'000'000;
  d.emit_by_engine(target, std::move(offered));
}

// Emits the order's step to `to` by the engine.
void engine_step(Decision& d, const Uuid& order_id, const OrderState& o, OrderStatus to,
                 std::string reason, uint64_t caused_by = 0) {
  d.emit_by_engine({order_id, o.restaurant_id, o.version},
                   OrderStatusChanged{o.status, to, std::move(reason), caused_by});
}

void set_availability(Decision& d, const Uuid& driver_id, Availability availability,
                      const Uuid& order_id = {}) {
  const DriverState* driver = d.find<Driver>(driver_id);
  if (!driver) return;
  d.emit_by_engine({driver_id, driver_id, driver->version},
                   DriverAvailabilityChanged{availability, order_id});
}

// Offers `driver_id` at `where` the waiting orders in range.
void offer_waiting(Decision& d, const Uuid& driver_id, const GeoPoint& where) {
  const auto& orders = d.book<Order>();
  if (orders.waiting().size() == 0) return;
  // The largest radius a restaurant may set bounds the search; each order's
  // own radius decides.
  constexpr double kMaxRadiusM = 100'000;
  auto in_range =
      orders.waiting().nearest(where, kWaitingOffersPerPing, kMaxRadiusM, [&](const Uuid& id) {
        const OrderState* o = orders.find(id);
        return o && orders.waiting().where(id) &&
               distance_m(where, *orders.waiting().where(id)) <= o->waiting_radius_m;
      });
  for (const auto& [order_id, _] : in_range) {
    const OrderState* o = d.find<Order>(order_id);
    const RestaurantState* r = o ? d.find<Restaurant>(o->restaurant_id) : nullptr;
    if (!o || !r) continue;
    DriverOffered offered{
        {driver_id},
        d.now_us() + int64_t{r->details.settings.dispatch.offer_timeout_s} * 1'000'000};
    d.emit_by_engine({order_id, o->restaurant_id, o->version}, std::move(offered));
  }
}

// The geofence step a ping at `where` makes for the order its driver
// delivers, if any (DESIGN.md: near the restaurant, near the customer,
// leaving the restaurant).
std::optional<std::pair<OrderStatus, std::string_view>> geofence_step(
    const OrderState& o, const RestaurantRegistered& restaurant, const GeoPoint& where) {
  const GeofenceSettings& g = restaurant.settings.geofence;
  if (!g.enabled || !restaurant.location) return std::nullopt;
  const double from_restaurant = distance_m(where, *restaurant.location);
  const bool near_restaurant = from_restaurant <= g.near_restaurant_m;
  if (near_restaurant && before(o.status, OrderStatus::kDriverNearRestaurant))
    return std::pair{OrderStatus::kDriverNearRestaurant, "geofence: near the restaurant"};
  if (!near_restaurant &&
      (o.status == OrderStatus::kDriverAtRestaurant || o.status == OrderStatus::kPickedUp))
    return std::pair{OrderStatus::kOnTheWay, "geofence: left the restaurant"};
  if (o.delivery_location &&
      (o.status == OrderStatus::kPickedUp || o.status == OrderStatus::kOnTheWay) &&
      distance_m(where, *o.delivery_location) <= g.near_customer_m)
    return std::pair{OrderStatus::kDriverNearCustomer, "geofence: near the customer"};
  return std::nullopt;
}

}  // namespace

void withdraw_offers(Decision& d, const Uuid& driver_id, const Uuid& except) {
  for (const Uuid& id : d.book<Order>().offers_of(driver_id)) {
    const OrderState* o = d.find<Order>(id);
    if (!o || id == except) continue;
    d.emit_by_engine({id, o->restaurant_id, o->version}, OfferWithdrawn{driver_id});
    if (o->offered.size() > 1) continue;
    // It was offered to them alone: offered anew, to others first.
    OrderState next = *o;
    next.offered.clear();
    next.offer_expires_at_us = 0;
    add_offered_before(next.offered_before, std::array{driver_id});
    next.version = o->version + 1;
    const Uuid skipped[] = {driver_id};
    if (auto at = dispatcher_for(d, next)) offer(d, id, next, *at, skipped);
  }
}

void after_status_change(Decision& d, const Uuid& order_id, const OrderState& o, OrderStatus to) {
  // A delivery that ends frees its driver.
  if (!o.driver.is_nil() && is_terminal(to)) {
    set_availability(d, o.driver, Availability::kAvailable);
    return;
  }
  auto at = dispatcher_for(d, o);
  if (!at) return;
  // Offered when the step reaches offer_on or skips past it (not to a
  // fleet, which delivers it itself), before a driver is assigned.
  const OrderStatus on = at->restaurant->settings.dispatch.offer_on;
  if (before(to, on) || !before(o.status, on) || !before(to, OrderStatus::kDriverAssigned) ||
      to == OrderStatus::kFleetAssigned)
    return;
  if (!o.offered.empty() || o.waiting_radius_m > 0) return;  // offered already
  OrderState next = o;  // as the step leaves it: the offer follows it
  next.status = to;
  next.version = o.version + 1;
  offer(d, order_id, next, *at);
}

void after_delete(Decision& d, const OrderState& o) {
  if (!o.driver.is_nil() && !is_terminal(o.status))
    set_availability(d, o.driver, Availability::kAvailable);
}

void after_ping(Decision& d, const Uuid& driver_id, const GeoPoint& where) {
  const DriverState* driver = d.find<Driver>(driver_id);
  if (!driver) return;
  if (!driver->order.is_nil()) {
    const OrderState* o = d.find<Order>(driver->order);
    const RestaurantState* r = o ? d.find<Restaurant>(o->restaurant_id) : nullptr;
    if (!o || !r || o->driver != driver_id) return;
    if (auto step = geofence_step(*o, r->details, where))
      engine_step(d, driver->order, *o, step->first, std::string(step->second),
                  d.last_emitted_position());
    return;
  }
  if (driver->availability == Availability::kAvailable && driver->active)
    offer_waiting(d, driver_id, where);
}

void after_available(Decision& d, const Uuid& driver_id) {
  const DriverState* driver = d.find<Driver>(driver_id);
  if (driver && driver->active && driver->position && driver->order.is_nil())
    offer_waiting(d, driver_id, *driver->position);
}

// ---- taking and giving up deliveries ----

namespace {

// The driver the caller is, or names (an admin).
Result<Uuid> acting_driver(Decision& d, const std::optional<Uuid>& named) {
  const Principal& who = d.caller();
  if (who.role == Role::kAdmin) {
    if (!named) return Error::invalid("driver_id", "an admin names the driver: driver_id");
    if (!d.find<Driver>(*named)) return Error::unprocessable("driver_id", "no such driver");
    return *named;
  }
  if (who.role != Role::kDriver)
    return Error::forbidden("a caller with role " + std::string(role_name(who.role)) +
                            " cannot take deliveries");
  auto mine = d.book<Driver>().of_user(who.subject);
  if (!mine) return Error::not_found("no such order");  // not a driver: nothing offered
  if (named && *named != *mine)
    return Error::forbidden("driver_id", "a driver takes deliveries only for themself");
  return *mine;
}

}  // namespace

Status decide(AcceptDelivery& cmd, Decision& d) {
  auto driver_id = acting_driver(d, cmd.driver_id);
  if (!driver_id.ok()) return driver_id.error();
  const bool by_admin = d.caller().role == Role::kAdmin;
  const OrderState* o = d.find<Order>(cmd.order_id);
  // A driver never offered the order is answered as for an absent one; one
  // whose offer ended (expired, withdrawn, taken) knew of it: a conflict.
  const bool offered_now = o && holds(o->offered, *driver_id);
  const bool knew_of_it =
      o && (offered_now || o->driver == *driver_id || offered_before(*o, *driver_id));
  if (!o || o->deleted || (!by_admin && !knew_of_it)) return Error::not_found("no such order");
  if (Status version = d.expect_version(o->version); !version.ok()) return version;
  if (!o->driver.is_nil())
    return Error::conflict("the delivery is taken" +
                           std::string(o->driver == *driver_id ? " (by you)" : ""));
  if (o->fulfillment != FulfillmentType::kDelivery || is_terminal(o->status) ||
      before(o->status, OrderStatus::kAccepted) || !before(o->status, OrderStatus::kDriverAssigned))
    return Error::conflict("an order that is " + std::string(status_name(o->status)) +
                           " takes no driver (from accepted until a driver is assigned)");
  const DriverState* driver = d.find<Driver>(*driver_id);
  if (!driver->order.is_nil()) return Error::conflict("the driver is busy with another delivery");
  if (!driver->active || driver->availability != Availability::kAvailable)
    return Error::conflict("driver_id", "the driver is not available (offline or suspended)");
  if (!by_admin && !offered_now)
    return Error::conflict("the offer to you has ended (expired or withdrawn)");
  const Target order{cmd.order_id, o->restaurant_id, o->version};
  d.emit(order, OrderStatusChanged{o->status, OrderStatus::kDriverAssigned, "", 0});
  d.emit(order, DriverAssigned{*driver_id});
  d.emit({*driver_id, *driver_id, driver->version},
         DriverAvailabilityChanged{Availability::kBusy, cmd.order_id});
  // One delivery per driver: the driver's other offers stand no more.
  withdraw_offers(d, *driver_id, cmd.order_id);
  return {};
}

Status decide(DropDelivery& cmd, Decision& d) {
  const Principal& who = d.caller();
  const OrderState* o = d.find<Order>(cmd.order_id);
  const DriverState* driver = o && !o->driver.is_nil() ? d.find<Driver>(o->driver) : nullptr;
  if (!o || o->deleted || !driver || !may_act_as_driver(who, driver->user_id))
    return Error::not_found("no such order");
  if (Status version = d.expect_version(o->version); !version.ok()) return version;
  if (!before(o->status, OrderStatus::kPickedUp))
    return Error::conflict("an order that is " + std::string(status_name(o->status)) +
                           " was picked up: it is delivered, or failed, not dropped");
  const Uuid driver_id = o->driver;
  const Target order{cmd.order_id, o->restaurant_id, o->version};
  d.emit(order, DriverUnassigned{driver_id, cmd.reason.empty() ? "dropped" : cmd.reason});
  d.emit(order, OrderStatusChanged{o->status, OrderStatus::kAwaitingDriver, "driver dropped", 0});
  set_availability(d, driver_id, Availability::kAvailable);
  // Offered anew, to others first.
  OrderState next = *o;
  next.driver = Uuid{};
  next.status = OrderStatus::kAwaitingDriver;
  next.version = o->version + 2;
  if (auto at = dispatcher_for(d, next)) {
    const Uuid skipped[] = {driver_id};
    offer(d, cmd.order_id, next, *at, skipped);
  }
  return {};
}

Status decide(ExpireOffer& cmd, Decision& d) {
  if (d.caller().role != Role::kEngine) return Error::forbidden("only the engine expires offers");
  const OrderState* o = d.find<Order>(cmd.order_id);
  if (!o || o->offer_expires_at_us != cmd.expires_at_us || o->offered.empty() ||
      d.now_us() < cmd.expires_at_us)
    return Error::conflict("the offer has moved on");  // harmless: nothing to expire
  const Target order{cmd.order_id, o->restaurant_id, o->version};
  d.emit(order, OfferExpired{std::vector<Uuid>(o->offered.begin(), o->offered.end())});
  OrderState next = *o;
  add_offered_before(next.offered_before, o->offered);
  next.offered.clear();
  next.version = o->version + 1;
  if (auto at = dispatcher_for(d, next)) offer(d, cmd.order_id, next, *at);
  return {};
}

}  // namespace comanda::engine
