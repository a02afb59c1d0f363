#include "engine/log/codec/dispatch_codec.h"

#include "engine/log/codec/common_codec.h"

namespace comanda::engine::codec {
namespace {

Result<Uuid> id_from_pb(const std::string& raw, std::string_view what) {
  auto id = Uuid::from_raw(raw);
  if (!id) return Error::corruption(std::string(what) + " is not a 16-byte id");
  return *id;
}

template <class Ids>
Result<std::vector<Uuid>> ids_from_pb(const Ids& raw, std::string_view what) {
  std::vector<Uuid> out;
  out.reserve(static_cast<size_t>(raw.size()));
  for (const std::string& r : raw) {
    auto id = id_from_pb(r, what);
    if (!id.ok()) return id.error();
    out.push_back(*id);
  }
  return out;
}

template <class Message>
void ids_to_pb(const std::vector<Uuid>& ids, Message* out) {
  for (const Uuid& id : ids) out->add_drivers(id.raw().data(), 16);
}

Result<EventPayload> offered_from_pb(const pb::DriverOffered& p) {
  auto drivers = ids_from_pb(p.drivers(), "driver_offered's driver");
  if (!drivers.ok()) return drivers.error();
  return EventPayload{DriverOffered{std::move(*drivers), p.expires_at_us()}};
}

Result<EventPayload> expired_from_pb(const pb::OfferExpired& p) {
  auto drivers = ids_from_pb(p.drivers(), "offer_expired's driver");
  if (!drivers.ok()) return drivers.error();
  return EventPayload{OfferExpired{std::move(*drivers)}};
}

// An event naming one driver, and perhaps a reason.
template <class E, class Message>
Result<EventPayload> one_driver_from_pb(const Message& p) {
  auto driver = id_from_pb(p.driver(), std::string(E::kType) + "'s driver");
  if (!driver.ok()) return driver.error();
  if constexpr (requires { p.reason(); })
    return EventPayload{E{*driver, p.reason()}};
  else
    return EventPayload{E{*driver}};
}

}  // namespace

void to_pb(const DriverOffered& e, v1::Envelope& envelope) {
  pb::DriverOffered* out = envelope.mutable_driver_offered();
  ids_to_pb(e.drivers, out);
  out->set_expires_at_us(e.expires_at_us);
}

void to_pb(const OfferExpired& e, v1::Envelope& envelope) {
  ids_to_pb(e.drivers, envelope.mutable_offer_expired());
}

void to_pb(const OfferWithdrawn& e, v1::Envelope& envelope) {
  envelope.mutable_offer_withdrawn()->set_driver(e.driver.raw().data(), 16);
}

void to_pb(const DispatchWaiting& e, v1::Envelope& envelope) {
  pb::DispatchWaiting* out = envelope.mutable_dispatch_waiting();
  to_pb(e.pickup, out->mutable_pickup());
  out->set_radius_m(e.radius_m);
}

void to_pb(const DriverAssigned& e, v1::Envelope& envelope) {
  envelope.mutable_driver_assigned()->set_driver(e.driver.raw().data(), 16);
}

void to_pb(const DriverUnassigned& e, v1::Envelope& envelope) {
  pb::DriverUnassigned* out = envelope.mutable_driver_unassigned();
  out->set_driver(e.driver.raw().data(), 16);
  out->set_reason(e.reason);
}

std::optional<Result<EventPayload>> dispatch_event_from_pb(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case pb::Envelope::kDriverOffered:
      return offered_from_pb(envelope.driver_offered());
    case pb::Envelope::kOfferExpired:
      return expired_from_pb(envelope.offer_expired());
    case pb::Envelope::kOfferWithdrawn:
      return one_driver_from_pb<OfferWithdrawn>(envelope.offer_withdrawn());
    case pb::Envelope::kDispatchWaiting: {
      const auto& p = envelope.dispatch_waiting();
      return EventPayload{DispatchWaiting{from_pb(p.pickup()), p.radius_m()}};
    }
    case pb::Envelope::kDriverAssigned:
      return one_driver_from_pb<DriverAssigned>(envelope.driver_assigned());
    case pb::Envelope::kDriverUnassigned:
      return one_driver_from_pb<DriverUnassigned>(envelope.driver_unassigned());
    default:
      return std::nullopt;
  }
}

}  // namespace comanda::engine::codec
