#include "engine/domain/pricing.h"

#include "engine/domain/money.h"

namespace comanda::engine {
namespace {

Error overflow(std::string field) {
  return Error::unprocessable(std::move(field), "amount is too large");
}

}  // namespace

Result<Totals> price_order(const PricingInput& input) {
  int64_t subtotal = 0;
  for (size_t i = 0; i < input.items->size(); ++i) {
    OrderLine& line = (*input.items)[i];
    int64_t unit = line.unit_price;
    bool fits = true;
    for (const Modifier& m : line.modifiers) fits = fits && checked_add(unit, m.price, unit);
    if (!fits) return overflow("items[" + std::to_string(i) + "].modifiers");
    if (!checked_mul(unit, line.quantity, line.line_total))
      return overflow("items[" + std::to_string(i) + "].quantity");
    if (!checked_add(subtotal, line.line_total, subtotal)) return overflow("items");
  }
  return price_totals(subtotal, input);
}

Result<Totals> price_totals(int64_t subtotal, const PricingInput& input) {
  Totals t;
  t.subtotal = subtotal;
  t.discount = input.discount;
  t.delivery_fee = input.delivery_fee;
  t.tip = input.tip;
  if (t.discount > t.subtotal)
    return Error::unprocessable("discount", "the discount (" + std::to_string(t.discount) +
                                                ") exceeds the subtotal (" +
                                                std::to_string(t.subtotal) + ")");

  int64_t taxable = 0;
  if (!checked_sub(t.subtotal, t.discount, taxable) ||
      !checked_add(taxable, t.delivery_fee, taxable))
    return overflow("items");
  const __int128 rate = input.tax.rate_bp;
  if (input.tax.included) {
    t.taxable_base = divide_round_half_away(static_cast<__int128>(taxable) * 10000, 10000 + rate);
    t.tax = taxable - t.taxable_base;
    t.total = taxable;
  } else {
    t.taxable_base = taxable;
    t.tax = divide_round_half_away(static_cast<__int128>(taxable) * rate, 10000);
    if (!checked_add(taxable, t.tax, t.total)) return overflow("items");
  }
  if (!checked_add(t.total, t.tip, t.total)) return overflow("tip");
  return t;
}

}  // namespace comanda::engine
