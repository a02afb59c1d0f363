#include "projections/orders.h"

#include <algorithm>

#include "engine/domain/access.h"
#include "projections/rows.h"

namespace comanda::projections {

using namespace comanda::engine;

namespace {

// Row keys: an order's, and a restaurant's owners'.
constexpr char kOrderRow = 'o';
constexpr char kOwnersRow = 'r';
constexpr char kDriverRow = 'u';

std::string row_key(char kind, const Uuid& id) {
  std::string key(1, kind);
  key += id.raw();
  return key;
}

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

}  // namespace

void OrdersModel::set_owners(const Uuid& restaurant, std::vector<std::string> owners) {
  std::vector<std::string>& was = owners_[restaurant];
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
  if (auto* registered = std::get_if<RestaurantRegistered>(&e.payload)) {
    set_owners(e.stream, registered->owners);
  } else if (auto* updated = std::get_if<engine::RestaurantUpdated>(&e.payload)) {
    if (updated->owners) set_owners(e.stream, *updated->owners);
  } else if (auto* driver = std::get_if<DriverRegistered>(&e.payload)) {
    driver_of_user_[driver->user_id] = e.stream;
  } else if (auto* placed = std::get_if<OrderPlaced>(&e.payload)) {
    OrderView& o = orders_[e.stream];
    o.id = e.stream;
    o.version = e.stream_version;
    o.placed_position = e.position;
    o.placed_at_us = o.updated_at_us = e.recorded_at_us;
    o.placed = *placed;
    o.status = placed->status;
    index_order(o);
    track_active(o);
  } else {
    OrderView* found = orders_.find(e.stream);
    if (!found) return;  // not an order's event
    OrderView& o = *found;
    std::visit(
        [&](const auto& payload) {
          if constexpr (requires { change(o, e, payload); }) {
            change(o, e, payload);
            o.version = e.stream_version;
            o.updated_at_us = e.recorded_at_us;
            using P = std::decay_t<decltype(payload)>;
            if constexpr (std::is_same_v<P, OrderStatusChanged> || std::is_same_v<P, OrderDeleted>)
              track_active(o);
          }
        },
        e.payload);
  }
}

void OrdersModel::index_order(const OrderView& o) {
  const Placement placement{o.placed_position, o.id};
  all_orders_.push_back(placement);
  by_restaurant_[o.placed.restaurant_id].push_back(placement);
  by_customer_[o.placed.customer.id].push_back(placement);
}

void OrdersModel::track_active(const OrderView& o) {
  const Placement placement{o.placed_position, o.id};
  if (!o.deleted && !is_terminal(o.status)) {
    active_[o.placed.restaurant_id].insert(placement);
  } else if (auto it = active_.find(o.placed.restaurant_id); it != active_.end()) {
    it->second.erase(placement);
    if (it->second.empty()) active_.erase(it);
  }
}

std::vector<OrderView> OrdersModel::active_orders(const Uuid& restaurant_id,
                                                  uint64_t* position) const {
  auto lock = read_lock(position);
  std::vector<OrderView> out;
  auto it = active_.find(restaurant_id);
  if (it == active_.end()) return out;
  out.reserve(it->second.size());
  for (auto p = it->second.rbegin(); p != it->second.rend(); ++p)
    out.push_back(*orders_.find(p->second));
  return out;
}

void OrdersModel::clear() {
  active_.clear();
  restaurants_of_.clear();
  orders_.clear();
  owners_.clear();
  all_orders_.clear();
  by_restaurant_.clear();
  by_customer_.clear();
  driver_of_user_.clear();
}

std::optional<OrderView> OrdersModel::order(const Uuid& id) const {
  auto lock = read_lock();
  const OrderView* o = orders_.find(id);
  if (!o || o->deleted) return std::nullopt;
  return *o;
}

bool OrdersModel::visible(const OrderView& order, const Principal& viewer) const {
  if (viewer.role == Role::kDriver) {
    auto it = driver_of_user_.find(viewer.subject);
    if (it == driver_of_user_.end()) return false;
    return order.driver == it->second ||
           std::find(order.offered.begin(), order.offered.end(), it->second) != order.offered.end();
  }
  auto r = owners_.find(order.placed.restaurant_id);
  static const std::vector<std::string> kNoOwners;
  return may_view_order(viewer, r == owners_.end() ? kNoOwners : r->second,
                        order.placed.customer.id);
}

std::optional<OrderView> OrdersModel::order_for(const Uuid& id, const Principal& viewer,
                                                uint64_t* position) const {
  auto lock = read_lock(position);
  const OrderView* o = orders_.find(id);
  if (!o || o->deleted || !visible(*o, viewer)) return std::nullopt;
  return *o;
}

std::string OrdersModel::customer_of(const Uuid& id) const {
  auto lock = read_lock();
  const OrderView* o = orders_.find(id);
  return o ? o->placed.customer.id : std::string();
}

OrderPage OrdersModel::list_orders(const OrderQuery& query) const {
  OrderPage page;
  auto lock = read_lock(&page.position);
  if (query.limit == 0) return page;
  // The lists to walk, merged newest first: one index, never a scan of
  // everyone's orders for a caller who sees only some.
  std::vector<const Placements*> lists;
  const Role role = query.viewer ? query.viewer->role : Role::kAdmin;
  // A driver reads the orders offered or assigned to it one by one; its
  // lists are not served here.
  if (role == Role::kDriver) return page;
  if (role == Role::kCustomer) {
    if (const Placements* mine = by_customer_.find(query.viewer->subject)) lists.push_back(mine);
  } else if (query.restaurant_id) {
    if (auto it = by_restaurant_.find(*query.restaurant_id); it != by_restaurant_.end())
      lists.push_back(&it->second);
  } else if (role == Role::kOwner) {  // their restaurants' lists
    if (auto it = restaurants_of_.find(query.viewer->subject); it != restaurants_of_.end())
      for (const Uuid& r : it->second)
        if (auto list = by_restaurant_.find(r); list != by_restaurant_.end())
          lists.push_back(&list->second);
  } else {
    lists.push_back(&all_orders_);
  }
  // Each list is ascending by position: each walks down from just below the
  // cursor; the newest of their heads comes next.
  std::vector<size_t> left;  // per list, how many are still to visit
  for (const Placements* list : lists) {
    auto end = list->end();
    if (query.before_position != 0)
      end = std::lower_bound(list->begin(), end, query.before_position,
                             [](const Placement& p, uint64_t pos) { return p.first < pos; });
    left.push_back(static_cast<size_t>(end - list->begin()));
  }
  for (;;) {
    size_t best = lists.size();
    for (size_t i = 0; i < lists.size(); ++i)
      if (left[i] > 0 &&
          (best == lists.size() || (*lists[i])[left[i] - 1] > (*lists[best])[left[best] - 1]))
        best = i;
    if (best == lists.size()) break;
    const Placement& next = (*lists[best])[--left[best]];
    const OrderView& o = *orders_.find(next.second);
    if (o.deleted || o.archived != query.archived) continue;
    if (query.restaurant_id && o.placed.restaurant_id != *query.restaurant_id) continue;
    if (query.viewer && !visible(o, *query.viewer)) continue;
    if (!query.statuses.empty() &&
        std::find(query.statuses.begin(), query.statuses.end(), o.status) == query.statuses.end())
      continue;
    if (page.orders.size() == query.limit) {
      page.next_cursor = page.orders.back().placed_position;
      break;
    }
    page.orders.push_back(o);
  }
  return page;
}

engine::Status OrdersModel::save(const RowSink& put) const {
  auto lock = read_lock();
  v1::ViewRow row;
  std::string value;
  for (const auto& [id, owners] : owners_) {
    row.Clear();
    for (const std::string& owner : owners) row.add_owners(owner);
    if (auto s = put_row(put, row_key(kOwnersRow, id), row, value); !s.ok()) return s;
  }
  for (const auto& [user, id] : driver_of_user_) {
    row.Clear();
    row.set_user_id(user);
    if (auto s = put_row(put, row_key(kDriverRow, id), row, value); !s.ok()) return s;
  }
  engine::Status status;
  orders_.for_each([&](const Uuid& id, const OrderView& o) {
    if (!status.ok() || o.deleted) return;  // deleted: its events alone remember it
    row.Clear();
    row.set_origin(
        founding_event(id, o.placed.restaurant_id, o.placed_position, o.placed_at_us, o.placed));
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
    status = put_row(put, row_key(kOrderRow, id), row, value);
  });
  return status;
}

engine::Status OrdersModel::load_row(std::string_view key, std::string_view value) {
  if (key.size() == 17 && key[0] == kOwnersRow) return load_owners(key, value);
  if (key.size() == 17 && key[0] == kOrderRow) return load_order(value);
  if (key.size() == 17 && key[0] == kDriverRow) return load_driver(key, value);
  return bad_row(kName, "has an unknown key");
}

engine::Status OrdersModel::load_owners(std::string_view key, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto lock = write_lock();
  set_owners(*Uuid::from_raw(key.substr(1)), {row.owners().begin(), row.owners().end()});
  return {};
}

engine::Status OrdersModel::load_driver(std::string_view key, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  auto lock = write_lock();
  driver_of_user_[parsed->user_id()] = *Uuid::from_raw(key.substr(1));
  return {};
}

engine::Status OrdersModel::load_order(std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto origin = stored_event(row.origin());
  if (!origin.ok()) return origin.error();
  auto* placed = std::get_if<OrderPlaced>(&origin->payload);
  if (!placed) return bad_row(kName, "holds another event");
  if (row.status() < 0 || row.status() >= static_cast<int>(kStatusCount))
    return bad_row(kName, "has an unknown status");
  auto lock = write_lock();
  OrderView& o = orders_[origin->stream];
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
  index_order(o);
  track_active(o);
  return {};
}

void OrdersModel::finish_load() {
  // Rows come in key order, not placement order.
  auto lock = write_lock();
  std::sort(all_orders_.begin(), all_orders_.end());
  for (auto& [_, list] : by_restaurant_) std::sort(list.begin(), list.end());
  by_customer_.for_each(
      [](const std::string&, Placements& list) { std::sort(list.begin(), list.end()); });
}

}  // namespace comanda::projections
