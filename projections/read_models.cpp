#include "projections/read_models.h"

#include <algorithm>
#include <mutex>

#include "engine/domain/access.h"

namespace comanda::projections {

using namespace comanda::engine;

void ReadModels::apply(std::span<const Event> events) {
  std::unique_lock lock(mu_);
  for (const Event& e : events) apply_one(e);
}

void ReadModels::apply_one(const Event& e) {
  if (e.position <= position_) return;  // already applied
  if (e.position != position_ + 1) gap_ = true;
  position_ = e.position;
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, RestaurantRegistered>) {
          restaurants_[e.stream] = RestaurantView{e.stream, e.stream_version, e.recorded_at_us, p};
        } else if constexpr (std::is_same_v<T, OrderPlaced>) {
          OrderView& o = orders_[e.stream];
          o.id = e.stream;
          o.version = e.stream_version;
          o.placed_position = e.position;
          o.placed_at_us = o.updated_at_us = e.recorded_at_us;
          o.placed = p;
          o.status = p.status;
          index_order(o);
        } else if constexpr (std::is_same_v<T, OrderStatusChanged>) {
          auto it = orders_.find(e.stream);
          if (it == orders_.end()) return;
          OrderView& o = it->second;
          o.version = e.stream_version;
          o.updated_at_us = e.recorded_at_us;
          o.status = p.to;
          o.status_reason = p.reason;
          o.cancelled_by_customer =
              p.to == OrderStatus::kCancelled && e.actor.role == Role::kCustomer;
        } else if constexpr (std::is_same_v<T, DriverRegistered>) {
          DriverView& d = drivers_[e.stream];
          d.id = e.stream;
          d.version = e.stream_version;
          d.registered_at_us = e.recorded_at_us;
          d.details = p;
        } else if constexpr (std::is_same_v<T, DriverLocationReported>) {
          auto it = drivers_.find(e.stream);
          if (it == drivers_.end()) return;
          DriverView& d = it->second;
          d.version = e.stream_version;
          auto at = [](const DriverLocationReported& l, int64_t recorded_at_us) {
            return l.reported_at_us != 0 ? l.reported_at_us : recorded_at_us;
          };
          if (!d.position ||
              at(p, e.recorded_at_us) >= at(d.position->location, d.position->recorded_at_us))
            d.position = DriverPosition{p, e.recorded_at_us, e.position};
        }
      },
      e.payload);
}

void ReadModels::index_order(const OrderView& o) {
  const Placement placement{o.placed_position, o.id};
  all_orders_.push_back(placement);
  orders_by_restaurant_[o.placed.restaurant_id].push_back(placement);
  orders_by_customer_[o.placed.customer.id].push_back(placement);
}

void ReadModels::sort_indexes() {
  std::sort(all_orders_.begin(), all_orders_.end());
  for (auto& [_, list] : orders_by_restaurant_) std::sort(list.begin(), list.end());
  for (auto& [_, list] : orders_by_customer_) std::sort(list.begin(), list.end());
}

void ReadModels::take(ReadModels&& other) {
  std::unique_lock lock(mu_);
  std::unique_lock other_lock(other.mu_);
  restaurants_ = std::move(other.restaurants_);
  orders_ = std::move(other.orders_);
  drivers_ = std::move(other.drivers_);
  all_orders_ = std::move(other.all_orders_);
  orders_by_restaurant_ = std::move(other.orders_by_restaurant_);
  orders_by_customer_ = std::move(other.orders_by_customer_);
  position_ = other.position_;
  gap_ = other.gap_;
}

Status ReadModels::rebuild(const EventLog& log) {
  {
    std::unique_lock lock(mu_);
    restaurants_.clear();
    orders_.clear();
    drivers_.clear();
    all_orders_.clear();
    orders_by_restaurant_.clear();
    orders_by_customer_.clear();
    position_ = 0;
    gap_ = false;
  }
  // Apply in chunks so that a long rebuild does not hold the lock throughout.
  std::vector<Event> chunk;
  Status status = log.scan(1, log.last_position(), [&](const Event& e) {
    chunk.push_back(e);
    if (chunk.size() == 4096) {
      apply(chunk);
      chunk.clear();
    }
    return true;
  });
  apply(chunk);
  return status;
}

std::optional<RestaurantView> ReadModels::restaurant(const Uuid& id) const {
  std::shared_lock lock(mu_);
  auto it = restaurants_.find(id);
  if (it == restaurants_.end()) return std::nullopt;
  return it->second;
}

std::optional<OrderView> ReadModels::order(const Uuid& id) const {
  std::shared_lock lock(mu_);
  auto it = orders_.find(id);
  if (it == orders_.end()) return std::nullopt;
  return it->second;
}

bool ReadModels::visible(const OrderView& order, const Principal& viewer) const {
  auto r = restaurants_.find(order.placed.restaurant_id);
  static const std::vector<std::string> kNoOwners;
  return may_view_order(viewer, r == restaurants_.end() ? kNoOwners : r->second.details.owners,
                        order.placed.customer.id);
}

std::optional<OrderView> ReadModels::order_for(const Uuid& id, const Principal& viewer,
                                               uint64_t* position) const {
  std::shared_lock lock(mu_);
  if (position) *position = position_;
  auto it = orders_.find(id);
  if (it == orders_.end() || !visible(it->second, viewer)) return std::nullopt;
  return it->second;
}

bool Audience::admits(const Principal& principal) const {
  return driver_user.empty() ? may_view_order(principal, owners, customer_id)
                             : may_act_as_driver(principal, driver_user);
}

std::optional<DriverView> ReadModels::driver_for(const Uuid& id, const Principal& viewer,
                                                 uint64_t* position) const {
  std::shared_lock lock(mu_);
  if (position) *position = position_;
  auto it = drivers_.find(id);
  if (it == drivers_.end() || !may_act_as_driver(viewer, it->second.details.user_id))
    return std::nullopt;
  return it->second;
}

Audience ReadModels::audience(const Event& event) const {
  std::shared_lock lock(mu_);
  Audience out;
  if (auto d = drivers_.find(event.stream); d != drivers_.end()) {
    out.driver_user = d->second.details.user_id;
    return out;
  }
  if (auto* registered = std::get_if<DriverRegistered>(&event.payload)) {
    out.driver_user = registered->user_id;
    return out;
  }
  if (auto r = restaurants_.find(event.partition); r != restaurants_.end())
    out.owners = r->second.details.owners;
  if (auto* placed = std::get_if<OrderPlaced>(&event.payload)) {
    out.customer_id = placed->customer.id;
  } else if (auto o = orders_.find(event.stream); o != orders_.end()) {
    out.customer_id = o->second.placed.customer.id;
  }
  return out;
}

uint64_t ReadModels::position() const {
  std::shared_lock lock(mu_);
  return position_;
}

bool ReadModels::has_gap() const {
  std::shared_lock lock(mu_);
  return gap_;
}

OrderPage ReadModels::list_orders(const OrderQuery& query) const {
  std::shared_lock lock(mu_);
  OrderPage page;
  page.position = position_;
  if (query.limit == 0) return page;
  const std::vector<Placement>* index = &all_orders_;
  // Drivers see no orders until dispatch exists: no scan of everyone's.
  if (query.viewer && query.viewer->role == Role::kDriver) return page;
  if (query.viewer && query.viewer->role == Role::kCustomer) {
    // A customer's own orders have their own index: no scan of everyone's.
    auto it = orders_by_customer_.find(query.viewer->subject);
    if (it == orders_by_customer_.end()) return page;
    index = &it->second;
  } else if (query.restaurant_id) {
    auto it = orders_by_restaurant_.find(*query.restaurant_id);
    if (it == orders_by_restaurant_.end()) return page;
    index = &it->second;
  }
  // Placements are ascending by position: start just below the cursor.
  auto end = index->end();
  if (query.before_position != 0)
    end = std::lower_bound(index->begin(), end, query.before_position,
                           [](const Placement& p, uint64_t pos) { return p.first < pos; });
  for (auto it = std::make_reverse_iterator(end); it != index->rend(); ++it) {
    const OrderView& o = orders_.at(it->second);
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

}  // namespace comanda::projections
