#include "engine/log/codec/driver_codec.h"

namespace comanda::engine::codec {

namespace pb = ::comanda::v1;

void to_pb(const DriverRegistered& e, v1::Envelope& envelope) {
  pb::DriverRegistered* out = envelope.mutable_driver_registered();
  out->set_name(e.name);
  out->set_phone(e.phone);
  out->set_user_id(e.user_id);
  out->set_vehicle(e.vehicle);
}

void to_pb(const DriverLocationReported& e, v1::Envelope& envelope) {
  pb::DriverLocationReported* out = envelope.mutable_driver_location_reported();
  out->set_lat_e7(e.lat_e7);
  out->set_lng_e7(e.lng_e7);
  if (e.heading_deg) out->set_heading_deg(*e.heading_deg);
  if (e.speed_mps) out->set_speed_mps(*e.speed_mps);
  if (e.accuracy_m) out->set_accuracy_m(*e.accuracy_m);
  out->set_reported_at_us(e.reported_at_us);
}

void to_pb(const DriverAvailabilityChanged& e, v1::Envelope& envelope) {
  pb::DriverAvailabilityChanged* out = envelope.mutable_driver_availability_changed();
  out->set_availability(static_cast<pb::Availability>(e.availability));
  if (!e.order_id.is_nil()) out->set_order_id(e.order_id.raw().data(), 16);
}

void to_pb(const DriverActiveChanged& e, v1::Envelope& envelope) {
  envelope.mutable_driver_active_changed()->set_active(e.active);
}

namespace {

Result<EventPayload> availability_from_pb(const pb::DriverAvailabilityChanged& p) {
  if (p.availability() < 0 || p.availability() > pb::AVAILABILITY_BUSY)
    return Error::corruption("driver_availability_changed has an unknown availability");
  DriverAvailabilityChanged e{static_cast<Availability>(p.availability()), {}};
  if (!p.order_id().empty()) {
    auto order = Uuid::from_raw(p.order_id());
    if (!order) return Error::corruption("driver_availability_changed has a malformed order id");
    e.order_id = *order;
  }
  return EventPayload{e};
}

}  // namespace

std::optional<Result<EventPayload>> driver_event_from_pb(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case pb::Envelope::kDriverRegistered: {
      const auto& p = envelope.driver_registered();
      return EventPayload{DriverRegistered{p.name(), p.phone(), p.user_id(), p.vehicle()}};
    }
    case pb::Envelope::kDriverLocationReported: {
      const auto& p = envelope.driver_location_reported();
      DriverLocationReported e;
      e.lat_e7 = p.lat_e7();
      e.lng_e7 = p.lng_e7();
      if (p.has_heading_deg()) e.heading_deg = p.heading_deg();
      if (p.has_speed_mps()) e.speed_mps = p.speed_mps();
      if (p.has_accuracy_m()) e.accuracy_m = p.accuracy_m();
      e.reported_at_us = p.reported_at_us();
      return EventPayload{e};
    }
    case pb::Envelope::kDriverAvailabilityChanged:
      return availability_from_pb(envelope.driver_availability_changed());
    case pb::Envelope::kDriverActiveChanged:
      return EventPayload{DriverActiveChanged{envelope.driver_active_changed().active()}};
    default:
      return std::nullopt;
  }
}

}  // namespace comanda::engine::codec
