// Orders paid with credit (DESIGN.md "Menus, money and pricing"): the
// customer's account at the order's restaurant pays (its parent's, when it
// has one), debited in the order's own batch, refunded when the order is
// cancelled, rejected or deleted, and settled when an edit changes the
// total or the payment. Balances never go below zero. Pure; the
// sequencer's, for the length of one decide().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/base/ids.h"

namespace comanda::engine {

class Decision;

// The account that pays for `customer_id`'s order at `restaurant_id`: their
// account there, or its parent. A 422 on payment.method when there is none.
Result<Uuid> paying_account(Decision& decision, const std::string& customer_id,
                            const Uuid& restaurant_id);

// What an order's credit moves: from what it held (`account` nil: nothing)
// to what it now needs.
struct CreditHold {
  Uuid account;
  int64_t amount = 0;
};

struct CreditPlan {
  CreditHold refund;  // given back first
  CreditHold debit;   // then taken
};

// The moves from `was` to `now`, checked: a debit the paying account's
// balance does not cover is a 422 on payment.method (nothing is emitted).
Result<CreditPlan> plan_credit(Decision& decision, const CreditHold& was, const CreditHold& now,
                               std::string_view currency);

// Emits the plan's credit_refunded and credit_debited on the accounts'
// streams, naming `order_id`.
void emit_credit(Decision& decision, const CreditPlan& plan, const Uuid& order_id,
                 std::string_view currency);

}  // namespace comanda::engine
