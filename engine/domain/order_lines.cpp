#include "engine/domain/order_lines.h"

#include <string>

#include "engine/base/text.h"
#include "engine/domain/money.h"

namespace comanda::engine {
namespace {

// Where a refusal points. Paths are spelt out only for a refusal: pricing an
// accepted order on the sequencer allocates no text.
struct Place {
  size_t line = 0;
  std::string_view currency;

  std::string field(std::string_view name) const {
    return "items[" + std::to_string(line) + "]." + std::string(name);
  }
  std::string modifier_field(size_t modifier, std::string_view name) const {
    return field("modifiers[" + std::to_string(modifier) + "]." + std::string(name));
  }
  // An amount as messages show it: "1550 (S/ 15.50)".
  std::string show(int64_t amount) const {
    std::string out = std::to_string(amount);
    if (auto info = find_currency(currency)) out += " (" + format_money(amount, *info) + ")";
    return out;
  }
  Error wrong_price(std::string field, int64_t menu_price, int64_t sent) const {
    return Error::unprocessable(
        field, field + " is " + show(menu_price) + " on the menu, not " + std::to_string(sent));
  }
};

bool sent(uint64_t mask, size_t j) { return j < 64 && (mask >> j & 1) != 0; }

// The ingredient of the removal "No <ingredient>" names, if `item` lists it.
const std::string* removal_named(const MenuItem& item, std::string_view name) {
  if (!istarts_with(name, "no ")) return nullptr;
  std::string_view ingredient = name.substr(3);
  while (ingredient.starts_with(' ')) ingredient.remove_prefix(1);
  for (const std::string& r : item.removals)
    if (iequals(r, ingredient)) return &r;
  return nullptr;
}

const MenuModifier* modifier_named(const MenuItem& item, std::string_view name) {
  for (const MenuModifier& m : item.modifiers)
    if (iequals(m.name, name)) return &m;
  return nullptr;
}

// One modifier of a line the menu prices: the menu's spelling and price.
Status menu_modifier(const MenuItem& item, Modifier& m, bool price_sent, const Place& at,
                     size_t index) {
  if (const std::string* ingredient = removal_named(item, m.name)) {
    if (price_sent && m.price != 0)
      return at.wrong_price(at.modifier_field(index, "price"), 0, m.price);
    m.name.assign("No ").append(*ingredient);  // the menu's spelling
    m.price = 0;
    m.removal = true;
    return {};
  }
  const MenuModifier* known = modifier_named(item, m.name);
  if (!known) {
    const std::string field = at.modifier_field(index, "name");
    return Error::unprocessable(
        field, field + " '" + m.name + "' is not a modifier or removal of " + item.sku);
  }
  if (price_sent && m.price != known->price)
    return at.wrong_price(at.modifier_field(index, "price"), known->price, m.price);
  m.name = known->name;
  m.price = known->price;
  m.removal = false;
  return {};
}

Status menu_line(const MenuItems* menu, OrderLine& line, const SentPrices& sent_prices,
                 bool point_of_sale, const Place& at) {
  if (line.sku.empty()) {
    const std::string field = at.field("sku");
    return Error::unprocessable(
        field, field + " is required: the menu prices " +
                   (point_of_sale ? "a line without a unit_price" : "a customer's order"));
  }
  const MenuItem* item = menu ? menu->find(line.sku) : nullptr;
  if (!item) {
    const std::string field = at.field("sku");
    return Error::unprocessable(field, field + " " + line.sku + " is not on the restaurant's menu");
  }
  if (!item->available) {
    const std::string field = at.field("sku");
    return Error::unprocessable(field,
                                field + " " + line.sku + " (" + item->name + ") is not available");
  }
  if (sent_prices.unit_price && line.unit_price != item->price)
    return at.wrong_price(at.field("unit_price"), item->price, line.unit_price);
  line.name = item->name;
  line.unit_price = item->price;
  line.price_source = PriceSource::kMenu;
  for (size_t j = 0; j < line.modifiers.size(); ++j)
    if (Status m = menu_modifier(*item, line.modifiers[j], sent(sent_prices.modifiers, j), at, j);
        !m.ok())
      return m;
  return {};
}

// A point-of-sale line with its own price.
Status given_line(const MenuItems* menu, OrderLine& line, const SentPrices& sent_prices,
                  const Place& at) {
  const MenuItem* item = menu && !line.sku.empty() ? menu->find(line.sku) : nullptr;
  if (line.name.empty() && item) line.name = item->name;
  if (line.name.empty()) {
    const std::string field = at.field("name");
    return Error::unprocessable(field, field + " is required: " + line.sku + " is not on the menu");
  }
  line.price_source = PriceSource::kGiven;
  for (size_t j = 0; j < line.modifiers.size(); ++j) {
    Modifier& m = line.modifiers[j];
    const bool price_sent = sent(sent_prices.modifiers, j);
    if (!price_sent && item)
      if (const MenuModifier* known = modifier_named(*item, m.name)) m.price = known->price;
    m.removal = item ? removal_named(*item, m.name) != nullptr
                     : istarts_with(m.name, "no ") && m.price == 0;
  }
  return {};
}

}  // namespace

Status price_lines(RequestedLines& requested, const MenuItems* menu, bool point_of_sale,
                   std::string_view currency) {
  for (size_t i = 0; i < requested.lines.size(); ++i) {
    OrderLine& line = requested.lines[i];
    const SentPrices sent_prices = i < requested.sent.size() ? requested.sent[i] : SentPrices{};
    const Place at{i, currency};
    Status priced = point_of_sale && sent_prices.unit_price
                        ? given_line(menu, line, sent_prices, at)
                        : menu_line(menu, line, sent_prices, point_of_sale, at);
    if (!priced.ok()) return priced;
  }
  return {};
}

}  // namespace comanda::engine
