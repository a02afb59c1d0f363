// Changes to a placed order: edits while it is pending or scheduled (PATCH,
// PUT), the kitchen's line fulfilment, archiving and deleting; and how each
// of their events changes the order's state.
#include <string>

#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/menu.h"
#include "engine/domain/order.h"
#include "engine/domain/order_credit.h"
#include "engine/domain/order_rules.h"

namespace comanda::engine {

// ---- state ----

namespace {

OrderState& touched(OrderState& o, const Event& e) {
  o.version = e.stream_version;
  o.last_position = e.position;
  o.updated_at_us = e.recorded_at_us;
  return o;
}

void set_lines(OrderState& o, const std::vector<OrderLine>& items) {
  o.line_quantities.clear();
  for (const OrderLine& line : items) o.line_quantities.push_back(line.quantity);
}

}  // namespace

const OrderState& OrderBook::apply(const Event& e, const OrderChanged& p) {
  OrderState& o = touched(at(e.stream), e);
  if (p.items) set_lines(o, *p.items);
  if (p.fulfillment) {
    o.fulfillment = p.fulfillment->type;
    o.delivery_location = p.fulfillment->location;
  }
  if (p.payment) {
    o.cash_tendered = p.payment->cash_tendered;
    o.credit_account = p.payment->account;
  }
  o.totals = p.totals;
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const OrderReplaced& p) {
  OrderState& o = touched(at(e.stream), e);
  set_lines(o, p.items);
  o.fulfillment = p.fulfillment.type;
  o.delivery_location = p.fulfillment.location;
  o.cash_tendered = p.payment.cash_tendered;
  o.credit_account = p.payment.account;
  o.totals = p.totals;
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const OrderLineFulfilled&) {
  return touched(at(e.stream), e);
}

const OrderState& OrderBook::apply(const Event& e, const OrderArchived&) {
  OrderState& o = touched(at(e.stream), e);
  o.archived = true;
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const OrderNotReadyChanged& p) {
  OrderState& o = touched(at(e.stream), e);
  o.not_ready = p.not_ready;
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const OrderDeleted&) {
  OrderState& o = touched(at(e.stream), e);
  o.deleted = true;
  return dispatch_indexed(e.stream, o);
}

// ---- rules that need no state ----

Status validate(ChangeOrder& cmd) {
  const OrderPatch& p = cmd.patch;
  if (p.fulfillment)
    if (Status f = validate_fulfillment(*p.fulfillment); !f.ok()) return f;
  if (p.payment)
    if (Status pay = validate_payment(*p.payment); !pay.ok()) return pay;
  return {};
}

Status validate(ReplaceOrder& cmd) { return validate(cmd.order); }

// ---- decisions ----

namespace {

// The order an edit names, if it may still be edited, at the expected version.
Result<VisibleOrder> editable_order(Decision& d, const Uuid& order_id) {
  auto found = find_visible_order(d, order_id);
  if (!found.ok()) return found.error();
  const OrderState* o = found->order;
  if (Status version = d.expect_version(o->version); !version.ok()) return version.error();
  if (o->status != OrderStatus::kPending && o->status != OrderStatus::kScheduled)
    return Error::conflict("an order that is " + std::string(status_name(o->status)) +
                           " can no longer be changed (only while pending or scheduled)");
  return found;
}

// The customer of an edit: the order's account stays (an empty id keeps it);
// the rest is the new one's.
Status keep_account(const Principal& who, const OrderState& o, Customer& customer) {
  if (customer.id.empty()) customer.id = o.customer_id;
  if (customer.id != o.customer_id)
    return Error::unprocessable("customer.id", "an order's customer account cannot change");
  return check_customer(who, customer);
}

// The lines `requested`, priced; moved from.
Result<std::vector<OrderLine>> priced_lines(Decision& d, const VisibleOrder& at,
                                            RequestedLines& requested) {
  const MenuState* menu = d.find<Menu>(menu_stream_of(at.order->restaurant_id));
  if (Status priced = price_lines(requested, menu ? &menu->items : nullptr,
                                  at_point_of_sale(d.caller()), at.restaurant->details.currency);
      !priced.ok())
    return priced.error();
  return std::move(requested.lines);
}

// The restaurant's own work on an order (lines, archive, delete): its
// owners and admins; anyone else who may see it is refused (403).
Result<VisibleOrder> restaurants_order(Decision& d, const Uuid& order_id, std::string_view what) {
  auto found = find_visible_order(d, order_id);
  if (!found.ok()) return found.error();
  if (!at_point_of_sale(d.caller()))
    return Error::forbidden("a caller with role " + std::string(role_name(d.caller().role)) +
                            " cannot " + std::string(what));
  if (Status version = d.expect_version(found->order->version); !version.ok())
    return version.error();
  return found;
}

Target target_of(const Uuid& order_id, const OrderState& o) {
  return {order_id, o.restaurant_id, o.version};
}

// The credit an edit moves: from what the order holds to what its new
// payment (`payment`, set if the edit names one) and total need. The
// paying account is written into the payment.
Result<CreditPlan> credit_for_edit(Decision& d, const VisibleOrder& at, Payment* payment,
                                   int64_t total) {
  const OrderState& o = *at.order;
  const CreditHold was{o.credit_account, o.credit_account.is_nil() ? 0 : o.totals.total};
  CreditHold now{o.credit_account, total};
  if (payment) {
    now.account = Uuid{};
    if (payment->method == "credit") {
      auto payer = paying_account(d, o.customer_id, o.restaurant_id);
      if (!payer.ok()) return payer.error();
      now.account = payment->account = *payer;
    }
  }
  if (now.account.is_nil()) now.amount = 0;
  return plan_credit(d, was, now, at.restaurant->details.currency);
}

}  // namespace

Status decide(ChangeOrder& cmd, Decision& d) {
  auto at = editable_order(d, cmd.order_id);
  if (!at.ok()) return at.error();
  const OrderState& o = *at->order;
  const Principal& who = d.caller();
  OrderPatch& p = cmd.patch;
  if (!p.customer && !p.items && !p.fulfillment && !p.payment && !p.tip && !p.discount &&
      !p.notes && !p.delivery_zone) {
    d.unchanged(target_of(cmd.order_id, o));  // an empty PATCH
    return {};
  }
  if (p.customer)
    if (Status customer = keep_account(who, o, *p.customer); !customer.ok()) return customer;
  if (p.discount)
    if (Status discount = check_discount(who, *p.discount); !discount.ok()) return discount;

  OrderChanged changed;
  const FulfillmentType type = p.fulfillment ? p.fulfillment->type : o.fulfillment;
  const PricingInput pricing{nullptr, o.tax, p.discount.value_or(o.totals.discount),
                             delivery_fee_for(at->restaurant->details, type),
                             p.tip.value_or(o.totals.tip)};
  Result<Totals> totals = Totals{};
  if (p.items) {
    auto lines = priced_lines(d, *at, *p.items);
    if (!lines.ok()) return lines.error();
    changed.items = std::move(*lines);
    PricingInput with_lines = pricing;
    with_lines.items = &*changed.items;
    totals = price_order(with_lines);
  } else {
    totals = price_totals(o.totals.subtotal, pricing);  // the lines as they are
  }
  if (!totals.ok()) return totals.error();
  changed.totals = *totals;
  const Payment paying = p.payment ? *p.payment : Payment{"", o.cash_tendered, {}};
  if (Status checked = check_totals(changed.totals, paying, at->restaurant->details.currency);
      !checked.ok())
    return checked;
  auto credit = credit_for_edit(d, *at, p.payment ? &*p.payment : nullptr, changed.totals.total);
  if (!credit.ok()) return credit.error();
  changed.customer = std::move(p.customer);
  changed.fulfillment = std::move(p.fulfillment);
  changed.payment = std::move(p.payment);
  changed.notes = std::move(p.notes);
  changed.delivery_zone = std::move(p.delivery_zone);
  d.emit(target_of(cmd.order_id, o), std::move(changed));
  emit_credit(d, *credit, cmd.order_id, at->restaurant->details.currency);
  return {};
}

Status decide(ReplaceOrder& cmd, Decision& d) {
  auto at = editable_order(d, cmd.order_id);
  if (!at.ok()) return at.error();
  const OrderState& o = *at->order;
  const Principal& who = d.caller();
  PlaceOrder& in = cmd.order;
  if (!in.restaurant_id.is_nil() && in.restaurant_id != o.restaurant_id)
    return Error::unprocessable("restaurant_id", "an order cannot move to another restaurant");
  if (Status customer = keep_account(who, o, in.customer); !customer.ok()) return customer;
  if (Status discount = check_discount(who, in.discount); !discount.ok()) return discount;
  auto lines = priced_lines(d, *at, in.items);
  if (!lines.ok()) return lines.error();

  OrderReplaced replaced;
  replaced.items = std::move(*lines);
  auto totals =
      price_order({&replaced.items, o.tax, in.discount,
                   delivery_fee_for(at->restaurant->details, in.fulfillment.type), in.tip});
  if (!totals.ok()) return totals.error();
  replaced.totals = *totals;
  if (Status checked = check_totals(replaced.totals, in.payment, at->restaurant->details.currency,
                                    in.claimed_subtotal, in.claimed_total);
      !checked.ok())
    return checked;
  auto credit = credit_for_edit(d, *at, &in.payment, replaced.totals.total);
  if (!credit.ok()) return credit.error();
  replaced.customer = std::move(in.customer);
  replaced.fulfillment = std::move(in.fulfillment);
  replaced.payment = std::move(in.payment);
  replaced.notes = std::move(in.notes);
  replaced.delivery_zone = std::move(in.delivery_zone);
  d.emit(target_of(cmd.order_id, o), std::move(replaced));
  emit_credit(d, *credit, cmd.order_id, at->restaurant->details.currency);
  return {};
}

Status decide(FulfillLine& cmd, Decision& d) {
  auto at = restaurants_order(d, cmd.order_id, "mark lines fulfilled");
  if (!at.ok()) return at.error();
  const OrderState& o = *at->order;
  // Lines are named from 1 where people see them (the route, the messages).
  if (cmd.line >= o.line_quantities.size())
    return Error::not_found("the order has no line " + std::to_string(cmd.line + 1) + " (it has " +
                            std::to_string(o.line_quantities.size()) + ")");
  if (is_terminal(o.status) || o.status == OrderStatus::kPending ||
      o.status == OrderStatus::kScheduled)
    return Error::conflict("an order that is " + std::string(status_name(o.status)) +
                           " has no lines in the making (from accepted until finished)");
  if (cmd.quantity > o.line_quantities[cmd.line])
    return Error::unprocessable("quantity", "quantity " + std::to_string(cmd.quantity) +
                                                " is more than the line's " +
                                                std::to_string(o.line_quantities[cmd.line]));
  d.emit(target_of(cmd.order_id, o), OrderLineFulfilled{cmd.line, cmd.quantity});
  return {};
}

Status decide(ArchiveOrder& cmd, Decision& d) {
  auto at = restaurants_order(d, cmd.order_id, "archive orders");
  if (!at.ok()) return at.error();
  const OrderState& o = *at->order;
  if (!is_terminal(o.status))
    return Error::conflict("an order that is " + std::string(status_name(o.status)) +
                           " is not finished: only finished orders are archived");
  if (o.archived) {
    d.unchanged(target_of(cmd.order_id, o));
    return {};
  }
  d.emit(target_of(cmd.order_id, o), OrderArchived{});
  return {};
}

namespace {

bool driver_waits_at_restaurant(OrderStatus s) {
  return s == OrderStatus::kDriverNearRestaurant || s == OrderStatus::kDriverAtRestaurant;
}

}  // namespace

Status decide(SetNotReady& cmd, Decision& d) {
  auto at = restaurants_order(d, cmd.order_id, "flag orders not ready");
  if (!at.ok()) return at.error();
  const OrderState& o = *at->order;
  if (!driver_waits_at_restaurant(o.status))
    return Error::conflict("an order that is " + std::string(status_name(o.status)) +
                           " has no driver waiting at the restaurant: the not-ready flag is "
                           "for driver_near_restaurant and driver_at_restaurant");
  if (o.not_ready == cmd.not_ready) {
    d.unchanged(target_of(cmd.order_id, o));
    return {};
  }
  d.emit(target_of(cmd.order_id, o), OrderNotReadyChanged{cmd.not_ready});
  return {};
}

Status decide(DeleteOrder& cmd, Decision& d) {
  auto at = restaurants_order(d, cmd.order_id, "delete orders");
  if (!at.ok()) return at.error();
  const OrderState& o = *at->order;
  d.emit(target_of(cmd.order_id, o), OrderDeleted{});
  // A live order's credit goes back and its driver is free, as if it were cancelled.
  if (!is_terminal(o.status) && !o.credit_account.is_nil())
    emit_credit(d, {{o.credit_account, o.totals.total}, {}}, cmd.order_id,
                at->restaurant->details.currency);
  after_delete(d, o);
  return {};
}

}  // namespace comanda::engine
