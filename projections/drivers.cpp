#include "projections/drivers.h"

#include <algorithm>
#include <cmath>

#include "engine/domain/access.h"
#include "projections/rows.h"

namespace comanda::projections {

using namespace comanda::engine;

namespace {

// The device's time of a ping, or the engine's when the device sent none.
int64_t taken_at(const DriverLocationReported& ping, int64_t recorded_at_us) {
  return ping.reported_at_us != 0 ? ping.reported_at_us : recorded_at_us;
}

}  // namespace

void DriversModel::apply_one(const Event& e) {
  if (auto* registered = std::get_if<DriverRegistered>(&e.payload)) {
    DriverView& d = drivers_[e.stream];
    d.id = e.stream;
    d.version = e.stream_version;
    d.registered_at_us = e.recorded_at_us;
    d.details = *registered;
    by_user_[registered->user_id] = e.stream;
    return;
  }
  if (!std::holds_alternative<DriverLocationReported>(e.payload) &&
      !std::holds_alternative<DriverAvailabilityChanged>(e.payload) &&
      !std::holds_alternative<DriverActiveChanged>(e.payload))
    return;  // not a driver's event (told by type, before any lookup)
  auto it = drivers_.find(e.stream);
  if (it == drivers_.end()) return;
  DriverView& d = it->second;
  if (auto* ping = std::get_if<DriverLocationReported>(&e.payload)) {
    if (!d.position || taken_at(*ping, e.recorded_at_us) >=
                           taken_at(d.position->location, d.position->recorded_at_us)) {
      d.position = DriverPosition{*ping, e.recorded_at_us, e.position};
      locate(d);
    }
  } else if (auto* changed = std::get_if<DriverAvailabilityChanged>(&e.payload)) {
    d.availability = changed->availability;
    d.order = changed->order_id;
  } else if (auto* active = std::get_if<DriverActiveChanged>(&e.payload)) {
    d.active = active->active;
  } else {
    return;
  }
  d.version = e.stream_version;
}

void DriversModel::locate(const DriverView& d) {
  const GeoPoint now = from_e7(d.position->location.lat_e7, d.position->location.lng_e7);
  auto indexed = located_.where(d.id);
  // Within 0.00015 degrees both ways (at most 16.7 m north and east, 23.6 m
  // apart): still within the slack, without the trigonometry.
  constexpr double kNear = 0.00015;
  if (indexed && std::abs(indexed->lat - now.lat) < kNear &&
      std::abs(indexed->lng - now.lng) < kNear)
    return;
  if (!indexed || distance_m(*indexed, now) > kSlackM) located_.put(d.id, now);
}

std::vector<DriversModel::Nearby> DriversModel::nearest(const GeoPoint& from, double radius_m,
                                                        bool available_only, size_t limit,
                                                        uint64_t* position) const {
  auto lock = read_lock(position);
  std::vector<Nearby> best;  // nearest first, at most `limit`
  if (limit == 0) return best;
  // Drivers come by their indexed place, each within kSlackM of where it
  // is: once the indexed distance is beyond the radius, or beyond the
  // farthest kept by more than the slack, nobody nearer is left.
  located_.visit_nearest(from, [&](const Uuid& id, double indexed_m) {
    const double nearest_possible = indexed_m - kSlackM;
    if (nearest_possible > radius_m) return false;
    if (best.size() == limit && nearest_possible > best.back().distance_m) return false;
    const DriverView& d = drivers_.at(id);
    if (available_only && (d.availability != Availability::kAvailable || !d.active)) return true;
    const double m =
        distance_m(from, from_e7(d.position->location.lat_e7, d.position->location.lng_e7));
    if (m > radius_m || (best.size() == limit && m >= best.back().distance_m)) return true;
    auto at = std::upper_bound(best.begin(), best.end(), m,
                               [](double x, const Nearby& n) { return x < n.distance_m; });
    best.insert(at, Nearby{d, m});
    if (best.size() > limit) best.pop_back();
    return true;
  });
  return best;
}

void DriversModel::clear() {
  located_ = SpatialIndex();
  drivers_.clear();
  by_user_.clear();
}

std::optional<DriverView> DriversModel::driver_for(const Uuid& id, const Principal& viewer,
                                                   uint64_t* position) const {
  auto lock = read_lock(position);
  auto it = drivers_.find(id);
  if (it == drivers_.end() || !may_act_as_driver(viewer, it->second.details.user_id))
    return std::nullopt;
  return it->second;
}

std::optional<DriverView> DriversModel::delivering_to(
    const Uuid& id, const engine::Principal& customer,
    const std::function<std::string(const Uuid&)>& customer_of, uint64_t* position) const {
  if (customer.role != engine::Role::kCustomer) return std::nullopt;
  const Uuid order = delivery_of(id);
  if (order.is_nil() || customer_of(order) != customer.subject) return std::nullopt;
  auto lock = read_lock(position);
  auto it = drivers_.find(id);
  // Still on that delivery: it may have ended since.
  if (it == drivers_.end() || it->second.order != order) return std::nullopt;
  return it->second;
}

std::string DriversModel::user_of(const Uuid& id) const {
  auto lock = read_lock();
  auto it = drivers_.find(id);
  return it == drivers_.end() ? std::string() : it->second.details.user_id;
}

Uuid DriversModel::driver_of_user(const std::string& user_id) const {
  auto lock = read_lock();
  auto it = by_user_.find(user_id);
  return it == by_user_.end() ? Uuid{} : it->second;
}

Uuid DriversModel::delivery_of(const Uuid& id) const {
  auto lock = read_lock();
  auto it = drivers_.find(id);
  return it == drivers_.end() ? Uuid{} : it->second.order;
}

engine::Status DriversModel::save(const RowSink& put) const {
  auto lock = read_lock();
  v1::ViewRow row;
  std::string value;
  for (const auto& [id, d] : drivers_) {
    row.Clear();
    row.set_origin(founding_event(id, id, 0, d.registered_at_us, d.details));
    row.set_version(d.version);
    if (d.position)
      row.set_position_event(founding_event(id, id, d.position->log_position,
                                            d.position->recorded_at_us, d.position->location));
    row.set_availability(static_cast<uint32_t>(d.availability));
    row.set_inactive(!d.active);
    if (!d.order.is_nil()) row.set_assigned(d.order.raw().data(), 16);
    if (auto s = put_row(put, id.raw(), row, value); !s.ok()) return s;
  }
  return {};
}

engine::Status DriversModel::load_row(std::string_view, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto origin = stored_event(row.origin());
  if (!origin.ok()) return origin.error();
  auto* registered = std::get_if<DriverRegistered>(&origin->payload);
  if (!registered) return bad_row(kName, "holds another event");
  DriverView view;
  view.id = origin->stream;
  view.version = row.version();
  view.registered_at_us = origin->recorded_at_us;
  view.details = std::move(*registered);
  if (!row.position_event().empty()) {
    auto ping = stored_event(row.position_event());
    auto* location = ping.ok() ? std::get_if<DriverLocationReported>(&ping->payload) : nullptr;
    if (!location) return bad_row(kName, "has a corrupt position");
    view.position = DriverPosition{*location, ping->recorded_at_us, ping->position};
  }
  if (row.availability() > static_cast<uint32_t>(Availability::kBusy))
    return bad_row(kName, "has an unknown availability");
  view.availability = static_cast<Availability>(row.availability());
  view.active = !row.inactive();
  if (!row.assigned().empty()) {
    auto order = Uuid::from_raw(row.assigned());
    if (!order) return bad_row(kName, "has a malformed delivery id");
    view.order = *order;
  }
  auto lock = write_lock();
  DriverView& d = drivers_[view.id];
  d = std::move(view);
  by_user_[d.details.user_id] = d.id;
  if (d.position) locate(d);
  return {};
}

std::vector<Uuid> DriversModel::ids() const {
  auto lock = read_lock();
  return sorted_ids(drivers_);
}

}  // namespace comanda::projections
