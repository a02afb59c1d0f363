// The rules an order follows when placed and at every edit: who it is for,
// who may give a discount, and what it costs. Shared by engine/domain/order.cpp
// and order_edits.cpp. Pure; safe on any thread.
#pragma once

#include <optional>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/decision.h"
#include "engine/domain/order.h"
#include "engine/domain/principal.h"
#include "engine/domain/restaurant.h"

namespace comanda::engine {

class Decision;

// An order and its restaurant, as the caller may see them: absent, deleted,
// another tenant's or not the customer's own is "no such order" (404).
struct VisibleOrder {
  const OrderState* order = nullptr;
  const RestaurantState* restaurant = nullptr;
};
Result<VisibleOrder> find_visible_order(Decision& decision, const Uuid& order_id);

// Whether `who` takes orders for the restaurant (an owner or an admin: the
// point of sale), who may set prices, give discounts and serve guests.
bool at_point_of_sale(const Principal& who);

// A customer orders for themself (an empty customer.id becomes theirs;
// another is a 403); the point of sale may take an order for a guest (no
// customer.id), who then needs a name.
Status check_customer(const Principal& who, Customer& customer);

// Only the point of sale gives discounts (a customer's: 403 on `discount`).
Status check_discount(const Principal& who, int64_t discount);

// What the restaurant charges for delivering an order of this type.
int64_t delivery_fee_for(const RestaurantRegistered& restaurant, FulfillmentType type);

// The totals against what the client claimed and the cash it tendered
// (a 422 naming subtotal, total or payment.cash_tendered, with the computed
// figure in `currency`).
Status check_totals(const Totals& totals, const Payment& payment, std::string_view currency,
                    std::optional<int64_t> claimed_subtotal = std::nullopt,
                    std::optional<int64_t> claimed_total = std::nullopt);

}  // namespace comanda::engine
