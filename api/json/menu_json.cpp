#include "api/json/menu_json.h"

#include "api/json/body_reader.h"
#include "api/json/values_json.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

namespace {

std::optional<std::vector<MenuModifier>> read_modifiers(ObjectReader& r) {
  auto mods = r.array("modifiers", false, 0, 50);
  if (!mods) return std::nullopt;
  std::vector<MenuModifier> out;
  for (dom::element m : *mods) {
    const std::string path = r.path("modifiers[" + std::to_string(out.size()) + "]");
    dom::object o;
    if (m.get(o) != simdjson::SUCCESS) {
      r.fail(Error::invalid(path, path + " must be an object"));
      return std::nullopt;
    }
    ObjectReader mr(o, path + ".");
    mr.only({"name", "price"}, "a modifier");
    MenuModifier mod{mr.string("name", true, 200, 1),
                     mr.integer("price", false, 0, kMaxAmount).value_or(0)};
    if (mr.failed()) {
      r.fail(mr.error());
      return std::nullopt;
    }
    out.push_back(std::move(mod));
  }
  return out;
}

// The item's fields (`prefix` names them in errors), each required but the
// availability (true), modifiers and removals (none). An item named by its
// path (`path_sku`) need not repeat its sku; if it does, the two must agree.
Result<MenuItem> read_item(dom::object o, const std::string& prefix,
                           std::string_view path_sku = {}) {
  ObjectReader r(o, prefix);
  r.only({"sku", "name", "price", "available", "modifiers", "removals"}, "a menu item");
  MenuItem item;
  item.sku = r.string("sku", path_sku.empty(), 64, 1);
  if (!path_sku.empty() && !r.failed()) {
    if (!item.sku.empty() && item.sku != path_sku)
      return Error::unprocessable("sku", "sku in the body (" + item.sku + ") is not the path's (" +
                                             std::string(path_sku) + ")");
    item.sku = std::string(path_sku);
  }
  item.name = r.string("name", true, 200, 1);
  item.price = r.integer("price", true, 0, kMaxAmount).value_or(0);
  item.available = r.boolean("available").value_or(true);
  item.modifiers = read_modifiers(r).value_or(std::vector<MenuModifier>{});
  item.removals = r.strings("removals", 50, 100).value_or(std::vector<std::string>{});
  if (r.failed()) return r.error();
  return item;
}

}  // namespace

engine::Result<engine::ReplaceMenu> parse_replace_menu(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"items"}, "a menu");
  auto items = r.array("items", true, 0, engine::kMaxMenuItems);
  if (r.failed()) return r.error();
  engine::ReplaceMenu cmd;
  cmd.items.reserve(items->size());
  for (dom::element e : *items) {
    const std::string path = "items[" + std::to_string(cmd.items.size()) + "]";
    dom::object o;
    if (e.get(o) != simdjson::SUCCESS) return Error::invalid(path, path + " must be an object");
    auto item = read_item(o, path + ".");
    if (!item.ok()) return item.error();
    cmd.items.push_back(std::move(*item));
  }
  return cmd;
}

engine::Result<engine::PutMenuItem> parse_put_menu_item(std::string_view body,
                                                        std::string_view sku) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  auto item = read_item(*object, "", sku);
  if (!item.ok()) return item.error();
  return engine::PutMenuItem{{}, std::move(*item)};
}

engine::Result<engine::MenuItemPatch> parse_menu_item_patch(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"name", "price", "available", "modifiers", "removals"}, "a menu item's PATCH");
  if (r.failed()) return r.error();
  engine::MenuItemPatch p;
  if (r.get("name")) p.name = r.string("name", false, 200, 1);
  p.price = r.integer("price", false, 0, kMaxAmount);
  p.available = r.boolean("available");
  p.modifiers = read_modifiers(r);
  p.removals = r.strings("removals", 50, 100);
  if (r.failed()) return r.error();
  return p;
}

void write_menu_item(JsonWriter& w, const MenuItem& item, std::string_view currency) {
  w.begin_object();
  w.key("sku").string(item.sku);
  w.key("name").string(item.name);
  money_field(w, "price", item.price, currency);
  w.key("available").boolean(item.available);
  w.key("modifiers").begin_array();
  for (const MenuModifier& m : item.modifiers) {
    w.begin_object().key("name").string(m.name);
    money_field(w, "price", m.price, currency);
    w.end_object();
  }
  w.end_array();
  w.key("removals").begin_array();
  for (const std::string& r : item.removals) w.string(r);
  w.end_array();
  w.end_object();
}

std::string menu_item_json(const MenuItem& item, std::string_view currency) {
  JsonWriter w;
  write_menu_item(w, item, currency);
  return w.take();
}

std::string menu_json(const projections::MenuView& menu) {
  JsonWriter w;
  w.begin_object();
  w.key("restaurant_id").string(menu.restaurant_id.to_string());
  w.key("version").number(menu.version);
  w.key("updated_at");
  if (menu.updated_at_us)
    w.string(format_utc(menu.updated_at_us));
  else
    w.null();
  w.key("items").begin_array();
  for (const MenuItem& item : menu.items.all()) write_menu_item(w, item, menu.currency);
  w.end_array();
  w.end_object();
  return w.take();
}

void write_event_data(JsonWriter& w, const Event&, const MenuReplaced& p,
                      std::string_view currency) {
  w.begin_object().key("items").begin_array();
  for (const MenuItem& item : p.items) write_menu_item(w, item, currency);
  w.end_array().end_object();
}

void write_event_data(JsonWriter& w, const Event&, const MenuItemUpserted& p,
                      std::string_view currency) {
  write_menu_item(w, p.item, currency);
}

void write_event_data(JsonWriter& w, const Event&, const MenuItemAvailabilityChanged& p) {
  w.begin_object().key("sku").string(p.sku).key("available").boolean(p.available).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const MenuItemRemoved& p) {
  w.begin_object().key("sku").string(p.sku).end_object();
}

}  // namespace comanda::api
