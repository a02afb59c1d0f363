#include "engine/pipeline/aggregates.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <deque>

#include "engine/domain/access.h"
#include "engine/domain/money.h"
#include "engine/domain/pricing.h"

namespace comanda::engine {
namespace {

// "A001-000123": the series, then the number in at least six digits.
std::string format_reference(const std::string& series, uint64_t number) {
  char digits[20];
  const char* end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  const size_t length = static_cast<size_t>(end - digits);
  std::string out;
  out.reserve(series.size() + 1 + std::max<size_t>(length, 6));
  out.append(series).push_back('-');
  out.append(6 - std::min<size_t>(length, 6), '0').append(digits, length);
  return out;
}

Error not_found(std::string what, std::string field = "") {
  return Error{ErrorCode::kNotFound, std::move(what), std::move(field), {}};
}

Error forbidden(std::string what) { return Error{ErrorCode::kForbidden, std::move(what), "", {}}; }

}  // namespace

const RestaurantState* Aggregates::restaurant(const Uuid& id) const {
  auto it = restaurants_.find(id);
  return it == restaurants_.end() ? nullptr : &it->second;
}

const OrderState* Aggregates::order(const Uuid& id) const {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

const DriverState* Aggregates::driver(const Uuid& id) const {
  auto it = drivers_.find(id);
  return it == drivers_.end() ? nullptr : &it->second;
}

void Aggregates::remember(IdempotencyRecord record) {
  idempotency_by_age_.emplace_back(record.recorded_at_us, record.scope);
  std::string scope = record.scope;
  idempotency_[std::move(scope)] = std::move(record);
}

void Aggregates::forget_expired(int64_t now_us) {
  const int64_t cutoff = now_us - options_.idempotency_window_us;
  while (!idempotency_by_age_.empty() && idempotency_by_age_.front().first < cutoff) {
    auto it = idempotency_.find(idempotency_by_age_.front().second);
    if (it != idempotency_.end() && it->second.recorded_at_us < cutoff) idempotency_.erase(it);
    idempotency_by_age_.pop_front();
  }
}

CommandOutcome Aggregates::decide(Command& command, BatchContext& ctx, std::vector<Event>& out) {
  if (!command.idempotency_scope.empty()) {
    forget_expired(ctx.recorded_at_us);
    auto seen = idempotency_.find(command.idempotency_scope);
    if (seen != idempotency_.end()) {
      if (seen->second.request_hash != command.request_hash)
        return Error{ErrorCode::kConflict,
                     "this Idempotency-Key was already used for a different request",
                     "Idempotency-Key",
                     {}};
      const IdempotencyRecord& first = seen->second;
      return CommandResult{first.stream, first.stream_version, first.position, true};
    }
  }
  Target target;
  Result<EventPayload> payload = std::visit(
      [&](auto& body) -> Result<EventPayload> {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, RegisterRestaurant>)
          return decide_register(command, body, target);
        if constexpr (std::is_same_v<T, PlaceOrder>) return decide_place(command, body, target);
        if constexpr (std::is_same_v<T, ChangeOrderStatus>)
          return decide_status(command, body, target);
        if constexpr (std::is_same_v<T, RegisterDriver>)
          return decide_register_driver(command, body, target);
        if constexpr (std::is_same_v<T, ReportLocation>)
          return decide_location(command, body, target);
      },
      command.body);
  if (!payload.ok()) return std::move(payload).error();

  Event& e = out.emplace_back();
  e.position = ctx.next_position++;
  e.stream = target.stream;
  e.stream_version = target.version + 1;
  e.partition = target.partition;
  e.recorded_at_us = ctx.recorded_at_us;
  e.actor = command.principal;
  e.correlation_id = command.correlation_id;
  e.payload = std::move(payload).value();
  apply(e);
  const CommandResult result{e.stream, e.stream_version, e.position, false};
  if (!command.idempotency_scope.empty()) {
    IdempotencyRecord record{command.idempotency_scope, command.request_hash, result.stream,
                             result.stream_version,     result.position,      ctx.recorded_at_us};
    if (ctx.idempotency_out) ctx.idempotency_out->push_back(record);
    remember(std::move(record));
  }
  return result;
}

Result<EventPayload> Aggregates::decide_register(const Command& command, RegisterRestaurant& cmd,
                                                 Target& target) {
  const Principal& who = command.principal;
  if (who.role != Role::kAdmin && who.role != Role::kOwner)
    return forbidden("a caller with role " + std::string(role_name(who.role)) +
                     " cannot register restaurants");
  if (restaurant(cmd.restaurant_id))
    return Error{ErrorCode::kConflict, "a restaurant with this id already exists", "id", {}};
  RestaurantRegistered details = std::move(cmd.details);
  // An owner registers a restaurant they own: otherwise they could never see it.
  if (who.role == Role::kOwner && !is_owner(who, details.owners))
    details.owners.push_back(who.subject);
  target.stream = target.partition = cmd.restaurant_id;
  return EventPayload{std::move(details)};
}

Result<EventPayload> Aggregates::decide_place(const Command& command, PlaceOrder& cmd,
                                              Target& target) {
  const Principal& who = command.principal;
  if (who.role == Role::kDriver) return forbidden("a caller with role driver cannot place orders");
  if (who.role == Role::kCustomer && cmd.customer.id != who.subject)
    return Error{ErrorCode::kForbidden,
                 "a customer may place orders only for themself (customer.id must be the "
                 "token's subject)",
                 "customer.id",
                 {}};
  const RestaurantState* r = restaurant(cmd.restaurant_id);
  // An owner's point-of-sale order goes to their own restaurants only; another
  // tenant's restaurant is answered exactly as an absent one.
  if (!r || (who.role == Role::kOwner && !is_owner(who, r->owners)))
    return not_found("no such restaurant", "restaurant_id");
  if (order(cmd.order_id))
    return Error{ErrorCode::kConflict, "an order with this id already exists", "id", {}};

  OrderPlaced placed;
  placed.restaurant_id = cmd.restaurant_id;
  // The command is consumed here: its data moves into the event.
  placed.customer = std::move(cmd.customer);
  placed.items = std::move(cmd.items);
  placed.fulfillment = std::move(cmd.fulfillment);
  placed.payment = std::move(cmd.payment);
  placed.notes = std::move(cmd.notes);
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
  if (placed.payment.cash_tendered && *placed.payment.cash_tendered < totals->total)
    return Error::unprocessable("payment.cash_tendered",
                                "cash tendered does not cover the total of " +
                                    std::to_string(totals->total) + " (" + show(totals->total) +
                                    ")");

  placed.number = r->last_order_number + 1;
  placed.reference = format_reference(r->series, placed.number);
  placed.status = OrderStatus::kPending;
  target.stream = cmd.order_id;
  target.partition = cmd.restaurant_id;
  return EventPayload{std::move(placed)};
}

Result<EventPayload> Aggregates::decide_status(const Command& command, const ChangeOrderStatus& cmd,
                                               Target& target) {
  const Principal& who = command.principal;
  const std::optional<uint64_t> expected_version = command.expected_version;
  const OrderState* o = order(cmd.order_id);
  // Loaded from the log by a network thread. It is current: every change to
  // an order passes through here, and an order leaves memory only once its
  // last change is committed. It enters memory only if the change is
  // accepted: a refusal leaves the state as it was.
  const bool cold = !o && command.cold_order;
  if (cold) o = &*command.cold_order;
  if (!o) return Error{ErrorCode::kNotLoaded, "the order is not in memory", "", {}};
  const RestaurantState* r = restaurant(o->restaurant_id);
  if (!r || !may_view_order(who, r->owners, o->customer_id)) return not_found("no such order");
  // A stale version is answered as such before the transition is judged: the
  // loser of two simultaneous accepts learns it was too late, not that
  // "accepted cannot become accepted".
  if (expected_version && *expected_version != o->version)
    return Error{ErrorCode::kVersionMismatch,
                 "expected version " + std::to_string(*expected_version) +
                     ", the current version is " + std::to_string(o->version),
                 "If-Match",
                 {}};
  auto status = resolve_status(cmd.status, o->fulfillment);
  if (!status.ok()) return std::move(status).error();
  constexpr bool kDriverAssigned = false;  // dispatch does not exist yet
  // A conflict lists the steps this caller could take from here.
  auto with_allowed = [&](Error e) {
    for (OrderStatus s : allowed_targets(o->status, o->fulfillment))
      if (may_set_status(who, o->status, s, kDriverAssigned).ok())
        e.allowed.emplace_back(status_name(s));
    return e;
  };
  if (Status role = may_set_status(who, o->status, *status, kDriverAssigned); !role.ok())
    return role.error().code == ErrorCode::kConflict ? with_allowed(role.error()) : role.error();
  if (!transition_allowed(o->status, *status, o->fulfillment))
    return with_allowed(Error{ErrorCode::kConflict,
                              "an order that is " + std::string(status_name(o->status)) +
                                  " cannot become " + std::string(status_name(*status)),
                              "status",
                              {}});
  target.stream = cmd.order_id;
  target.partition = o->restaurant_id;
  target.version = o->version;
  const OrderStatus from = o->status;
  if (cold) orders_.try_emplace(cmd.order_id, *command.cold_order);  // apply() updates it
  return EventPayload{OrderStatusChanged{from, *status, cmd.reason}};
}

Result<EventPayload> Aggregates::decide_register_driver(const Command& command, RegisterDriver& cmd,
                                                        Target& target) {
  const Principal& who = command.principal;
  DriverRegistered details = std::move(cmd.details);
  if (who.role == Role::kDriver) {
    // A driver signs themself up: the account is the caller's, whatever was sent.
    if (!details.user_id.empty() && details.user_id != who.subject)
      return Error{ErrorCode::kForbidden,
                   "a driver may register only themself (user_id must be the token's subject)",
                   "user_id",
                   {}};
    details.user_id = who.subject;
  } else if (who.role != Role::kAdmin) {
    return forbidden("a caller with role " + std::string(role_name(who.role)) +
                     " cannot register drivers");
  }
  if (details.user_id.empty())
    return Error::unprocessable("user_id", "the account the driver signs in with is required");
  if (driver(cmd.driver_id))
    return Error{ErrorCode::kConflict, "a driver with this id already exists", "id", {}};
  if (driver_by_user_.contains(details.user_id))
    return Error{
        ErrorCode::kConflict, "this account is already registered as a driver", "user_id", {}};
  target.stream = target.partition = cmd.driver_id;
  return EventPayload{std::move(details)};
}

Result<EventPayload> Aggregates::decide_location(const Command& command, const ReportLocation& cmd,
                                                 Target& target) {
  const Principal& who = command.principal;
  const DriverState* d = driver(cmd.driver_id);
  // Only the driver's own account (or an admin) reports its position; anyone
  // else's driver is answered exactly as an absent one.
  if (!d || !may_act_as_driver(who, d->user_id)) return not_found("no such driver");
  if (command.expected_version && *command.expected_version != d->version)
    return Error{ErrorCode::kVersionMismatch,
                 "expected version " + std::to_string(*command.expected_version) +
                     ", the current version is " + std::to_string(d->version),
                 "If-Match",
                 {}};
  target.stream = target.partition = cmd.driver_id;
  target.version = d->version;
  return EventPayload{cmd.location};
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
          OrderState& o = orders_.try_emplace(event.stream).first->second;
          o.restaurant_id = p.restaurant_id;
          o.version = event.stream_version;
          o.status = p.status;
          o.fulfillment = p.fulfillment.type;
          o.customer_id = p.customer.id;
          o.last_position = event.position;
          o.updated_at_us = event.recorded_at_us;
          RestaurantState& r = restaurants_[p.restaurant_id];
          r.last_order_number = std::max(r.last_order_number, p.number);
        } else if constexpr (std::is_same_v<T, OrderStatusChanged>) {
          OrderState& o = orders_[event.stream];
          o.version = event.stream_version;
          o.status = p.to;
          o.last_position = event.position;
          o.updated_at_us = event.recorded_at_us;
          if (is_terminal(p.to)) finished_.emplace_back(event.recorded_at_us, event.stream);
        } else if constexpr (std::is_same_v<T, DriverRegistered>) {
          DriverState& d = drivers_[event.stream];
          d.version = event.stream_version;
          d.user_id = p.user_id;
          driver_by_user_[p.user_id] = event.stream;
        } else if constexpr (std::is_same_v<T, DriverLocationReported>) {
          drivers_[event.stream].version = event.stream_version;
        }
      },
      event.payload);
}

void Aggregates::evict_finished(int64_t now_us, uint64_t committed_position) {
  const int64_t cutoff = now_us - options_.hot_window_us;
  while (!finished_.empty() && finished_.front().first <= cutoff) {
    auto it = orders_.find(finished_.front().second);
    if (it != orders_.end()) {
      // Still being written: keep it (and everything after it) for now.
      if (it->second.last_position > committed_position) return;
      if (is_terminal(it->second.status) && it->second.updated_at_us <= cutoff) orders_.erase(it);
    }
    finished_.pop_front();
  }
}

Result<std::optional<OrderState>> Aggregates::load_order(const EventLog& log, const Uuid& id,
                                                         uint64_t committed_position) {
  Aggregates scratch;
  Status status = log.read_stream(
      id,
      [&](const Event& e) {
        scratch.apply(e);
        return true;
      },
      committed_position);
  if (!status.ok()) return status.error();
  const OrderState* o = scratch.order(id);
  if (!o) return std::optional<OrderState>{};
  return std::optional<OrderState>{*o};
}

Status Aggregates::load(const EventLog& log, std::optional<int64_t> now_us,
                        const std::function<void(const Event&)>& also) {
  // Built aside and swapped in only when whole: a failed load leaves the
  // state as it was.
  Aggregates fresh(options_);
  Status loaded = fresh.load_into(log, now_us, also);
  if (loaded.ok()) *this = std::move(fresh);
  return loaded;
}

Status Aggregates::load_into(const EventLog& log, std::optional<int64_t> now_us,
                             const std::function<void(const Event&)>& also) {
  Status events = log.scan(1, log.last_position(), [&](const Event& e) {
    apply(e);
    if (also) also(e);
    return true;
  });
  if (!events.ok()) return events;
  std::vector<IdempotencyRecord> records;
  Status idem = log.scan_idempotency([&](const IdempotencyRecord& r) {
    if (!now_us || r.recorded_at_us >= *now_us - options_.idempotency_window_us)
      records.push_back(r);
    return true;
  });
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.recorded_at_us < b.recorded_at_us; });
  if (!idem.ok()) return idem;
  for (auto& r : records) remember(std::move(r));
  // What has been finished for longer than the window stays on disk only.
  if (now_us) evict_finished(*now_us, log.last_position());
  return {};
}

}  // namespace comanda::engine
