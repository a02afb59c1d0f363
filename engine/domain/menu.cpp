#include "engine/domain/menu.h"

#include <algorithm>

#include "engine/base/text.h"
#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/restaurant.h"

namespace comanda::engine {

// ---- items ----

namespace {

// Where `sku` is or would go in `items` (sorted by sku). Compared as two
// string_views: clang 14 rejects a string < string_view in a lambda inside a
// template (its consteval bug with the comparison category's `< 0`).
template <class Items>
auto position_of(Items& items, std::string_view sku) {
  return std::lower_bound(
      items.begin(), items.end(), sku,
      [](const MenuItem& item, std::string_view s) { return std::string_view(item.sku) < s; });
}

}  // namespace

const MenuItem* MenuItems::find(std::string_view sku) const {
  auto it = position_of(items_, sku);
  return it != items_.end() && it->sku == sku ? &*it : nullptr;
}

void MenuItems::replace(std::vector<MenuItem> items) {
  items_ = std::move(items);
  std::sort(items_.begin(), items_.end(),
            [](const MenuItem& a, const MenuItem& b) { return a.sku < b.sku; });
}

void MenuItems::upsert(MenuItem item) {
  auto it = position_of(items_, item.sku);
  if (it != items_.end() && it->sku == item.sku)
    *it = std::move(item);
  else
    items_.insert(it, std::move(item));
}

void MenuItems::remove(std::string_view sku) {
  auto it = position_of(items_, sku);
  if (it != items_.end() && it->sku == sku) items_.erase(it);
}

void MenuItems::set_available(std::string_view sku, bool available) {
  auto it = position_of(items_, sku);
  if (it != items_.end() && it->sku == sku) it->available = available;
}

Uuid menu_stream_of(const Uuid& restaurant_id) {
  Uuid menu = restaurant_id;
  menu.bytes[6] ^= 0xF0;
  return menu;
}

void apply_to(MenuItems& items, const MenuReplaced& e) { items.replace(e.items); }
void apply_to(MenuItems& items, const MenuItemUpserted& e) { items.upsert(e.item); }
void apply_to(MenuItems& items, const MenuItemAvailabilityChanged& e) {
  items.set_available(e.sku, e.available);
}
void apply_to(MenuItems& items, const MenuItemRemoved& e) { items.remove(e.sku); }

// ---- state ----

namespace {

template <class E>
const MenuState& apply_event(MenuState& menu, const Event& e, const E& payload) {
  menu.version = e.stream_version;
  apply_to(menu.items, payload);
  return menu;
}

}  // namespace

const MenuState& MenuBook::apply(const Event& e, const MenuReplaced& p) {
  return apply_event(at(e.stream), e, p);
}
const MenuState& MenuBook::apply(const Event& e, const MenuItemUpserted& p) {
  return apply_event(at(e.stream), e, p);
}
const MenuState& MenuBook::apply(const Event& e, const MenuItemAvailabilityChanged& p) {
  return apply_event(at(e.stream), e, p);
}
const MenuState& MenuBook::apply(const Event& e, const MenuItemRemoved& p) {
  return apply_event(at(e.stream), e, p);
}

// ---- rules that need no state ----

namespace {

constexpr int64_t kMaxPrice = 1'000'000'000'000;
constexpr size_t kMaxModifiers = 50;

bool sku_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

Status validate_text(const std::string& text, const std::string& field, size_t max) {
  if (text.empty() || text.size() > max || has_control_character(text))
    return Error::invalid(field, field + " must be 1 to " + std::to_string(max) +
                                     " bytes without control characters");
  return {};
}

Status validate_modifiers(const MenuItem& item, const std::string& prefix) {
  if (item.modifiers.size() > kMaxModifiers)
    return Error::invalid(prefix + "modifiers", prefix + "modifiers holds at most 50");
  for (size_t i = 0; i < item.modifiers.size(); ++i) {
    const MenuModifier& m = item.modifiers[i];
    const std::string path = prefix + "modifiers[" + std::to_string(i) + "]";
    if (Status name = validate_text(m.name, path + ".name", 200); !name.ok()) return name;
    if (m.price < 0 || m.price > kMaxPrice)
      return Error::invalid(path + ".price", path + ".price must be from 0 to 10^12");
    for (size_t j = 0; j < i; ++j)
      if (iequals(item.modifiers[j].name, m.name))
        return Error::unprocessable(path + ".name", path + ".name repeats '" + m.name + "'");
    if (istarts_with(m.name, "no "))
      return Error::unprocessable(path + ".name", path + ".name '" + m.name +
                                                      "' reads as a removal: list the ingredient "
                                                      "in removals instead");
  }
  return {};
}

Status validate_removals(const MenuItem& item, const std::string& prefix) {
  if (item.removals.size() > kMaxModifiers)
    return Error::invalid(prefix + "removals", prefix + "removals holds at most 50");
  for (size_t i = 0; i < item.removals.size(); ++i) {
    const std::string& r = item.removals[i];
    const std::string path = prefix + "removals[" + std::to_string(i) + "]";
    if (Status text = validate_text(r, path, 100); !text.ok()) return text;
    if (istarts_with(r, "no "))
      return Error::unprocessable(path, path + " names the ingredient ('" + r.substr(3) +
                                            "'); it is ordered as 'No " + r.substr(3) + "'");
    for (size_t j = 0; j < i; ++j)
      if (iequals(item.removals[j], r))
        return Error::unprocessable(path, path + " repeats '" + r + "'");
  }
  return {};
}

}  // namespace

Status validate_sku(std::string_view sku, const std::string& field) {
  if (sku.empty() || sku.size() > 64 || !std::all_of(sku.begin(), sku.end(), sku_char))
    return Error::invalid(field, field + " must be 1 to 64 of A-Z a-z 0-9 . _ -");
  return {};
}

Status validate_menu_item(const MenuItem& item, const std::string& prefix) {
  if (Status sku = validate_sku(item.sku, prefix + "sku"); !sku.ok()) return sku;
  if (Status name = validate_text(item.name, prefix + "name", 200); !name.ok()) return name;
  if (item.price < 0 || item.price > kMaxPrice)
    return Error::invalid(prefix + "price", prefix + "price must be from 0 to 10^12");
  if (Status modifiers = validate_modifiers(item, prefix); !modifiers.ok()) return modifiers;
  return validate_removals(item, prefix);
}

Status validate(ReplaceMenu& cmd) {
  if (cmd.items.size() > kMaxMenuItems)
    return Error::unprocessable("items",
                                "a menu holds at most " + std::to_string(kMaxMenuItems) + " items");
  for (size_t i = 0; i < cmd.items.size(); ++i) {
    const std::string prefix = "items[" + std::to_string(i) + "].";
    if (Status item = validate_menu_item(cmd.items[i], prefix); !item.ok()) return item;
  }
  std::vector<const MenuItem*> by_sku;
  for (const MenuItem& item : cmd.items) by_sku.push_back(&item);
  std::sort(by_sku.begin(), by_sku.end(), [](auto* a, auto* b) { return a->sku < b->sku; });
  for (size_t i = 1; i < by_sku.size(); ++i)
    if (by_sku[i]->sku == by_sku[i - 1]->sku) {
      const size_t at = static_cast<size_t>(by_sku[i] - cmd.items.data());
      const std::string field = "items[" + std::to_string(at) + "].sku";
      return Error::unprocessable(field, field + " repeats " + by_sku[i]->sku);
    }
  return {};
}

Status validate(PutMenuItem& cmd) { return validate_menu_item(cmd.item, ""); }

Status validate(ChangeMenuItem& cmd) {
  if (Status sku = validate_sku(cmd.sku, "sku"); !sku.ok()) return sku;
  // The patched item is checked whole by decide(), once merged.
  return {};
}

Status validate(RemoveMenuItem& cmd) { return validate_sku(cmd.sku, "sku"); }

// ---- decisions ----

namespace {

// The menu the caller may change: its target, and its state (null before
// its first change). A restaurant the caller may not see is absent.
Result<Target> menu_to_change(Decision& d, const Uuid& restaurant_id, const MenuState** menu) {
  const Principal& who = d.caller();
  if (who.role != Role::kAdmin && who.role != Role::kOwner)
    return Error::forbidden("a caller with role " + std::string(role_name(who.role)) +
                            " cannot change menus");
  const RestaurantState* r = d.find<Restaurant>(restaurant_id);
  if (!r || !may_view_restaurant(who, r->details.owners))
    return Error::not_found("no such restaurant");
  const Uuid stream = menu_stream_of(restaurant_id);
  *menu = d.find<Menu>(stream);
  const uint64_t version = *menu ? (*menu)->version : 0;
  if (Status v = d.expect_version(version); !v.ok()) return v.error();
  return Target{stream, restaurant_id, version};
}

MenuItem patched(MenuItem item, MenuItemPatch& p) {
  if (p.name) item.name = std::move(*p.name);
  if (p.price) item.price = *p.price;
  if (p.available) item.available = *p.available;
  if (p.modifiers) item.modifiers = std::move(*p.modifiers);
  if (p.removals) item.removals = std::move(*p.removals);
  return item;
}

}  // namespace

Status decide(ReplaceMenu& cmd, Decision& d) {
  const MenuState* menu = nullptr;
  auto target = menu_to_change(d, cmd.restaurant_id, &menu);
  if (!target.ok()) return target.error();
  MenuItems wanted;
  wanted.replace(std::move(cmd.items));
  if (menu && menu->items == wanted) {
    d.unchanged(*target);
    return {};
  }
  d.emit(*target, MenuReplaced{wanted.all()});
  return {};
}

Status decide(PutMenuItem& cmd, Decision& d) {
  const MenuState* menu = nullptr;
  auto target = menu_to_change(d, cmd.restaurant_id, &menu);
  if (!target.ok()) return target.error();
  const MenuItem* now = menu ? menu->items.find(cmd.item.sku) : nullptr;
  if (now && *now == cmd.item) {
    d.unchanged(*target);
    return {};
  }
  if (!now && menu && menu->items.all().size() >= kMaxMenuItems)
    return Error::unprocessable(
        "sku", "the menu holds " + std::to_string(kMaxMenuItems) + " items already");
  d.emit(*target, MenuItemUpserted{std::move(cmd.item)});
  return {};
}

Status decide(ChangeMenuItem& cmd, Decision& d) {
  const MenuState* menu = nullptr;
  auto target = menu_to_change(d, cmd.restaurant_id, &menu);
  if (!target.ok()) return target.error();
  const MenuItem* now = menu ? menu->items.find(cmd.sku) : nullptr;
  if (!now) return Error::not_found("no such menu item");
  MenuItem item = patched(*now, cmd.patch);
  if (Status valid = validate_menu_item(item, ""); !valid.ok()) return valid;
  if (item == *now) {
    d.unchanged(*target);
    return {};
  }
  MenuItem availability_only = *now;
  availability_only.available = item.available;
  if (item == availability_only)
    d.emit(*target, MenuItemAvailabilityChanged{item.sku, item.available});
  else
    d.emit(*target, MenuItemUpserted{std::move(item)});
  return {};
}

Status decide(RemoveMenuItem& cmd, Decision& d) {
  const MenuState* menu = nullptr;
  auto target = menu_to_change(d, cmd.restaurant_id, &menu);
  if (!target.ok()) return target.error();
  if (!menu || !menu->items.find(cmd.sku)) return Error::not_found("no such menu item");
  d.emit(*target, MenuItemRemoved{std::move(cmd.sku)});
  return {};
}

}  // namespace comanda::engine
