#include "engine/domain/order_lines.h"

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
Result<Modifier> menu_modifier(const MenuItem& item, const RequestedModifier& in, const Place& at,
                               size_t index) {
  if (const std::string* ingredient = removal_named(item, in.name)) {
    if (in.price && *in.price != 0)
      return at.wrong_price(at.modifier_field(index, "price"), 0, *in.price);
    return Modifier{"No " + *ingredient, 0, true};
  }
  const MenuModifier* m = modifier_named(item, in.name);
  if (!m) {
    const std::string field = at.modifier_field(index, "name");
    return Error::unprocessable(
        field, field + " '" + in.name + "' is not a modifier or removal of " + item.sku);
  }
  if (in.price && *in.price != m->price)
    return at.wrong_price(at.modifier_field(index, "price"), m->price, *in.price);
  return Modifier{m->name, m->price, false};
}

Result<OrderLine> menu_line(const MenuItems* menu, RequestedLine& in, bool point_of_sale,
                            const Place& at) {
  if (in.sku.empty()) {
    const std::string field = at.field("sku");
    return Error::unprocessable(
        field, field + " is required: the menu prices " +
                   (point_of_sale ? "a line without a unit_price" : "a customer's order"));
  }
  const MenuItem* item = menu ? menu->find(in.sku) : nullptr;
  if (!item) {
    const std::string field = at.field("sku");
    return Error::unprocessable(field, field + " " + in.sku + " is not on the restaurant's menu");
  }
  if (!item->available) {
    const std::string field = at.field("sku");
    return Error::unprocessable(field,
                                field + " " + in.sku + " (" + item->name + ") is not available");
  }
  if (in.unit_price && *in.unit_price != item->price)
    return at.wrong_price(at.field("unit_price"), item->price, *in.unit_price);
  OrderLine out{std::move(in.sku),   item->name, in.quantity,       item->price, {},
                std::move(in.notes), 0,          PriceSource::kMenu};
  out.modifiers.reserve(in.modifiers.size());
  for (size_t j = 0; j < in.modifiers.size(); ++j) {
    auto m = menu_modifier(*item, in.modifiers[j], at, j);
    if (!m.ok()) return m.error();
    out.modifiers.push_back(std::move(*m));
  }
  return out;
}

// A point-of-sale line with its own price. What the menu knows of its sku
// fills in what the line leaves out (the name, a modifier's price).
Result<OrderLine> given_line(const MenuItems* menu, RequestedLine& in, const Place& at) {
  const MenuItem* item = menu && !in.sku.empty() ? menu->find(in.sku) : nullptr;
  std::string name = !in.name.empty() ? std::move(in.name) : item ? item->name : std::string();
  if (name.empty()) {
    const std::string field = at.field("name");
    return Error::unprocessable(field, field + " is required: " + in.sku + " is not on the menu");
  }
  OrderLine out{
      std::move(in.sku),  std::move(name), in.quantity, *in.unit_price, {}, std::move(in.notes), 0,
      PriceSource::kGiven};
  out.modifiers.reserve(in.modifiers.size());
  for (RequestedModifier& m : in.modifiers) {
    const MenuModifier* known = item ? modifier_named(*item, m.name) : nullptr;
    const int64_t price = m.price ? *m.price : known ? known->price : 0;
    const bool removal =
        item ? removal_named(*item, m.name) != nullptr : istarts_with(m.name, "no ") && price == 0;
    out.modifiers.push_back({std::move(m.name), price, removal});
  }
  return out;
}

}  // namespace

Result<std::vector<OrderLine>> order_lines(std::vector<RequestedLine>& requested,
                                           const MenuItems* menu, bool point_of_sale,
                                           std::string_view currency) {
  std::vector<OrderLine> lines;
  lines.reserve(requested.size());
  for (size_t i = 0; i < requested.size(); ++i) {
    RequestedLine& in = requested[i];
    const Place at{i, currency};
    auto line = point_of_sale && in.unit_price ? given_line(menu, in, at)
                                               : menu_line(menu, in, point_of_sale, at);
    if (!line.ok()) return line.error();
    lines.push_back(std::move(*line));
  }
  return lines;
}

}  // namespace comanda::engine
