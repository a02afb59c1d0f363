#include "projections/restaurants.h"

#include <algorithm>

#include "projections/rows.h"

namespace comanda::projections {

std::optional<RestaurantView> RestaurantsModel::restaurant(const Uuid& id,
                                                           uint64_t* position) const {
  auto lock = read_lock(position);
  auto it = restaurants_.find(id);
  if (it == restaurants_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> RestaurantsModel::owners(const Uuid& id) const {
  auto lock = read_lock();
  auto it = restaurants_.find(id);
  if (it == restaurants_.end()) return {};
  return it->second.details.owners;
}

std::string RestaurantsModel::currency(const Uuid& id) const {
  auto lock = read_lock();
  auto it = restaurants_.find(id);
  return it == restaurants_.end() ? std::string() : it->second.details.currency;
}

void RestaurantsModel::apply_one(const engine::Event& e) {
  if (auto* p = std::get_if<engine::RestaurantRegistered>(&e.payload)) {
    restaurants_[e.stream] = RestaurantView{e.stream, e.stream_version, e.recorded_at_us, *p};
    return;
  }
  if (!std::holds_alternative<engine::RestaurantUpdated>(e.payload) &&
      !std::holds_alternative<engine::RestaurantPaused>(e.payload) &&
      !std::holds_alternative<engine::RestaurantResumed>(e.payload))
    return;  // not a restaurant's change (told by type, before any lookup)
  auto it = restaurants_.find(e.stream);
  if (it == restaurants_.end()) return;  // not a restaurant's event
  RestaurantView& r = it->second;
  if (auto* updated = std::get_if<engine::RestaurantUpdated>(&e.payload))
    apply_update(r.details, *updated);
  else if (std::holds_alternative<engine::RestaurantPaused>(e.payload))
    r.paused = true;
  else if (std::holds_alternative<engine::RestaurantResumed>(e.payload))
    r.paused = false;
  else
    return;
  r.version = e.stream_version;
}

void RestaurantsModel::clear() { restaurants_.clear(); }

engine::Status RestaurantsModel::save(const RowSink& put) const {
  auto lock = read_lock();
  v1::ViewRow row;
  std::string value;
  for (const auto& [id, r] : restaurants_) {
    row.Clear();
    row.set_origin(founding_event(id, id, 0, r.registered_at_us, r.details));
    row.set_version(r.version);
    row.set_paused(r.paused);
    if (auto s = put_row(put, id.raw(), row, value); !s.ok()) return s;
  }
  return {};
}

engine::Status RestaurantsModel::load_row(std::string_view, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto origin = stored_event(row.origin());
  if (!origin.ok()) return origin.error();
  auto* registered = std::get_if<engine::RestaurantRegistered>(&origin->payload);
  if (!registered) return bad_row(kName, "holds another event");
  auto lock = write_lock();
  restaurants_[origin->stream] = RestaurantView{
      origin->stream, row.version(), origin->recorded_at_us, std::move(*registered), row.paused()};
  return {};
}

std::vector<Uuid> RestaurantsModel::ids() const {
  auto lock = read_lock();
  return sorted_ids(restaurants_);
}

}  // namespace comanda::projections
