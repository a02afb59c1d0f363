#include "engine/aggregates.h"

#include <algorithm>
#include <cstdio>

#include "engine/money.h"
#include "engine/pricing.h"

namespace comanda::engine {
namespace {

std::string format_reference(const std::string& series, uint64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06llu", static_cast<unsigned long long>(number));
  return series + "-" + digits;
}

Error not_found(std::string what, std::string field = "") {
  return Error{ErrorCode::kNotFound, std::move(what), std::move(field), {}};
}

}  // namespace

const RestaurantState* Aggregates::restaurant(const Uuid& id) const {
  auto it = restaurants_.find(id);
  return it == restaurants_.end() ? nullptr : &it->second;
}

const OrderState* Aggregates::order(const Uuid& id) const {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

uint64_t Aggregates::stream_version(const Uuid& stream) const {
  if (auto* o = order(stream)) return o->version;
  if (auto* r = restaurant(stream)) return r->version;
  return 0;
}

CommandOutcome Aggregates::decide(const Command& command, BatchContext& ctx, std::vector<Event>& out) {
  Uuid stream, partition;
  Result<EventPayload> payload = std::visit(
      [&](const auto& body) -> Result<EventPayload> {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, RegisterRestaurant>) return decide_register(body, stream, partition);
        if constexpr (std::is_same_v<T, PlaceOrder>) return decide_place(body, stream, partition);
        if constexpr (std::is_same_v<T, ChangeOrderStatus>)
          return decide_status(body, command.expected_version, stream, partition);
      },
      command.body);
  if (!payload.ok()) return std::move(payload).error();

  const uint64_t current = stream_version(stream);
  Event& e = out.emplace_back();
  e.position = ctx.next_position++;
  e.stream = stream;
  e.stream_version = current + 1;
  e.partition = partition;
  e.recorded_at_us = ctx.recorded_at_us;
  e.actor = command.principal;
  e.correlation_id = command.correlation_id;
  e.payload = std::move(payload).value();
  apply(e);
  return CommandResult{e.stream, e.stream_version, e.position};
}

Result<EventPayload> Aggregates::decide_register(const RegisterRestaurant& cmd, Uuid& stream,
                                                 Uuid& partition) {
  if (restaurant(cmd.restaurant_id))
    return Error{ErrorCode::kConflict, "a restaurant with this id already exists", "id", {}};
  stream = partition = cmd.restaurant_id;
  return EventPayload{cmd.details};
}

Result<EventPayload> Aggregates::decide_place(const PlaceOrder& cmd, Uuid& stream, Uuid& partition) {
  const RestaurantState* r = restaurant(cmd.restaurant_id);
  if (!r) return not_found("no such restaurant", "restaurant_id");
  if (order(cmd.order_id))
    return Error{ErrorCode::kConflict, "an order with this id already exists", "id", {}};

  OrderPlaced placed;
  placed.restaurant_id = cmd.restaurant_id;
  placed.customer = cmd.customer;
  placed.items = cmd.items;
  placed.fulfillment = cmd.fulfillment;
  placed.payment = cmd.payment;
  placed.notes = cmd.notes;
  placed.currency = r->currency;
  placed.tax = r->tax;

  auto totals = price_order({&placed.items, r->tax, 0, 0, cmd.tip});
  if (!totals.ok()) return std::move(totals).error();
  placed.totals = *totals;

  const auto currency = find_currency(r->currency);
  auto show = [&](int64_t amount) {
    return currency ? format_money(amount, *currency) : std::to_string(amount);
  };
  if (cmd.claimed_subtotal && *cmd.claimed_subtotal != totals->subtotal)
    return Error::unprocessable("subtotal", "the subtotal is " + std::to_string(totals->subtotal) +
                                                " (" + show(totals->subtotal) + "), not " +
                                                std::to_string(*cmd.claimed_subtotal));
  if (cmd.claimed_total && *cmd.claimed_total != totals->total)
    return Error::unprocessable("total", "the total is " + std::to_string(totals->total) + " (" +
                                             show(totals->total) + "), not " +
                                             std::to_string(*cmd.claimed_total));
  if (cmd.payment.cash_tendered && *cmd.payment.cash_tendered < totals->total)
    return Error::unprocessable("payment.cash_tendered",
                                "cash tendered does not cover the total of " +
                                    std::to_string(totals->total) + " (" + show(totals->total) + ")");

  placed.number = r->last_order_number + 1;
  placed.reference = format_reference(r->series, placed.number);
  placed.status = OrderStatus::kPending;
  stream = cmd.order_id;
  partition = cmd.restaurant_id;
  return EventPayload{std::move(placed)};
}

Result<EventPayload> Aggregates::decide_status(const ChangeOrderStatus& cmd,
                                               std::optional<uint64_t> expected_version, Uuid& stream,
                                               Uuid& partition) {
  const OrderState* o = order(cmd.order_id);
  if (!o) return not_found("no such order");
  // A stale version is answered as such before the transition is judged: the
  // loser of two simultaneous accepts learns it was too late, not that
  // "accepted cannot become accepted".
  if (expected_version && *expected_version != o->version)
    return Error{ErrorCode::kVersionMismatch,
                 "expected version " + std::to_string(*expected_version) + ", the current version is " +
                     std::to_string(o->version),
                 "If-Match", {}};
  auto target = resolve_status(cmd.status, o->fulfillment);
  if (!target.ok()) return std::move(target).error();
  if (!transition_allowed(o->status, *target, o->fulfillment)) {
    Error e{ErrorCode::kConflict,
            "an order that is " + std::string(status_name(o->status)) + " cannot become " +
                std::string(status_name(*target)),
            "status", {}};
    for (OrderStatus s : allowed_targets(o->status, o->fulfillment)) e.allowed.emplace_back(status_name(s));
    return e;
  }
  stream = cmd.order_id;
  partition = o->restaurant_id;
  return EventPayload{OrderStatusChanged{o->status, *target, cmd.reason}};
}

void Aggregates::apply(const Event& event) {
  last_recorded_at_us_ = std::max(last_recorded_at_us_, event.recorded_at_us);
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, RestaurantRegistered>) {
          RestaurantState& r = restaurants_[event.stream];
          r.version = event.stream_version;
          r.owners = p.owners;
          r.currency = p.currency;
          r.tax = p.tax;
          r.series = p.series;
        } else if constexpr (std::is_same_v<T, OrderPlaced>) {
          OrderState& o = orders_[event.stream];
          o.restaurant_id = p.restaurant_id;
          o.version = event.stream_version;
          o.status = p.status;
          o.fulfillment = p.fulfillment.type;
          o.customer_id = p.customer.id;
          RestaurantState& r = restaurants_[p.restaurant_id];
          r.last_order_number = std::max(r.last_order_number, p.number);
        } else if constexpr (std::is_same_v<T, OrderStatusChanged>) {
          OrderState& o = orders_[event.stream];
          o.version = event.stream_version;
          o.status = p.to;
        }
      },
      event.payload);
}

Status Aggregates::load(const EventLog& log) {
  restaurants_.clear();
  orders_.clear();
  last_recorded_at_us_ = 0;
  return log.scan(1, log.last_position(), [&](const Event& e) {
    apply(e);
    return true;
  });
}

}  // namespace comanda::engine
