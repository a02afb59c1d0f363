#include "engine/log/event_codec.h"

#include <google/protobuf/arena.h>

#include "comanda/v1/events.pb.h"
#include "engine/base/crc32c.h"

namespace comanda::engine {
namespace {

namespace pb = ::comanda::v1;

// ---- domain -> Protobuf ----

void to_pb(const GeoPoint& g, pb::GeoPoint* out) {
  out->set_lat(g.lat);
  out->set_lng(g.lng);
}

void to_pb(const TaxPolicy& t, pb::TaxPolicy* out) {
  out->set_rate_bp(t.rate_bp);
  out->set_included(t.included);
}

void to_pb(const RestaurantRegistered& e, pb::RestaurantRegistered* out) {
  out->set_name(e.name);
  out->set_address(e.address);
  if (e.location) to_pb(*e.location, out->mutable_location());
  out->set_currency(e.currency);
  out->set_time_zone(e.time_zone);
  to_pb(e.tax, out->mutable_tax());
  for (const auto& o : e.owners) out->add_owners(o);
  out->set_series(e.series);
}

void to_pb(const OrderPlaced& e, pb::OrderPlaced* out) {
  out->set_restaurant_id(e.restaurant_id.raw().data(), 16);
  out->set_reference(e.reference);
  out->set_number(e.number);
  out->mutable_customer()->set_id(e.customer.id);
  out->mutable_customer()->set_name(e.customer.name);
  out->mutable_customer()->set_phone(e.customer.phone);
  for (const OrderLine& l : e.items) {
    pb::OrderLine* pl = out->add_items();
    pl->set_sku(l.sku);
    pl->set_name(l.name);
    pl->set_quantity(l.quantity);
    pl->set_unit_price(l.unit_price);
    for (const Modifier& m : l.modifiers) {
      pb::Modifier* pm = pl->add_modifiers();
      pm->set_name(m.name);
      pm->set_price(m.price);
    }
    pl->set_notes(l.notes);
    pl->set_line_total(l.line_total);
  }
  pb::Fulfillment* f = out->mutable_fulfillment();
  f->set_type(static_cast<pb::FulfillmentType>(e.fulfillment.type));
  f->set_address(e.fulfillment.address);
  if (e.fulfillment.location) to_pb(*e.fulfillment.location, f->mutable_location());
  out->mutable_payment()->set_method(e.payment.method);
  if (e.payment.cash_tendered) {
    out->mutable_payment()->set_has_cash_tendered(true);
    out->mutable_payment()->set_cash_tendered(*e.payment.cash_tendered);
  }
  out->set_notes(e.notes);
  out->set_currency(e.currency);
  to_pb(e.tax, out->mutable_tax());
  pb::Totals* t = out->mutable_totals();
  t->set_subtotal(e.totals.subtotal);
  t->set_discount(e.totals.discount);
  t->set_delivery_fee(e.totals.delivery_fee);
  t->set_taxable_base(e.totals.taxable_base);
  t->set_tax(e.totals.tax);
  t->set_tip(e.totals.tip);
  t->set_total(e.totals.total);
  out->set_status(static_cast<pb::OrderStatus>(e.status));
}

void to_pb(const OrderStatusChanged& e, pb::OrderStatusChanged* out) {
  out->set_from(static_cast<pb::OrderStatus>(e.from));
  out->set_to(static_cast<pb::OrderStatus>(e.to));
  out->set_reason(e.reason);
}

void to_pb(const DriverRegistered& e, pb::DriverRegistered* out) {
  out->set_name(e.name);
  out->set_phone(e.phone);
  out->set_user_id(e.user_id);
  out->set_vehicle(e.vehicle);
}

void to_pb(const DriverLocationReported& e, pb::DriverLocationReported* out) {
  out->set_lat_e7(e.lat_e7);
  out->set_lng_e7(e.lng_e7);
  if (e.heading_deg) out->set_heading_deg(*e.heading_deg);
  if (e.speed_mps) out->set_speed_mps(*e.speed_mps);
  if (e.accuracy_m) out->set_accuracy_m(*e.accuracy_m);
  out->set_reported_at_us(e.reported_at_us);
}

// ---- Protobuf -> domain ----

GeoPoint from_pb(const pb::GeoPoint& g) { return {g.lat(), g.lng()}; }
TaxPolicy from_pb(const pb::TaxPolicy& t) { return {t.rate_bp(), t.included()}; }

bool valid_status(int value) { return value >= 0 && value < static_cast<int>(kStatusCount); }

Result<EventPayload> payload_from_pb(const pb::Envelope& env) {
  switch (env.payload_case()) {
    case pb::Envelope::kRestaurantRegistered: {
      const auto& p = env.restaurant_registered();
      RestaurantRegistered e;
      e.name = p.name();
      e.address = p.address();
      if (p.has_location()) e.location = from_pb(p.location());
      e.currency = p.currency();
      e.time_zone = p.time_zone();
      e.tax = from_pb(p.tax());
      e.owners.assign(p.owners().begin(), p.owners().end());
      e.series = p.series();
      return EventPayload{std::move(e)};
    }
    case pb::Envelope::kOrderPlaced: {
      const auto& p = env.order_placed();
      OrderPlaced e;
      auto restaurant = Uuid::from_raw(p.restaurant_id());
      if (!restaurant || !valid_status(p.status()))
        return Error{
            ErrorCode::kCorruption, "order_placed has a bad restaurant id or status", "", {}};
      e.restaurant_id = *restaurant;
      e.reference = p.reference();
      e.number = p.number();
      e.customer = {p.customer().id(), p.customer().name(), p.customer().phone()};
      for (const auto& pl : p.items()) {
        OrderLine l{pl.sku(), pl.name(),  pl.quantity(),  pl.unit_price(),
                    {},       pl.notes(), pl.line_total()};
        for (const auto& pm : pl.modifiers()) l.modifiers.push_back({pm.name(), pm.price()});
        e.items.push_back(std::move(l));
      }
      const auto& f = p.fulfillment();
      e.fulfillment.type = static_cast<FulfillmentType>(f.type());
      e.fulfillment.address = f.address();
      if (f.has_location()) e.fulfillment.location = from_pb(f.location());
      e.payment.method = p.payment().method();
      if (p.payment().has_cash_tendered()) e.payment.cash_tendered = p.payment().cash_tendered();
      e.notes = p.notes();
      e.currency = p.currency();
      e.tax = from_pb(p.tax());
      const auto& t = p.totals();
      e.totals = {t.subtotal(), t.discount(), t.delivery_fee(), t.taxable_base(),
                  t.tax(),      t.tip(),      t.total()};
      e.status = static_cast<OrderStatus>(p.status());
      return EventPayload{std::move(e)};
    }
    case pb::Envelope::kOrderStatusChanged: {
      const auto& p = env.order_status_changed();
      if (!valid_status(p.from()) || !valid_status(p.to()))
        return Error{ErrorCode::kCorruption, "order_status_changed has an unknown status", "", {}};
      return EventPayload{OrderStatusChanged{static_cast<OrderStatus>(p.from()),
                                             static_cast<OrderStatus>(p.to()), p.reason()}};
    }
    case pb::Envelope::kDriverRegistered: {
      const auto& p = env.driver_registered();
      return EventPayload{DriverRegistered{p.name(), p.phone(), p.user_id(), p.vehicle()}};
    }
    case pb::Envelope::kDriverLocationReported: {
      const auto& p = env.driver_location_reported();
      DriverLocationReported e;
      e.lat_e7 = p.lat_e7();
      e.lng_e7 = p.lng_e7();
      if (p.has_heading_deg()) e.heading_deg = p.heading_deg();
      if (p.has_speed_mps()) e.speed_mps = p.speed_mps();
      if (p.has_accuracy_m()) e.accuracy_m = p.accuracy_m();
      e.reported_at_us = p.reported_at_us();
      return EventPayload{e};
    }
    case pb::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  return Error{ErrorCode::kUnprocessable, "event type unknown to this build", "", {}};
}

google::protobuf::ArenaOptions arena_options(char* block, size_t size) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = size;
  return options;
}

}  // namespace

void encode_event(const Event& event, std::string& out) {
  // The envelope lives on a per-thread arena, reset after each event: its
  // messages cost a pointer bump, not a malloc and a free each (clearing a
  // reused envelope would free its payload's whole message tree).
  struct Scratch {
    alignas(16) char block[16 << 10];
    google::protobuf::Arena arena{arena_options(block, sizeof block)};
  };
  thread_local Scratch scratch;
  struct Reset {
    google::protobuf::Arena& arena;
    ~Reset() { arena.Reset(); }
  } reset{scratch.arena};
  pb::Envelope& env = *google::protobuf::Arena::CreateMessage<pb::Envelope>(&scratch.arena);
  env.set_position(event.position);
  env.set_stream_id(event.stream.raw().data(), 16);
  env.set_stream_version(event.stream_version);
  // A stream that is its own partition (a restaurant, a driver) stores it once.
  if (event.partition != event.stream) env.set_partition_key(event.partition.raw().data(), 16);
  env.set_recorded_at_us(event.recorded_at_us);
  env.mutable_actor()->set_user_id(event.actor.subject);
  env.mutable_actor()->set_role(static_cast<pb::Role>(event.actor.role));
  env.set_correlation_id(event.correlation_id.raw().data(), 16);
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, RestaurantRegistered>)
          to_pb(p, env.mutable_restaurant_registered());
        if constexpr (std::is_same_v<T, OrderPlaced>) to_pb(p, env.mutable_order_placed());
        if constexpr (std::is_same_v<T, OrderStatusChanged>)
          to_pb(p, env.mutable_order_status_changed());
        if constexpr (std::is_same_v<T, DriverRegistered>)
          to_pb(p, env.mutable_driver_registered());
        if constexpr (std::is_same_v<T, DriverLocationReported>)
          to_pb(p, env.mutable_driver_location_reported());
      },
      event.payload);

  const size_t start = out.size();
  out.append(4, '\0');
  env.AppendToString(&out);
  const uint32_t crc = crc32c(std::string_view(out).substr(start + 4));
  for (int i = 0; i < 4; ++i) out[start + i] = static_cast<char>(crc >> (8 * i));
}

Result<Event> decode_event(std::string_view stored) {
  if (stored.size() < 4) return Error{ErrorCode::kCorruption, "stored event is truncated", "", {}};
  uint32_t expected = 0;
  for (int i = 0; i < 4; ++i)
    expected |= static_cast<uint32_t>(static_cast<uint8_t>(stored[i])) << (8 * i);
  const std::string_view body = stored.substr(4);
  if (crc32c(body) != expected) return Error{ErrorCode::kCorruption, "checksum mismatch", "", {}};

  thread_local pb::Envelope env;
  if (!env.ParseFromArray(body.data(), static_cast<int>(body.size())))
    return Error{ErrorCode::kCorruption, "envelope does not parse", "", {}};
  auto stream = Uuid::from_raw(env.stream_id());
  auto partition = env.partition_key().empty() ? stream : Uuid::from_raw(env.partition_key());
  auto correlation = Uuid::from_raw(env.correlation_id());
  if (!stream || !partition || !correlation)
    return Error{ErrorCode::kCorruption, "envelope has a malformed id", "", {}};
  auto payload = payload_from_pb(env);
  if (!payload.ok()) return std::move(payload).error();

  Event e;
  e.position = env.position();
  e.stream = *stream;
  e.stream_version = env.stream_version();
  e.partition = *partition;
  e.recorded_at_us = env.recorded_at_us();
  e.actor.subject = env.actor().user_id();
  const int role = env.actor().role();
  e.actor.role = role >= 0 && role <= static_cast<int>(Role::kDriver) ? static_cast<Role>(role)
                                                                      : Role::kEngine;
  e.correlation_id = *correlation;
  e.payload = std::move(payload).value();
  return e;
}

}  // namespace comanda::engine
