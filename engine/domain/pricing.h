// Order pricing: line totals, subtotal, tax (included or added) and total, as
// DESIGN.md "Menus, money and pricing" says. Pure; safe on any thread.
#pragma once

#include <vector>

#include "engine/base/error.h"
#include "engine/domain/events.h"

namespace comanda::engine {

struct PricingInput {
  std::vector<OrderLine>* items;  // line_total is filled in
  TaxPolicy tax;
  int64_t discount = 0;
  int64_t delivery_fee = 0;
  int64_t tip = 0;
};

// Tax applies to items after discount and to the delivery fee, not to the
// tip; computed once per order, rounded half away from zero. Included:
// base = round(taxable / (1 + rate)), tax = taxable - base. Added:
// tax = round(taxable * rate). Error (kUnprocessable) on any overflow.
Result<Totals> price_order(const PricingInput& input);

}  // namespace comanda::engine
