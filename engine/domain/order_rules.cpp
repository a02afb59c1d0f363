#include "engine/domain/order_rules.h"

#include <algorithm>
#include <string>

#include "engine/domain/access.h"
#include "engine/domain/driver.h"
#include "engine/domain/money.h"

namespace comanda::engine {

Result<VisibleOrder> find_visible_order(Decision& d, const Uuid& order_id) {
  const OrderState* o = d.find<Order>(order_id);
  const RestaurantState* r = o ? d.find<Restaurant>(o->restaurant_id) : nullptr;
  if (!r || o->deleted) return Error::not_found("no such order");
  const Principal& who = d.caller();
  bool visible = may_view_order(who, r->details.owners, o->customer_id);
  if (who.role == Role::kDriver) {  // the orders offered or assigned to them
    const auto me = d.book<Driver>().of_user(who.subject);
    visible = me && (o->driver == *me ||
                     std::find(o->offered.begin(), o->offered.end(), *me) != o->offered.end());
  }
  if (!visible) return Error::not_found("no such order");
  return VisibleOrder{o, r};
}

bool at_point_of_sale(const Principal& who) {
  return who.role == Role::kAdmin || who.role == Role::kOwner;
}

Status check_customer(const Principal& who, Customer& customer) {
  if (who.role == Role::kCustomer) {
    if (customer.id.empty()) customer.id = who.subject;
    if (customer.id != who.subject)
      return Error::forbidden("customer.id",
                              "a customer may place orders only for themself (customer.id must "
                              "be the token's subject)");
    return {};
  }
  if (customer.id.empty() && customer.name.empty())
    return Error::unprocessable("customer.name",
                                "customer.name is required for a guest (an order without "
                                "customer.id)");
  return {};
}

Status check_discount(const Principal& who, int64_t discount) {
  if (discount != 0 && !at_point_of_sale(who))
    return Error::forbidden("discount", "only the restaurant gives discounts");
  return {};
}

int64_t delivery_fee_for(const RestaurantRegistered& restaurant, FulfillmentType type) {
  return type == FulfillmentType::kDelivery ? restaurant.settings.delivery_fee : 0;
}

Status check_totals(const Totals& totals, const Payment& payment, std::string_view currency,
                    std::optional<int64_t> claimed_subtotal, std::optional<int64_t> claimed_total) {
  auto show = [&](int64_t amount) {  // only for a refusal
    const auto info = find_currency(currency);
    return std::to_string(amount) + (info ? " (" + format_money(amount, *info) + ")" : "");
  };
  if (claimed_subtotal && *claimed_subtotal != totals.subtotal)
    return Error::unprocessable("subtotal", "the subtotal is " + show(totals.subtotal) + ", not " +
                                                std::to_string(*claimed_subtotal));
  if (claimed_total && *claimed_total != totals.total)
    return Error::unprocessable(
        "total", "the total is " + show(totals.total) + ", not " + std::to_string(*claimed_total));
  if (payment.cash_tendered && *payment.cash_tendered < totals.total)
    return Error::unprocessable("payment.cash_tendered",
                                "cash tendered does not cover the total of " + show(totals.total));
  return {};
}

}  // namespace comanda::engine
