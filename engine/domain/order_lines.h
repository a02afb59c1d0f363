// An order's lines from what its caller asked for (DESIGN.md "Menus, money
// and pricing"): a customer names skus, quantities and modifiers by name and
// the restaurant's menu prices them; the restaurant itself (an owner or
// admin at the point of sale) may set a line's price, and its sku need not
// be on the menu. Pure; safe on any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/menu.h"
#include "engine/domain/pricing.h"

namespace comanda::engine {

struct RequestedModifier {
  std::string name;              // "Extra cheese", or "No onion" for a removal
  std::optional<int64_t> price;  // if sent: must be the menu's, unless at a point of sale
  friend bool operator==(const RequestedModifier&, const RequestedModifier&) = default;
};

struct RequestedLine {
  std::string sku;
  std::string name;  // the menu's name is used for a menu item
  uint32_t quantity = 0;
  std::optional<int64_t> unit_price;  // as for a modifier's price
  std::vector<RequestedModifier> modifiers;
  std::string notes;
  friend bool operator==(const RequestedLine&, const RequestedLine&) = default;
};

// The lines `requested`, priced (line totals are price_order's). A line is
// priced by `menu` (null: the restaurant has none) unless it comes from the
// point of sale with a unit_price. From the menu: its sku must be on it and
// available, prices sent must be the menu's, and each modifier must be one
// of the item's modifiers or "No <removal>" for one of its removals (any
// case). A 422 names the field at fault ("items[0].modifiers[1].name");
// amounts in messages are formatted in `currency`.
Result<std::vector<OrderLine>> order_lines(std::vector<RequestedLine>& requested,
                                           const MenuItems* menu, bool point_of_sale,
                                           std::string_view currency);

}  // namespace comanda::engine
