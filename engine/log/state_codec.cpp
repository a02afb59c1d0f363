#include "engine/log/state_codec.h"

#include <array>

#include "comanda/v1/state.pb.h"
#include "engine/log/codec/common_codec.h"
#include "engine/log/event_codec.h"

namespace comanda::engine {
namespace {

namespace pb = ::comanda::v1;
using codec::from_pb;
using codec::to_pb;

template <class Message>
Status parse(std::string_view stored, Message& m, std::string_view what) {
  if (!m.ParseFromArray(stored.data(), static_cast<int>(stored.size())))
    return Error::corruption("a snapshot row of " + std::string(what) + " does not parse");
  return {};
}

void set_id(std::string* out, const Uuid& id) { out->assign(id.raw()); }

// A 16-byte id, or nil when empty; anything else is corrupt.
Result<Uuid> id_of(const std::string& raw, std::string_view what) {
  if (raw.empty()) return Uuid{};
  auto id = Uuid::from_raw(raw);
  if (!id) return Error::corruption("a snapshot row has a bad id in " + std::string(what));
  return *id;
}

template <class Ids>
Status ids_of(const google::protobuf::RepeatedPtrField<std::string>& raw, Ids& out,
              std::string_view what) {
  out.clear();
  for (const std::string& r : raw) {
    auto id = id_of(r, what);
    if (!id.ok()) return id.error();
    out.push_back(*id);
  }
  return {};
}

// A founding event of `id` carrying `payload`, in the log's stored form.
std::string founding(const Uuid& id, EventPayload payload) {
  Event e;
  e.stream = id;
  e.partition = id;
  e.stream_version = 1;
  e.payload = std::move(payload);
  std::string out;
  encode_event(e, out);
  return out;
}

template <class Payload>
Status founding_payload(const std::string& stored, Payload& out, std::string_view what) {
  auto event = decode_event(stored);
  if (!event.ok())
    return Error::corruption("a snapshot row of " + std::string(what) + ": " +
                             event.error().message);
  auto* payload = std::get_if<Payload>(&event->payload);
  if (!payload)
    return Error::corruption("a snapshot row of " + std::string(what) + " holds another event");
  out = std::move(*payload);
  return {};
}

void serialize(const google::protobuf::Message& m, std::string& out) { m.AppendToString(&out); }

}  // namespace

void encode_state(const Uuid& id, const RestaurantState& s, std::string& out) {
  pb::StreamStateRow row;
  row.set_version(s.version);
  row.set_origin(founding(id, s.details));
  row.set_paused(s.paused);
  serialize(row, out);
}

Status decode_state(std::string_view stored, RestaurantState& s) {
  pb::StreamStateRow row;
  if (Status parsed = parse(stored, row, "a restaurant"); !parsed.ok()) return parsed;
  s.version = row.version();
  s.paused = row.paused();
  return founding_payload(row.origin(), s.details, "a restaurant");
}

void encode_state(const Uuid& id, const MenuState& s, std::string& out) {
  pb::StreamStateRow row;
  row.set_version(s.version);
  row.set_origin(founding(id, MenuReplaced{s.items.all()}));
  serialize(row, out);
}

Status decode_state(std::string_view stored, MenuState& s) {
  pb::StreamStateRow row;
  if (Status parsed = parse(stored, row, "a menu"); !parsed.ok()) return parsed;
  MenuReplaced menu;
  if (Status read = founding_payload(row.origin(), menu, "a menu"); !read.ok()) return read;
  s.version = row.version();
  s.items.replace(std::move(menu.items));
  return {};
}

void encode_state(const Uuid&, const DriverState& s, std::string& out) {
  pb::DriverStateRow row;
  row.set_version(s.version);
  row.set_user_id(s.user_id);
  row.set_availability(static_cast<uint32_t>(s.availability));
  row.set_active(s.active);
  if (!s.order.is_nil()) set_id(row.mutable_order(), s.order);
  if (s.position) to_pb(*s.position, row.mutable_position());
  row.set_position_at_us(s.position_at_us);
  serialize(row, out);
}

Status decode_state(std::string_view stored, DriverState& s) {
  pb::DriverStateRow row;
  if (Status parsed = parse(stored, row, "a driver"); !parsed.ok()) return parsed;
  if (row.availability() > static_cast<uint32_t>(Availability::kBusy))
    return Error::corruption("a snapshot row of a driver has an unknown availability");
  auto order = id_of(row.order(), "a driver's order");
  if (!order.ok()) return order.error();
  s.version = row.version();
  s.user_id = row.user_id();
  s.availability = static_cast<Availability>(row.availability());
  s.active = row.active();
  s.order = *order;
  s.position.reset();
  if (row.has_position()) s.position = from_pb(row.position());
  s.position_at_us = row.position_at_us();
  return {};
}

void encode_state(const Uuid&, const AccountState& s, std::string& out) {
  pb::AccountStateRow row;
  row.set_version(s.version);
  row.set_user_id(s.user_id);
  if (s.parent_id) set_id(row.mutable_parent_id(), *s.parent_id);
  for (const Uuid& r : s.restaurant_ids) set_id(row.add_restaurant_ids(), r);
  for (const auto& [currency, amount] : s.balances) {
    row.add_balance_currencies(currency.data(), currency.size());
    row.add_balance_amounts(amount);
  }
  serialize(row, out);
}

Status decode_state(std::string_view stored, AccountState& s) {
  pb::AccountStateRow row;
  if (Status parsed = parse(stored, row, "an account"); !parsed.ok()) return parsed;
  if (row.balance_currencies_size() != row.balance_amounts_size())
    return Error::corruption("a snapshot row of an account has unpaired balances");
  s.version = row.version();
  s.user_id = row.user_id();
  s.parent_id.reset();
  if (!row.parent_id().empty()) {
    auto parent = id_of(row.parent_id(), "an account's parent");
    if (!parent.ok()) return parent.error();
    s.parent_id = *parent;
  }
  if (Status ids = ids_of(row.restaurant_ids(), s.restaurant_ids, "an account's restaurants");
      !ids.ok())
    return ids;
  s.balances.clear();
  for (int i = 0; i < row.balance_currencies_size(); ++i)
    s.balances.emplace_back(currency_code(row.balance_currencies(i)), row.balance_amounts(i));
  return {};
}

void encode_state(const OrderState& s, const std::optional<GeoPoint>& waiting_pickup,
                  std::string& out) {
  pb::OrderStateRow row;
  set_id(row.mutable_restaurant_id(), s.restaurant_id);
  row.set_version(s.version);
  row.set_status(static_cast<uint32_t>(s.status));
  row.set_fulfillment(static_cast<uint32_t>(s.fulfillment));
  row.set_customer_id(s.customer_id);
  row.set_last_position(s.last_position);
  row.set_updated_at_us(s.updated_at_us);
  const Totals& t = s.totals;
  for (int64_t v : {t.subtotal, t.discount, t.delivery_fee, t.taxable_base, t.tax, t.tip, t.total})
    row.add_totals(v);
  to_pb(s.tax, row.mutable_tax());
  row.set_has_cash_tendered(s.cash_tendered.has_value());
  row.set_cash_tendered(s.cash_tendered.value_or(0));
  if (!s.credit_account.is_nil()) set_id(row.mutable_credit_account(), s.credit_account);
  for (uint32_t q : s.line_quantities) row.add_line_quantities(q);
  row.set_archived(s.archived);
  row.set_deleted(s.deleted);
  row.set_not_ready(s.not_ready);
  if (!s.driver.is_nil()) set_id(row.mutable_driver(), s.driver);
  for (const Uuid& d : s.offered) set_id(row.add_offered(), d);
  for (const Uuid& d : s.offered_before) set_id(row.add_offered_before(), d);
  row.set_offer_expires_at_us(s.offer_expires_at_us);
  row.set_waiting_radius_m(s.waiting_radius_m);
  if (s.delivery_location) to_pb(*s.delivery_location, row.mutable_delivery_location());
  if (waiting_pickup) to_pb(*waiting_pickup, row.mutable_waiting_pickup());
  serialize(row, out);
}

Status decode_state(std::string_view stored, OrderState& s,
                    std::optional<GeoPoint>& waiting_pickup) {
  pb::OrderStateRow row;
  if (Status parsed = parse(stored, row, "an order"); !parsed.ok()) return parsed;
  if (row.totals_size() != 7) return Error::corruption("a snapshot row of an order lacks totals");
  if (row.status() >= kStatusCount ||
      row.fulfillment() > static_cast<uint32_t>(FulfillmentType::kEatIn))
    return Error::corruption("a snapshot row of an order has an unknown status or fulfillment");
  auto restaurant = id_of(row.restaurant_id(), "an order's restaurant");
  auto credit = id_of(row.credit_account(), "an order's account");
  auto driver = id_of(row.driver(), "an order's driver");
  for (const auto* id : {&restaurant, &credit, &driver})
    if (!id->ok()) return id->error();
  s.restaurant_id = *restaurant;
  s.version = row.version();
  s.status = static_cast<OrderStatus>(row.status());
  s.fulfillment = static_cast<FulfillmentType>(row.fulfillment());
  s.customer_id = row.customer_id();
  s.last_position = row.last_position();
  s.updated_at_us = row.updated_at_us();
  s.totals = Totals{row.totals(0), row.totals(1), row.totals(2), row.totals(3),
                    row.totals(4), row.totals(5), row.totals(6)};
  s.tax = from_pb(row.tax());
  s.cash_tendered.reset();
  if (row.has_cash_tendered()) s.cash_tendered = row.cash_tendered();
  s.credit_account = *credit;
  s.line_quantities.assign(row.line_quantities().begin(), row.line_quantities().end());
  s.archived = row.archived();
  s.deleted = row.deleted();
  s.not_ready = row.not_ready();
  s.driver = *driver;
  if (Status ids = ids_of(row.offered(), s.offered, "an order's offer"); !ids.ok()) return ids;
  if (Status ids = ids_of(row.offered_before(), s.offered_before, "an order's offers"); !ids.ok())
    return ids;
  s.offer_expires_at_us = row.offer_expires_at_us();
  s.waiting_radius_m = row.waiting_radius_m();
  s.delivery_location.reset();
  if (row.has_delivery_location()) s.delivery_location = from_pb(row.delivery_location());
  waiting_pickup.reset();
  if (row.has_waiting_pickup()) waiting_pickup = from_pb(row.waiting_pickup());
  return {};
}

void encode_state(const ScheduledOrder& o, std::string& out) {
  pb::ScheduledOrderRow row;
  set_id(row.mutable_restaurant_id(), o.restaurant);
  row.set_version(o.version);
  row.set_status(static_cast<uint32_t>(o.status));
  row.set_pending_since_us(o.pending_since_us);
  row.set_scheduled_for_us(o.scheduled_for_us);
  row.set_offer_expires_at_us(o.offer_expires_at_us);
  serialize(row, out);
}

Status decode_state(std::string_view stored, ScheduledOrder& o) {
  pb::ScheduledOrderRow row;
  if (Status parsed = parse(stored, row, "a scheduled order"); !parsed.ok()) return parsed;
  auto restaurant = id_of(row.restaurant_id(), "a scheduled order's restaurant");
  if (!restaurant.ok()) return restaurant.error();
  if (row.status() >= kStatusCount)
    return Error::corruption("a snapshot row of a scheduled order has an unknown status");
  o.restaurant = *restaurant;
  o.version = row.version();
  o.status = static_cast<OrderStatus>(row.status());
  o.pending_since_us = row.pending_since_us();
  o.scheduled_for_us = row.scheduled_for_us();
  o.offer_expires_at_us = row.offer_expires_at_us();
  return {};
}

void encode_header(const StateSnapshotHeader& h, std::string& out) {
  pb::StateSnapshotMeta meta;
  meta.set_format(h.format);
  meta.set_code_version(h.code_version);
  meta.set_checkpoint(h.checkpoint);
  meta.set_checkpoint_link(h.checkpoint_link);
  meta.set_rows(h.rows);
  meta.set_last_recorded_at_us(h.last_recorded_at_us);
  serialize(meta, out);
}

Status decode_header(std::string_view stored, StateSnapshotHeader& h) {
  pb::StateSnapshotMeta meta;
  if (Status parsed = parse(stored, meta, "the header"); !parsed.ok()) return parsed;
  h.format = meta.format();
  h.code_version = meta.code_version();
  h.checkpoint = meta.checkpoint();
  h.checkpoint_link = meta.checkpoint_link();
  h.rows = meta.rows();
  h.last_recorded_at_us = meta.last_recorded_at_us();
  return {};
}

}  // namespace comanda::engine
