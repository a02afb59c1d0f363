// The menu aggregate: one per restaurant, on a stream of its own
// (menu_stream_of), so that editing a price and pausing the restaurant never
// race on one version. Items by sku, each with a name, a price, priced
// modifiers ("Extra cheese"), removals ("onion", ordered as "No onion") and
// availability. A customer's order is priced from it
// (engine/domain/order_lines.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"

namespace comanda::engine {

struct Event;
class Decision;

// ---- values ----

struct MenuModifier {
  std::string name;   // "Extra cheese"
  int64_t price = 0;  // minor units, per unit of the line
  friend bool operator==(const MenuModifier&, const MenuModifier&) = default;
};

struct MenuItem {
  std::string sku;  // 1 to 64 of A-Z a-z 0-9 . _ -
  std::string name;
  int64_t price = 0;  // minor units
  bool available = true;
  std::vector<MenuModifier> modifiers;
  std::vector<std::string> removals;  // "onion": ordered as "No onion"
  friend bool operator==(const MenuItem&, const MenuItem&) = default;
};

// A menu's items, sorted by sku.
class MenuItems {
 public:
  const MenuItem* find(std::string_view sku) const;
  const std::vector<MenuItem>& all() const { return items_; }
  void replace(std::vector<MenuItem> items);
  void upsert(MenuItem item);
  void remove(std::string_view sku);
  void set_available(std::string_view sku, bool available);
  friend bool operator==(const MenuItems&, const MenuItems&) = default;

 private:
  std::vector<MenuItem> items_;
};

// The stream of a restaurant's menu: the restaurant's id with the version
// nibble flipped (restaurant ids are UUIDv7, so a menu's is v8 and never
// another stream's).
Uuid menu_stream_of(const Uuid& restaurant_id);

// ---- events ----

struct MenuReplaced {
  static constexpr std::string_view kType = "menu_replaced";
  std::vector<MenuItem> items;
  friend bool operator==(const MenuReplaced&, const MenuReplaced&) = default;
};

// An item added, or changed in more than its availability: the item whole.
struct MenuItemUpserted {
  static constexpr std::string_view kType = "menu_item_upserted";
  MenuItem item;
  friend bool operator==(const MenuItemUpserted&, const MenuItemUpserted&) = default;
};

struct MenuItemAvailabilityChanged {
  static constexpr std::string_view kType = "menu_item_availability_changed";
  std::string sku;
  bool available = true;
  friend bool operator==(const MenuItemAvailabilityChanged&,
                         const MenuItemAvailabilityChanged&) = default;
};

struct MenuItemRemoved {
  static constexpr std::string_view kType = "menu_item_removed";
  std::string sku;
  friend bool operator==(const MenuItemRemoved&, const MenuItemRemoved&) = default;
};

// Each event's change to the items; the read model applies them too.
void apply_to(MenuItems& items, const MenuReplaced& event);
void apply_to(MenuItems& items, const MenuItemUpserted& event);
void apply_to(MenuItems& items, const MenuItemAvailabilityChanged& event);
void apply_to(MenuItems& items, const MenuItemRemoved& event);

// ---- commands ----

struct ReplaceMenu {  // PUT /v1/restaurants/{id}/menu
  Uuid restaurant_id;
  std::vector<MenuItem> items;
};

struct PutMenuItem {  // PUT .../menu/items/{sku}: adds the item or replaces it
  Uuid restaurant_id;
  MenuItem item;
};

struct MenuItemPatch {
  std::optional<std::string> name;
  std::optional<int64_t> price;
  std::optional<bool> available;
  std::optional<std::vector<MenuModifier>> modifiers;  // the whole list
  std::optional<std::vector<std::string>> removals;    // the whole list
};

struct ChangeMenuItem {  // PATCH .../menu/items/{sku}
  Uuid restaurant_id;
  std::string sku;
  MenuItemPatch patch;
};

struct RemoveMenuItem {  // DELETE .../menu/items/{sku}
  Uuid restaurant_id;
  std::string sku;
};

// ---- state ----

struct MenuState {
  uint64_t version = 0;
  MenuItems items;
};

class MenuBook : public Book<MenuState> {
 public:
  const MenuState& apply(const Event& event, const MenuReplaced& replaced);
  const MenuState& apply(const Event& event, const MenuItemUpserted& upserted);
  const MenuState& apply(const Event& event, const MenuItemAvailabilityChanged& changed);
  const MenuState& apply(const Event& event, const MenuItemRemoved& removed);
};

struct Menu {
  using State = MenuState;
  using Book = MenuBook;
  using Commands = TypeList<ReplaceMenu, PutMenuItem, ChangeMenuItem, RemoveMenuItem>;
  using Events =
      TypeList<MenuReplaced, MenuItemUpserted, MenuItemAvailabilityChanged, MenuItemRemoved>;
};

// The most items a menu holds.
inline constexpr size_t kMaxMenuItems = 2000;

// An item's own rules, its fields named `prefix` + field: a sku of 1 to 64
// of A-Z a-z 0-9 . _ -; a name of 1 to 200 bytes; a price of 0 to 10^12;
// up to 50 modifiers and 50 removals, unique by name in any case; no
// modifier named as a removal is ordered ("No onion").
Status validate_menu_item(const MenuItem& item, const std::string& prefix);
// A sku named in a path.
Status validate_sku(std::string_view sku, const std::string& field);

// Every item valid, skus unique, at most kMaxMenuItems.
Status validate(ReplaceMenu& command);
Status validate(PutMenuItem& command);
Status validate(ChangeMenuItem& command);
Status validate(RemoveMenuItem& command);

// Admins and the restaurant's owners (another owner: 404 as for an absent
// restaurant; customers and drivers: 403), at the menu's expected version
// (0 before its first change). What changes nothing appends nothing.
Status decide(ReplaceMenu& command, Decision& decision);
Status decide(PutMenuItem& command, Decision& decision);
// An item not on the menu: 404. Availability alone is recorded as such.
Status decide(ChangeMenuItem& command, Decision& decision);
Status decide(RemoveMenuItem& command, Decision& decision);

}  // namespace comanda::engine
