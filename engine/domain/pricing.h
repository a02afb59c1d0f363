// Order pricing: line totals, subtotal, tax (included or added) and total, as
// DESIGN.md "Menus, money and pricing" says. Pure; safe on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/base/error.h"

namespace comanda::engine {

struct TaxPolicy {
  uint32_t rate_bp = 0;  // basis points: 1800 = 18 %
  bool included = false;
  friend bool operator==(const TaxPolicy&, const TaxPolicy&) = default;
};

struct Modifier {
  std::string name;
  int64_t price = 0;     // minor units per unit of the line
  bool removal = false;  // "No onion": the item without an ingredient
  friend bool operator==(const Modifier&, const Modifier&) = default;
};

// Where a line's prices come from.
enum class PriceSource : uint8_t {
  kGiven,  // the caller's: a point-of-sale order (and every order before menus)
  kMenu,   // the restaurant's menu
};

struct OrderLine {
  std::string sku;
  std::string name;
  uint32_t quantity = 0;
  int64_t unit_price = 0;
  std::vector<Modifier> modifiers;
  std::string notes;
  int64_t line_total = 0;
  PriceSource price_source = PriceSource::kGiven;
  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

struct Totals {
  int64_t subtotal = 0;
  int64_t discount = 0;
  int64_t delivery_fee = 0;
  int64_t taxable_base = 0;
  int64_t tax = 0;
  int64_t tip = 0;
  int64_t total = 0;
  friend bool operator==(const Totals&, const Totals&) = default;
};

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
// tax = round(taxable * rate). Error (kUnprocessable) on any overflow, or a
// discount beyond the subtotal.
Result<Totals> price_order(const PricingInput& input);

// The same from a subtotal already known (the lines an edit leaves alone).
Result<Totals> price_totals(int64_t subtotal, const PricingInput& input);

}  // namespace comanda::engine
