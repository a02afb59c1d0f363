// An order's lines from what its caller asked for (DESIGN.md "Menus, money
// and pricing"): a customer names skus, quantities and modifiers by name and
// the restaurant's menu prices them; the restaurant itself (an owner or
// admin at the point of sale) may set a line's price, and its sku need not
// be on the menu. The lines are priced where they are, so that the order
// takes them without a copy. Pure; safe on any thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/menu.h"
#include "engine/domain/pricing.h"

namespace comanda::engine {

// Which of a line's prices its caller sent (a price not sent is 0).
struct SentPrices {
  bool unit_price = false;
  uint64_t modifiers = 0;  // bit j: modifiers[j].price (a line has at most 64)
  friend bool operator==(const SentPrices&, const SentPrices&) = default;
};

// The lines as sent, and which of their prices were.
struct RequestedLines {
  std::vector<OrderLine> lines;
  std::vector<SentPrices> sent;  // one per line

  void add(OrderLine line, SentPrices sent_prices) {
    lines.push_back(std::move(line));
    sent.push_back(sent_prices);
  }
  size_t size() const { return lines.size(); }
  friend bool operator==(const RequestedLines&, const RequestedLines&) = default;
};

// Prices `requested` in place (line totals are price_order's). A line is
// priced by `menu` (null: the restaurant has none) unless it comes from the
// point of sale with a unit_price. From the menu: its sku must be on it and
// available, prices sent must be the menu's, and each modifier must be one
// of the item's modifiers or "No <removal>" for one of its removals (any
// case); the line takes the menu's name and spellings. At the point of sale,
// the menu fills in what a line leaves out (its name, a modifier's price).
// A 422 names the field at fault ("items[0].modifiers[1].name"); amounts in
// messages are formatted in `currency`.
Status price_lines(RequestedLines& requested, const MenuItems* menu, bool point_of_sale,
                   std::string_view currency);

}  // namespace comanda::engine
