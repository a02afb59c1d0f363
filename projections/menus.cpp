#include "projections/menus.h"

#include "projections/rows.h"

namespace comanda::projections {

std::optional<MenuView> MenusModel::menu(const Uuid& restaurant_id, uint64_t* position) const {
  auto lock = read_lock(position);
  auto it = menus_.find(restaurant_id);
  if (it == menus_.end()) return std::nullopt;
  return it->second;
}

std::optional<MenusModel::Item> MenusModel::item(const Uuid& restaurant_id, std::string_view sku,
                                                 uint64_t* position) const {
  auto lock = read_lock(position);
  auto it = menus_.find(restaurant_id);
  if (it == menus_.end()) return std::nullopt;
  const engine::MenuItem* item = it->second.items.find(sku);
  if (!item) return std::nullopt;
  return Item{*item, it->second.currency, it->second.version};
}

void MenusModel::apply_one(const engine::Event& e) {
  if (auto* registered = std::get_if<engine::RestaurantRegistered>(&e.payload)) {
    MenuView& m = menus_[e.stream];
    m.restaurant_id = e.stream;
    m.currency = registered->currency;
    return;
  }
  std::visit(
      [&](const auto& payload) {
        if constexpr (requires(engine::MenuItems & items) { apply_to(items, payload); }) {
          MenuView& m = menus_[e.partition];
          m.restaurant_id = e.partition;
          m.version = e.stream_version;
          m.updated_at_us = e.recorded_at_us;
          apply_to(m.items, payload);
        }
      },
      e.payload);
}

void MenusModel::clear() { menus_.clear(); }

// A row per restaurant: its items as a menu_replaced event, the version,
// the time of the last change and the currency.
engine::Status MenusModel::save(const RowSink& put) const {
  auto lock = read_lock();
  v1::ViewRow row;
  std::string value;
  for (const auto& [id, m] : menus_) {
    row.Clear();
    row.set_origin(founding_event(engine::menu_stream_of(id), id, 0, m.updated_at_us,
                                  engine::MenuReplaced{m.items.all()}));
    row.set_version(m.version);
    row.set_updated_at_us(m.updated_at_us);
    row.set_currency(m.currency);
    if (auto s = put_row(put, id.raw(), row, value); !s.ok()) return s;
  }
  return {};
}

engine::Status MenusModel::load_row(std::string_view, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto origin = stored_event(row.origin());
  if (!origin.ok()) return origin.error();
  auto* items = std::get_if<engine::MenuReplaced>(&origin->payload);
  if (!items) return bad_row(kName, "holds another event");
  MenuView m{origin->partition, row.version(), row.updated_at_us(), row.currency(), {}};
  apply_to(m.items, *items);
  auto lock = write_lock();
  menus_[m.restaurant_id] = std::move(m);
  return {};
}

}  // namespace comanda::projections
