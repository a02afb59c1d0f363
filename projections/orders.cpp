#include "projections/orders.h"

#include <algorithm>

#include "engine/domain/access.h"
#include "projections/rows.h"

namespace comanda::projections {

using namespace comanda::engine;

namespace {

// What each event after the placement changes in an order's view.
void change(OrderView& o, const Event& e, const OrderStatusChanged& p) {
  o.status = p.to;
  o.status_reason = p.reason;
  o.cancelled_by_customer = p.to == OrderStatus::kCancelled && e.actor.role == Role::kCustomer;
  if (p.to == OrderStatus::kCancelled || p.to == OrderStatus::kRejected)
    o.canceled_at_us = e.recorded_at_us;
  if (p.to == OrderStatus::kDelivered || p.to == OrderStatus::kPickedUpByCustomer ||
      p.to == OrderStatus::kCompleted)
    o.completed_at_us = e.recorded_at_us;
  if (is_terminal(p.to)) o.offered.clear();
  o.not_ready = false;  // the flag is for the wait it was set in
}

void change(OrderView& o, const Event&, const OrderChanged& p) {
  OrderPlaced& d = o.placed;
  if (p.customer) d.customer = *p.customer;
  if (p.items) {
    d.items = *p.items;
    o.fulfilled.clear();
  }
  if (p.fulfillment) d.fulfillment = *p.fulfillment;
  if (p.payment) d.payment = *p.payment;
  if (p.notes) d.notes = *p.notes;
  if (p.delivery_zone) d.delivery_zone = *p.delivery_zone;
  d.totals = p.totals;
}

void change(OrderView& o, const Event&, const OrderReplaced& p) {
  OrderPlaced& d = o.placed;
  d.customer = p.customer;
  d.items = p.items;
  o.fulfilled.clear();
  d.fulfillment = p.fulfillment;
  d.payment = p.payment;
  d.notes = p.notes;
  d.delivery_zone = p.delivery_zone;
  d.totals = p.totals;
}

void change(OrderView& o, const Event&, const OrderLineFulfilled& p) {
  if (p.line >= o.placed.items.size()) return;
  o.fulfilled.resize(o.placed.items.size());
  o.fulfilled[p.line] = p.quantity;
}

void change(OrderView& o, const Event&, const DriverOffered& p) { o.offered = p.drivers; }
void change(OrderView& o, const Event&, const OfferExpired&) { o.offered.clear(); }
void change(OrderView& o, const Event&, const OfferWithdrawn& p) {
  std::erase(o.offered, p.driver);
}
void change(OrderView& o, const Event&, const DispatchWaiting&) { o.offered.clear(); }
void change(OrderView& o, const Event&, const DriverAssigned& p) {
  o.driver = p.driver;
  o.offered.clear();
}
void change(OrderView& o, const Event&, const DriverUnassigned&) { o.driver = Uuid{}; }
void change(OrderView& o, const Event&, const OrderArchived&) { o.archived = true; }
void change(OrderView& o, const Event&, const OrderNotReadyChanged& p) {
  o.not_ready = p.not_ready;
}
void change(OrderView& o, const Event&, const OrderDeleted&) { o.deleted = true; }

// A sorted list's insertion and removal. Orders mostly join lists at the
// end (placed last); one that joins late (it finished, got a driver) is
// usually recent, and a deque moves the nearer end's entries.
template <class List, class Item>
void insert_sorted(List& list, const Item& item) {
  if (list.empty() || list.back() < item) {
    list.push_back(item);
    return;
  }
  auto at = std::lower_bound(list.begin(), list.end(), item);
  if (at != list.end() && *at == item) return;
  list.insert(at, item);
}

template <class List, class Item>
void erase_sorted(List& list, const Item& item) {
  auto at = std::lower_bound(list.begin(), list.end(), item);
  if (at != list.end() && *at == item) list.erase(at);
}

}  // namespace

OrdersModel::RestaurantOrders& OrdersModel::restaurant_orders(const Uuid& id) {
  RestaurantOrders& r = restaurants_[id];
  r.id = id;
  return r;
}

void OrdersModel::set_owners(const Uuid& restaurant, std::vector<std::string> owners) {
  std::vector<std::string>& was = restaurant_orders(restaurant).owners;
  for (const std::string& owner : was) {
    auto it = restaurants_of_.find(owner);
    if (it == restaurants_of_.end()) continue;
    std::erase(it->second, restaurant);
    if (it->second.empty()) restaurants_of_.erase(it);
  }
  was = std::move(owners);
  for (const std::string& owner : was) {
    std::vector<Uuid>& theirs = restaurants_of_[owner];
    if (std::find(theirs.begin(), theirs.end(), restaurant) == theirs.end())
      theirs.push_back(restaurant);
  }
}

void OrdersModel::apply_one(const Event& e) {
  now_us_ = e.recorded_at_us;
  if (auto* registered = std::get_if<RestaurantRegistered>(&e.payload)) {
    set_owners(e.stream, registered->owners);
    restaurant_orders(e.stream).zone = TimeZone::find(registered->time_zone).value_or(TimeZone());
  } else if (auto* updated = std::get_if<engine::RestaurantUpdated>(&e.payload)) {
    if (updated->owners) set_owners(e.stream, *updated->owners);
    if (updated->time_zone)
      restaurant_orders(e.stream).zone = TimeZone::find(*updated->time_zone).value_or(TimeZone());
  } else if (auto* driver = std::get_if<DriverRegistered>(&e.payload)) {
    driver_of_user_[driver->user_id] = e.stream;
  } else if (auto* placed = std::get_if<OrderPlaced>(&e.payload)) {
    place(e, *placed);
  } else {
    // An order's event (by its type, before any lookup: most events of a
    // busy log are pings).
    std::visit(
        [&](const auto& payload) {
          if constexpr (requires(OrderView & o) { change(o, e, payload); }) {
            OrderView* found = orders_.find(e.stream);
            if (!found) {
              // In views/: kept until the writer has rewritten its row,
              // and applied over the row by every read meanwhile.
              if (cold_) overlay_[e.stream].push_back(e);
              return;
            }
            OrderView& o = *found;
            using P = std::decay_t<decltype(payload)>;
            constexpr bool kMayMove =
                std::is_same_v<P, OrderChanged> || std::is_same_v<P, OrderReplaced>;
            const IndexKeys was = keys_of(o);
            const DriverWork::Ties ties_was = DriverWork::ties_of(o);
            preserve(o);
            std::string customer_was;
            int64_t scheduled_was = 0;
            if constexpr (kMayMove) {
              customer_was = o.placed.customer.id;
              scheduled_was = o.placed.fulfillment.scheduled_for_us;
            }
            change(o, e, payload);
            o.version = e.stream_version;
            o.updated_at_us = e.recorded_at_us;
            // A new time moves the order to its day (in the zone of now);
            // any other edit leaves the date it has.
            if (kMayMove && o.placed.fulfillment.scheduled_for_us != scheduled_was)
              o.service_date = service_date(o);
            reindex(o, was, kMayMove ? &customer_was : nullptr);
            work_.retie({o.placed_position, o.id}, ties_was, DriverWork::ties_of(o));
            constexpr int kActive = static_cast<int>(StatusGroup::kActive);
            if (was.group == kActive && keys_of(o).group != kActive)
              finished_.emplace_back(e.recorded_at_us, o.id);  // leaves memory after the window
          }
        },
        e.payload);
  }
}

void OrdersModel::place(const Event& e, const OrderPlaced& placed) {
  OrderView& o = orders_[e.stream];
  o.id = e.stream;
  o.version = e.stream_version;
  o.placed_position = e.position;
  o.placed_at_us = o.updated_at_us = e.recorded_at_us;
  o.placed = placed;
  o.status = placed.status;
  o.service_date = service_date(o);
  index_order(o, true);
}

engine::LocalDate OrdersModel::service_date(const OrderView& o) const {
  const int64_t at = o.placed.fulfillment.scheduled_for_us != 0
                         ? o.placed.fulfillment.scheduled_for_us
                         : o.placed_at_us;
  auto r = restaurants_.find(o.placed.restaurant_id);
  return (r == restaurants_.end() ? TimeZone() : r->second.zone).local_date(at);
}

OrdersModel::IndexKeys OrdersModel::keys_of(const OrderView& o) {
  return {o.deleted ? -1 : static_cast<int>(status_group(o.status)), o.service_date, o.driver};
}

void OrdersModel::index_order(const OrderView& o, bool sorted) {
  const Placement p{o.placed_position, o.id};
  const auto add = [&](Placements& list) {
    if (sorted)
      insert_sorted(list, p);
    else
      list.push_back(p);
  };
  RestaurantOrders& r = restaurant_orders(o.placed.restaurant_id);
  add(all_orders_);
  add(r.all);
  add(by_customer_[o.placed.customer.id]);
  add(r.by_customer[o.placed.customer.id]);
  add(r.by_date[o.service_date]);
  r.days.insert(o.service_date);
  const IndexKeys keys = keys_of(o);
  if (keys.group >= 0) add(r.by_group[static_cast<size_t>(keys.group)]);
  if (!o.driver.is_nil()) add(by_driver_[o.driver]);
}

void OrdersModel::unindex(const OrderView& o, const IndexKeys& was) {
  const Placement p{o.placed_position, o.id};
  RestaurantOrders& r = restaurant_orders(o.placed.restaurant_id);
  erase_sorted(all_orders_, p);
  erase_sorted(r.all, p);
  erase_sorted(r.by_group[static_cast<size_t>(was.group)], p);
  if (auto day = r.by_date.find(was.date); day != r.by_date.end()) {
    erase_sorted(day->second, p);
    if (day->second.empty()) r.by_date.erase(day);
  }
  if (Placements* theirs = by_customer_.find(o.placed.customer.id)) {
    erase_sorted(*theirs, p);
    if (theirs->empty())
      by_customer_.erase(o.placed.customer.id);  // an empty deque still holds memory
  }
  if (auto c = r.by_customer.find(o.placed.customer.id); c != r.by_customer.end()) {
    erase_sorted(c->second, p);
    if (c->second.empty()) r.by_customer.erase(c);
  }
  if (auto d = by_driver_.find(was.driver); d != by_driver_.end()) {
    erase_sorted(d->second, p);
    if (d->second.empty()) by_driver_.erase(d);
  }
}

void OrdersModel::reindex(const OrderView& o, const IndexKeys& was,
                          const std::string* customer_was) {
  const Placement p{o.placed_position, o.id};
  const IndexKeys now = keys_of(o);
  RestaurantOrders& r = restaurant_orders(o.placed.restaurant_id);
  if (o.deleted) {
    if (was.group >= 0) unindex(o, was);
    return;
  }
  if (now.group != was.group) {
    if (was.group >= 0) erase_sorted(r.by_group[static_cast<size_t>(was.group)], p);
    if (now.group >= 0) insert_sorted(r.by_group[static_cast<size_t>(now.group)], p);
  }
  if (now.date != was.date) {
    if (auto day = r.by_date.find(was.date); day != r.by_date.end()) {
      erase_sorted(day->second, p);
      if (day->second.empty()) r.by_date.erase(day);
    }
    insert_sorted(r.by_date[now.date], p);
    r.days.insert(now.date);
  }
  if (now.driver != was.driver) {
    if (auto d = by_driver_.find(was.driver); d != by_driver_.end()) {
      erase_sorted(d->second, p);
      if (d->second.empty()) by_driver_.erase(d);
    }
    if (!now.driver.is_nil()) insert_sorted(by_driver_[now.driver], p);
  }
  if (customer_was && *customer_was != o.placed.customer.id) {
    if (Placements* list = by_customer_.find(*customer_was)) erase_sorted(*list, p);
    insert_sorted(by_customer_[o.placed.customer.id], p);
    if (auto c = r.by_customer.find(*customer_was); c != r.by_customer.end()) {
      erase_sorted(c->second, p);
      if (c->second.empty()) r.by_customer.erase(c);
    }
    insert_sorted(r.by_customer[o.placed.customer.id], p);
  }
}

bool OrdersModel::apply_change(OrderView& o, const Event& e) {
  return std::visit(
      [&](const auto& payload) {
        if constexpr (requires { change(o, e, payload); }) {
          change(o, e, payload);
          o.version = e.stream_version;
          o.updated_at_us = e.recorded_at_us;
          return true;
        } else {
          return false;
        }
      },
      e.payload);
}

void OrdersModel::clear() {
  restaurants_.clear();
  restaurants_of_.clear();
  orders_.clear();
  all_orders_.clear();
  by_customer_.clear();
  by_driver_.clear();
  driver_of_user_.clear();
  work_.clear();
  finished_.clear();
  overlay_.clear();
  now_us_ = 0;
}

void OrdersModel::to_row(const OrderView& o, v1::ViewRow& row) {
  row.Clear();
  row.set_origin(
      founding_event(o.id, o.placed.restaurant_id, o.placed_position, o.placed_at_us, o.placed));
  row.set_version(o.version);
  row.set_updated_at_us(o.updated_at_us);
  row.set_status(static_cast<v1::OrderStatus>(o.status));
  row.set_cancelled_by_customer(o.cancelled_by_customer);
  row.set_status_reason(o.status_reason);
  for (uint32_t q : o.fulfilled) row.add_fulfilled(q);
  row.set_archived(o.archived);
  row.set_canceled_at_us(o.canceled_at_us);
  row.set_completed_at_us(o.completed_at_us);
  if (!o.driver.is_nil()) row.set_assigned(o.driver.raw().data(), 16);
  for (const Uuid& d : o.offered) row.add_offered(d.raw().data(), 16);
  row.set_not_ready(o.not_ready);
  row.set_service_date(o.service_date);
  row.set_deleted(o.deleted);
}

engine::Result<OrderView> OrdersModel::from_row(std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto origin = stored_event(row.origin());
  if (!origin.ok()) return origin.error();
  auto* placed = std::get_if<OrderPlaced>(&origin->payload);
  if (!placed) return bad_row(kName, "holds another event");
  if (row.status() < 0 || row.status() >= static_cast<int>(kStatusCount))
    return bad_row(kName, "has an unknown status");
  OrderView o;
  o.id = origin->stream;
  o.version = row.version();
  o.placed_position = origin->position;
  o.placed_at_us = origin->recorded_at_us;
  o.updated_at_us = row.updated_at_us();
  o.placed = std::move(*placed);
  o.status = static_cast<OrderStatus>(row.status());
  o.cancelled_by_customer = row.cancelled_by_customer();
  o.status_reason = row.status_reason();
  o.fulfilled.assign(row.fulfilled().begin(), row.fulfilled().end());
  o.archived = row.archived();
  o.canceled_at_us = row.canceled_at_us();
  o.completed_at_us = row.completed_at_us();
  o.not_ready = row.not_ready();
  o.service_date = row.service_date();
  o.deleted = row.deleted();
  if (!row.assigned().empty()) {
    auto driver = Uuid::from_raw(row.assigned());
    if (!driver) return bad_row(kName, "has a malformed driver id");
    o.driver = *driver;
  }
  for (const std::string& raw : row.offered()) {
    auto driver = Uuid::from_raw(raw);
    if (!driver) return bad_row(kName, "has a malformed offered driver id");
    o.offered.push_back(*driver);
  }
  return o;
}

}  // namespace comanda::projections
