// A seeded random walk through the domain, for property tests: 120
// restaurants, 150 drivers and 150 customer accounts, and the orders they
// make, each step by the role that makes it and now and then by one that may
// not. Commands are decided one by one against DomainState (no log, no
// threads); the events it accepted are its `state().events()`, in order.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/domain/handlers.h"
#include "tests/engine/domain/domain_state.h"

namespace comanda::test_support {

using namespace comanda::engine;

inline constexpr size_t kRestaurants = 120, kDrivers = 150, kAccounts = 150, kParents = 30;
inline constexpr double kLat = -12.12, kLng = -77.03;
inline constexpr int64_t kSecond = 1'000'000;

class Simulation {
 public:
  explicit Simulation(uint64_t seed) : rng_(seed) {}

  void setup() {
    for (size_t r = 0; r < kRestaurants; ++r) add_restaurant(r);
    for (size_t d = 0; d < kDrivers; ++d) add_driver(d);
    for (size_t a = 0; a < kAccounts; ++a) add_account(a);
  }

  void step() {
    now_ += uniform(0, 3 * kSecond);
    const int roll = static_cast<int>(uniform(0, 99));
    if (roll < 22)
      place();
    else if (roll < 55)
      step_order();
    else if (roll < 64)
      ping();
    else if (roll < 76)
      driver_action();
    else if (roll < 81)
      engine_work();
    else if (roll < 91)
      edit();
    else if (roll < 96)
      restaurant_admin();
    else
      credit();
  }

  // ---- what the run did ----

  size_t commands() const { return commands_; }
  size_t accepted() const { return accepted_; }
  const DomainState& state() const { return state_; }
  const std::vector<Uuid>& orders() const { return orders_; }
  const std::vector<Uuid>& drivers() const { return drivers_; }
  const std::vector<Uuid>& accounts() const { return accounts_; }
  const std::vector<Uuid>& restaurants() const { return restaurants_; }

 private:
  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  double jitter(double degrees) {
    return std::uniform_real_distribution<double>(-degrees, degrees)(rng_);
  }
  bool chance(int percent) { return uniform(0, 99) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(uniform(0, static_cast<int64_t>(v.size()) - 1))];
  }

  Decided run(Principal who, CommandBody body, std::optional<uint64_t> version = {}) {
    ++commands_;
    if (Status valid = validate_command(body); !valid.ok()) return {valid, std::nullopt, {}};
    Decided d = state_.decide({std::move(who), std::move(body), version}, now_);
    if (d.ok()) ++accepted_;
    return d;
  }

  static Principal owner_of(size_t r) { return owner("u-owner-" + std::to_string(r % 40)); }
  static Principal driver_of(size_t d) { return driver("u-driver-" + std::to_string(d)); }
  static Principal customer_of(size_t a) { return customer("u-cust-" + std::to_string(a)); }
  size_t restaurant_index(const Uuid& id) const { return restaurant_index_.at(id); }

  // ---- the world ----

  void add_restaurant(size_t r) {
    RestaurantRegistered d = restaurant_details();
    d.name = "Sede " + std::to_string(r);
    // One in five out of town, where orders wait for a driver to come.
    const double away = r % 5 == 4 ? 0.5 : 0;
    d.location = GeoPoint{kLat + away + jitter(0.05), kLng + jitter(0.05)};
    d.owners = {owner_of(r).subject};
    auto& s = d.settings;
    const int mode = static_cast<int>(uniform(0, 9));
    s.dispatch.mode = mode < 6   ? DispatchSettings::Mode::kNearest
                      : mode < 9 ? DispatchSettings::Mode::kBroadcast
                                 : DispatchSettings::Mode::kNone;
    if (chance(20)) s.dispatch.offer_on = OrderStatus::kAccepted;
    s.dispatch.offer_timeout_s = static_cast<uint32_t>(uniform(5, 60));
    s.dispatch.radius_m = static_cast<uint32_t>(uniform(2000, 8000));
    if (chance(30)) s.auto_reject_after_s = static_cast<uint32_t>(uniform(60, 600));
    s.preorder_lead_s = static_cast<uint32_t>(uniform(600, 3600));
    s.delivery_fee = chance(50) ? 500 : 0;
    const Uuid id = Uuid::v7();
    must(run(admin(), RegisterRestaurant{id, d}), "a restaurant");
    restaurant_index_[id] = r;
    restaurants_.push_back(id);
    must(run(owner_of(r), ReplaceMenu{id, menu()}), "a menu");
  }

  static std::vector<MenuItem> menu() {
    return {{"BURGER", "Hamburguesa", 1550, true, {{"Extra cheese", 300}}, {"onion"}},
            {"SALAD", "Ensalada", 1200, true, {}, {"tomato"}},
            {"SODA", "Inca Kola", 500, true, {}, {}}};
  }

  void add_driver(size_t d) {
    const Uuid id = Uuid::v7();
    must(run(driver_of(d), RegisterDriver{id, {"Driver " + std::to_string(d), "", "", "moto"}}),
         "a driver");
    drivers_.push_back(id);
    driver_index_[id] = d;
    report(d, kLat + jitter(0.05), kLng + jitter(0.05));
    if (chance(80)) run(driver_of(d), SetAvailability{id, Availability::kAvailable});
  }

  void add_account(size_t a) {
    AccountRegistered details;
    details.user_id = customer_of(a).subject;
    details.name = "Cliente " + std::to_string(a);
    details.class_name = a < kParents ? "" : "3B";
    if (a >= kParents && chance(40)) {
      const size_t parent = static_cast<size_t>(uniform(0, kParents - 1));
      details.parent_id = accounts_[parent];
      details.restaurant_ids = account_restaurants_[parent];
    } else {
      details.restaurant_ids = {pick(restaurants_)};
      if (chance(50)) {
        const Uuid other = pick(restaurants_);
        if (other != details.restaurant_ids[0]) details.restaurant_ids.push_back(other);
      }
    }
    const Uuid id = Uuid::v7();
    must(run(admin(), RegisterAccount{id, details}), "an account");
    accounts_.push_back(id);
    account_restaurants_.push_back(details.restaurant_ids);
    run(admin(), ChangeCredit{id, uniform(1000, 50000), "PEN", "top-up"});
  }

  static void must(const Decided& d, const char* what) {
    ASSERT_TRUE(d.ok()) << what << ": " << d.error().message;
  }

  void report(size_t d, double lat, double lng) {
    run(driver_of(d), report_location(drivers_[d], lat, lng, 0, driver_of(d)).body);
  }

  // ---- orders ----

  void place() {
    const size_t a = static_cast<size_t>(uniform(0, kAccounts - 1));
    const bool by_customer = chance(40);
    // A customer orders where they have an account, mostly.
    const Uuid restaurant =
        by_customer && chance(70) ? pick(account_restaurants_[a]) : pick(restaurants_);
    const size_t r = restaurant_index(restaurant);
    const auto type = static_cast<FulfillmentType>(chance(65) ? 0 : uniform(1, 4));
    PlaceOrder body = order_body(Uuid::v7(), restaurant, type);
    if (type == FulfillmentType::kDelivery) {
      const RestaurantState* at = state_.find<Restaurant>(restaurant);
      body.fulfillment.location = GeoPoint{at->details.location->lat + jitter(0.02),
                                           at->details.location->lng + jitter(0.02)};
    }
    Principal who = owner_of(r);
    if (by_customer) {  // the customer orders from the menu
      who = customer_of(a);
      body.customer.id = who.subject;
      body.items = lines(
          {{"BURGER", static_cast<uint32_t>(uniform(1, 3)), {{"Extra cheese", {}}}}, {"SODA", 1}});
      if (chance(50)) body.payment.method = "credit";
    } else if (chance(10)) {
      body.customer.id.clear();  // a guest at the counter
    }
    if (chance(15)) body.payment = {"cash", 20000, {}};
    if (chance(8)) body.fulfillment.scheduled_for_us = now_ + uniform(3700, 7200) * kSecond;
    if (chance(3)) body.fulfillment.scheduled_for_us = now_ - 3600 * kSecond;  // refused
    Decided d = run(std::move(who), std::move(body));
    if (!d.ok()) return;
    const Uuid id = d.events.front().stream;
    orders_.push_back(id);
    open_.push_back(id);
    placed_at_[id] = now_;
    if (const auto* placed = std::get_if<OrderPlaced>(&d.events.front().payload))
      scheduled_for_[id] = placed->fulfillment.scheduled_for_us;
  }

  // A random open order (finished ones are dropped from the list on the way).
  const OrderState* open_order(Uuid& id) {
    while (!open_.empty()) {
      const size_t i = static_cast<size_t>(uniform(0, static_cast<int64_t>(open_.size()) - 1));
      const OrderState* o = state_.find<Order>(open_[i]);
      if (o && !o->deleted && !is_terminal(o->status)) {
        id = open_[i];
        return o;
      }
      finished_.push_back(open_[i]);
      open_[i] = open_.back();
      open_.pop_back();
    }
    return nullptr;
  }

  // Who makes a step to `to`: the role the table names (the assigned
  // driver's, the customer's, the restaurant's, the engine's).
  Principal maker_of(const Uuid& id, const OrderState& o, OrderStatus to) {
    const uint8_t setters = status_info(to).setters;
    const size_t r = restaurant_index(o.restaurant_id);
    if (setters & kSetByRestaurant) return chance(90) ? owner_of(r) : admin();
    if (setters & kSetByDriver) {
      if (o.driver.is_nil()) return owner_of(r);
      return driver_of(driver_index_.at(o.driver));
    }
    if (setters & kSetByCustomer) return o.customer_id.empty() ? admin() : customer(o.customer_id);
    (void)id;
    return kEnginePrincipal;
  }

  void step_order() {
    Uuid id;
    const OrderState* o = open_order(id);
    if (!o) return;
    auto targets = allowed_targets(o->status, o->fulfillment);
    std::erase(targets, OrderStatus::kDriverAssigned);  // assignments, not steps
    std::erase(targets, OrderStatus::kScheduled);
    if (targets.empty()) return;
    // Half the time along the main path (the next open status in rank
    // order), so that deliveries reach dispatch; else any allowed step.
    OrderStatus to = pick(targets);
    if (chance(50))
      for (OrderStatus t : targets)
        if (!is_terminal(t) && t != OrderStatus::kFleetAssigned) {
          to = t;
          break;
        }
    Principal who = maker_of(id, *o, to);
    if (chance(4))
      who = pick(std::vector<Principal>{customer("u-cust-0"), driver_of(0), owner("u-x")});
    run(std::move(who), ChangeOrderStatus{id, std::string(status_name(to)), "por prueba"});
  }

  // ---- drivers ----

  void ping() {
    const size_t d = static_cast<size_t>(uniform(0, kDrivers - 1));
    const DriverState* driver = state_.find<Driver>(drivers_[d]);
    const OrderState* o = driver->order.is_nil() ? nullptr : state_.find<Order>(driver->order);
    if (!o) {
      if (chance(10)) {  // off to a restaurant, maybe one out of town
        const GeoPoint at = *state_.find<Restaurant>(pick(restaurants_))->details.location;
        report(d, at.lat + jitter(0.01), at.lng + jitter(0.01));
      } else {
        report(d, kLat + jitter(0.05), kLng + jitter(0.05));
      }
      return;
    }
    // Towards the restaurant before pickup, then towards the customer.
    const GeoPoint restaurant = *state_.find<Restaurant>(o->restaurant_id)->details.location;
    const bool before_pickup =
        static_cast<int>(o->status) < static_cast<int>(OrderStatus::kPickedUp);
    GeoPoint target = before_pickup || !o->delivery_location ? restaurant : *o->delivery_location;
    if (!before_pickup && chance(30)) target = {restaurant.lat + 0.004, restaurant.lng};  // leaving
    const double spread = chance(60) ? 0.0008 : 0.01;
    report(d, target.lat + jitter(spread), target.lng + jitter(spread));
  }

  void driver_action() {
    const size_t d = static_cast<size_t>(uniform(0, kDrivers - 1));
    const Uuid& id = drivers_[d];
    const DriverState* driver = state_.find<Driver>(id);
    const int roll = static_cast<int>(uniform(0, 99));
    if (roll < 50) {  // an offered driver takes it; now and then one never offered tries
      for (int i = 0; i < 10; ++i) {
        Uuid order;
        const OrderState* o = open_order(order);
        if (!o || o->offered.empty()) continue;
        // Often one with other offers standing (they are withdrawn).
        Uuid taker = o->offered[static_cast<size_t>(
            uniform(0, static_cast<int64_t>(o->offered.size()) - 1))];
        if (chance(60))
          for (const Uuid& offered : o->offered)
            if (state_.book<Order>().offers_of(offered).size() >
                state_.book<Order>().offers_of(taker).size())
              taker = offered;
        if (chance(10)) taker = id;
        run(driver_of(driver_index_.at(taker)), AcceptDelivery{order, std::nullopt});
        return;
      }
    } else if (roll < 65) {  // an assigned driver gives the delivery up
      for (int i = 0; i < 10; ++i) {
        Uuid order;
        const OrderState* o = open_order(order);
        if (!o || o->driver.is_nil()) continue;
        run(driver_of(driver_index_.at(o->driver)), DropDelivery{order, "averiado"});
        return;
      }
    } else if (roll < 92) {
      const Availability next = driver->availability == Availability::kAvailable
                                    ? Availability::kOffline
                                    : Availability::kAvailable;
      run(driver_of(d), SetAvailability{id, chance(3) ? Availability::kBusy : next});
    } else if (roll < 97) {
      run(admin(), SetDriverActive{id, !driver->active});
    } else {
      Uuid order;
      if (open_order(order)) run(admin(), AcceptDelivery{order, id});  // an admin's assignment
    }
  }

  // What the scheduler would submit: offers expired, preorders due, orders
  // left pending.
  void engine_work() {
    now_ += uniform(0, 90) * kSecond;
    for (int i = 0; i < 12; ++i) {
      Uuid id;
      const OrderState* o = open_order(id);
      if (!o) return;
      const RestaurantSettings& s = state_.find<Restaurant>(o->restaurant_id)->details.settings;
      if (o->offer_expires_at_us != 0 && o->offer_expires_at_us <= now_) {
        run(kEnginePrincipal, ExpireOffer{id, o->offer_expires_at_us});
      } else if (o->status == OrderStatus::kScheduled &&
                 now_ >= scheduled_for_[id] - int64_t{s.preorder_lead_s} * kSecond) {
        run(kEnginePrincipal, ChangeOrderStatus{id, "pending", "preorder_window_open"}, o->version);
      } else if (o->status == OrderStatus::kScheduled && chance(10)) {
        now_ += int64_t{s.preorder_lead_s} * kSecond;  // let preorders come due
      } else if (o->status == OrderStatus::kPending && s.auto_reject_after_s > 0 &&
                 now_ - placed_at_[id] >= int64_t{s.auto_reject_after_s} * kSecond) {
        run(kEnginePrincipal, ChangeOrderStatus{id, "rejected", "not_accepted_in_time"},
            o->version);
      }
    }
  }

  // ---- edits, restaurants, credit ----

  void edit() {
    Uuid id;
    const OrderState* o = open_order(id);
    const int roll = static_cast<int>(uniform(0, 99));
    if (roll < 20 && !finished_.empty()) {
      const Uuid done = pick(finished_);
      const OrderState* f = state_.find<Order>(done);
      if (f && !f->deleted) run(owner_of(restaurant_index(f->restaurant_id)), ArchiveOrder{done});
      return;
    }
    if (!o) return;
    const Principal restaurant = owner_of(restaurant_index(o->restaurant_id));
    if (roll < 40) {
      OrderPatch p;
      p.notes = "timbre " + std::to_string(uniform(1, 99));
      if (chance(50)) p.tip = uniform(0, 500);
      run(chance(70) ? restaurant : customer(o->customer_id.empty() ? "u-x" : o->customer_id),
          ChangeOrder{id, std::move(p)});
    } else if (roll < 50) {
      PlaceOrder whole = order_body(id, o->restaurant_id, o->fulfillment);
      whole.customer.id = o->customer_id;
      if (o->fulfillment == FulfillmentType::kDelivery)
        whole.fulfillment.location = o->delivery_location;
      whole.items = lines({{"SALAD", 2, {}, 1200, "Ensalada"}});
      run(restaurant, ReplaceOrder{id, std::move(whole)});
    } else if (roll < 75) {
      if (!o->line_quantities.empty())
        run(restaurant,
            FulfillLine{id, 0, static_cast<uint32_t>(uniform(0, o->line_quantities[0]))});
    } else if (roll < 95) {
      for (int i = 0; i < 10 && o && o->status != OrderStatus::kDriverAtRestaurant &&
                      o->status != OrderStatus::kDriverNearRestaurant;
           ++i)
        o = open_order(id);
      if (o) run(owner_of(restaurant_index(o->restaurant_id)), SetNotReady{id, !o->not_ready});
    } else {
      run(restaurant, DeleteOrder{id});
    }
  }

  void restaurant_admin() {
    const size_t r = static_cast<size_t>(uniform(0, kRestaurants - 1));
    const Uuid& id = restaurants_[r];
    const int roll = static_cast<int>(uniform(0, 99));
    if (roll < 40) {  // paused now and then, resumed soon
      RestaurantPatch p;
      const bool paused = state_.find<Restaurant>(id)->paused;
      if (!paused && chance(60)) return;
      p.paused = !paused;
      run(owner_of(r), UpdateRestaurant{id, p});
    } else if (roll < 55) {
      RestaurantPatch p;
      p.delivery_fee = uniform(0, 3) * 250;
      run(owner_of(r), UpdateRestaurant{id, p});
    } else if (roll < 75) {
      MenuItemPatch p;
      p.available = chance(50);
      run(owner_of(r), ChangeMenuItem{id, chance(50) ? "SODA" : "SALAD", p});
    } else if (roll < 88) {
      // A new price most times: a put of the item as it stands changes
      // nothing and writes nothing, and the run must see upserts.
      MenuItem item = menu()[static_cast<size_t>(uniform(0, 2))];
      item.price += uniform(1, 4) * 50;
      run(owner_of(r), PutMenuItem{id, std::move(item)});
    } else if (roll < 95) {
      run(owner_of(r), RemoveMenuItem{id, "SALAD"});
    } else {
      run(owner_of(r), ReplaceMenu{id, menu()});
    }
  }

  void credit() {
    const Uuid& id = pick(accounts_);
    run(admin(),
        ChangeCredit{id, chance(70) ? uniform(500, 20000) : -uniform(500, 20000), "PEN", "ajuste"});
  }

  std::mt19937_64 rng_;
  int64_t now_ = kNow;
  DomainState state_;
  size_t commands_ = 0, accepted_ = 0;
  std::vector<Uuid> restaurants_, drivers_, accounts_, orders_, open_, finished_;
  std::vector<std::vector<Uuid>> account_restaurants_;
  std::map<Uuid, size_t> restaurant_index_, driver_index_;
  std::map<Uuid, int64_t> placed_at_, scheduled_for_;
};

}  // namespace comanda::test_support
