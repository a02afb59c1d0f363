#include "engine/domain/order.h"

#include <algorithm>
#include <charconv>

#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/driver.h"
#include "engine/domain/menu.h"
#include "engine/domain/money.h"
#include "engine/domain/order_credit.h"
#include "engine/domain/order_rules.h"
#include "engine/domain/restaurant.h"

namespace comanda::engine {

const OrderState& OrderBook::apply(const Event& e, const OrderPlaced& p) {
  OrderState& o = at(e.stream);
  o.restaurant_id = p.restaurant_id;
  o.version = e.stream_version;
  o.status = p.status;
  o.fulfillment = p.fulfillment.type;
  o.customer_id = p.customer.id;
  o.last_position = e.position;
  o.updated_at_us = e.recorded_at_us;
  o.totals = p.totals;
  o.tax = p.tax;
  o.cash_tendered = p.payment.cash_tendered;
  o.credit_account = p.payment.account;
  o.delivery_location = p.fulfillment.location;
  o.line_quantities.clear();
  for (const OrderLine& line : p.items) o.line_quantities.push_back(line.quantity);
  uint64_t& last = last_number_[p.restaurant_id];
  last = std::max(last, p.number);
  return o;
}

const OrderState& OrderBook::apply(const Event& e, const OrderStatusChanged& p) {
  OrderState& o = at(e.stream);
  o.version = e.stream_version;
  o.status = p.to;
  o.not_ready = false;  // the flag is for the wait it was set in
  o.last_position = e.position;
  o.updated_at_us = e.recorded_at_us;
  return dispatch_indexed(e.stream, o);
}

void OrderBook::restore(const Uuid& id, OrderState state,
                        const std::optional<GeoPoint>& waiting_pickup) {
  at(id) = std::move(state);
  if (waiting_pickup) waiting_.put(id, *waiting_pickup);
}

void OrderBook::restore_number(const Uuid& restaurant_id, uint64_t number) {
  last_number_[restaurant_id] = number;
}

void OrderBook::restore_offers(const Uuid& driver, std::span<const Uuid> orders) {
  offers_by_driver_[driver].assign(orders.begin(), orders.end());
}

uint64_t OrderBook::last_number(const Uuid& restaurant_id) const {
  auto it = last_number_.find(restaurant_id);
  return it == last_number_.end() ? 0 : it->second;
}

std::string format_reference(std::string_view series, uint64_t number) {
  char digits[20];
  const char* end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  const size_t length = static_cast<size_t>(end - digits);
  std::string out;
  out.reserve(series.size() + 1 + std::max<size_t>(length, 6));
  out.append(series).push_back('-');
  out.append(6 - std::min<size_t>(length, 6), '0').append(digits, length);
  return out;
}

Status validate_fulfillment(const Fulfillment& f) {
  if (f.type == FulfillmentType::kDelivery && f.address.empty())
    return Error::invalid("fulfillment.address", "fulfillment.address is required for delivery");
  return {};
}

Status validate_payment(const Payment& p) {
  if (std::find(std::begin(kPaymentMethods), std::end(kPaymentMethods), p.method) ==
      std::end(kPaymentMethods))
    return Error::invalid(
        "payment.method",
        "payment.method must be one of cash, card, online, wallet, transfer, voucher, credit, "
        "other");
  if (p.cash_tendered && p.method != "cash")
    return Error::unprocessable("payment.cash_tendered",
                                "cash_tendered applies to cash payments only");
  return {};
}

Status validate(PlaceOrder& cmd) {
  if (Status fulfillment = validate_fulfillment(cmd.fulfillment); !fulfillment.ok())
    return fulfillment;
  return validate_payment(cmd.payment);
}

namespace {

// A preorder more than the restaurant's lead time ahead waits `scheduled`;
// one in the past (beyond a minute's clock skew) is refused.
Result<OrderStatus> initial_status(const Fulfillment& f, const RestaurantSettings& settings,
                                   int64_t now_us) {
  if (f.scheduled_for_us == 0) return OrderStatus::kPending;
  constexpr int64_t kSkewUs = 60'000'000;
  if (f.scheduled_for_us < now_us - kSkewUs)
    return Error::unprocessable("fulfillment.scheduled_for",
                                "fulfillment.scheduled_for is in the past");
  const int64_t lead_us = int64_t{settings.preorder_lead_s} * 1'000'000;
  return f.scheduled_for_us - lead_us > now_us ? OrderStatus::kScheduled : OrderStatus::kPending;
}

// What a new order's payment by credit debits, and from whom (written into
// its payment); nothing for other payments.
Result<CreditPlan> credit_for(Decision& d, OrderPlaced& placed) {
  if (placed.payment.method != "credit") return CreditPlan{};
  auto payer = paying_account(d, placed.customer.id, placed.restaurant_id);
  if (!payer.ok()) return payer.error();
  placed.payment.account = *payer;
  return plan_credit(d, {}, {*payer, placed.totals.total}, placed.currency);
}

}  // namespace

Status decide(PlaceOrder& cmd, Decision& d) {
  const Principal& who = d.caller();
  if (who.role == Role::kDriver)
    return Error::forbidden("a caller with role driver cannot place orders");
  if (Status customer = check_customer(who, cmd.customer); !customer.ok()) return customer;
  if (Status discount = check_discount(who, cmd.discount); !discount.ok()) return discount;
  const RestaurantState* r = d.find<Restaurant>(cmd.restaurant_id);
  // An owner's point-of-sale order goes to their own restaurants only; another
  // tenant's restaurant is answered exactly as an absent one.
  if (!r || (who.role == Role::kOwner && !is_owner(who, r->details.owners)))
    return Error::not_found("restaurant_id", "no such restaurant");
  if (r->paused)
    return Error::conflict("restaurant_id", "the restaurant is paused: it takes no new orders");
  // Ids are minted fresh by the caller: only one still in memory could clash.
  if (d.book<Order>().find(cmd.order_id))
    return Error::conflict("id", "an order with this id already exists");

  const RestaurantRegistered& restaurant = r->details;
  const MenuState* menu = d.find<Menu>(menu_stream_of(cmd.restaurant_id));
  if (Status priced = price_lines(cmd.items, menu ? &menu->items : nullptr, at_point_of_sale(who),
                                  restaurant.currency);
      !priced.ok())
    return priced;

  OrderPlaced placed;
  placed.restaurant_id = cmd.restaurant_id;
  // The command is consumed here: its data moves into the event.
  placed.customer = std::move(cmd.customer);
  placed.items = std::move(cmd.items.lines);
  placed.fulfillment = std::move(cmd.fulfillment);
  placed.payment = std::move(cmd.payment);
  placed.notes = std::move(cmd.notes);
  placed.app_id = std::move(cmd.app_id);
  placed.delivery_zone = std::move(cmd.delivery_zone);
  placed.currency = restaurant.currency;
  placed.tax = restaurant.tax;
  auto totals = price_order({&placed.items, restaurant.tax, cmd.discount,
                             delivery_fee_for(restaurant, placed.fulfillment.type), cmd.tip});
  if (!totals.ok()) return totals.error();
  placed.totals = *totals;
  if (Status checked = check_totals(placed.totals, placed.payment, placed.currency,
                                    cmd.claimed_subtotal, cmd.claimed_total);
      !checked.ok())
    return checked;
  auto credit = credit_for(d, placed);
  if (!credit.ok()) return credit.error();

  placed.number = d.book<Order>().last_number(cmd.restaurant_id) + 1;
  placed.reference = format_reference(restaurant.series, placed.number);
  auto status = initial_status(placed.fulfillment, restaurant.settings, d.now_us());
  if (!status.ok()) return status.error();
  placed.status = *status;
  d.emit({cmd.order_id, cmd.restaurant_id, 0}, std::move(placed));
  emit_credit(d, *credit, cmd.order_id, restaurant.currency);  // in the order's batch
  return {};
}

Status decide(ChangeOrderStatus& cmd, Decision& d) {
  const Principal& who = d.caller();
  auto found = find_visible_order(d, cmd.order_id);
  if (!found.ok()) return found.error();
  const OrderState* o = found->order;
  // A stale version is answered as such before the transition is judged: the
  // loser of two simultaneous accepts learns it was too late, not that
  // "accepted cannot become accepted".
  if (Status version = d.expect_version(o->version); !version.ok()) return version;
  auto status = resolve_status(cmd.status, o->fulfillment);
  if (!status.ok()) return status.error();
  // For a driver: whether they are the one assigned (only an offered or
  // assigned driver sees the order); for anyone else: whether one is.
  const bool assigned = !o->driver.is_nil() &&
                        (who.role != Role::kDriver ||
                         d.book<Driver>().of_user(who.subject) == std::optional<Uuid>(o->driver));
  // A conflict lists the steps this caller could take from here (perhaps none).
  auto with_allowed = [&](Error e) {
    e.allowed.emplace();
    for (OrderStatus s : next_steps(who, o->status, o->fulfillment, assigned))
      e.allowed->emplace_back(status_name(s));
    return e;
  };
  if (Status role = may_set_status(who, o->status, *status, assigned); !role.ok())
    return role.error().code == ErrorCode::kConflict ? with_allowed(role.error()) : role.error();
  if (!applies_to(*status, o->fulfillment))
    return with_allowed(
        Error::conflict("status", std::string(status_name(*status)) + " does not apply to a " +
                                      std::string(fulfillment_name(o->fulfillment)) + " order"));
  if (!transition_allowed(o->status, *status, o->fulfillment))
    return with_allowed(
        Error::conflict("status", "an order that is " + std::string(status_name(o->status)) +
                                      " cannot become " + std::string(status_name(*status))));
  d.emit({cmd.order_id, o->restaurant_id, o->version},
         OrderStatusChanged{o->status, *status, std::move(cmd.reason), 0});
  // A cancelled or rejected order gives its credit back, in the same batch.
  if ((*status == OrderStatus::kCancelled || *status == OrderStatus::kRejected) &&
      !o->credit_account.is_nil())
    emit_credit(d, {{o->credit_account, o->totals.total}, {}}, cmd.order_id,
                found->restaurant->details.currency);
  after_status_change(d, cmd.order_id, *o, *status);  // offers, or the driver freed
  return {};
}

}  // namespace comanda::engine
