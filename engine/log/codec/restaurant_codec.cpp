#include "engine/log/codec/restaurant_codec.h"

#include "engine/log/codec/common_codec.h"

namespace comanda::engine::codec {
namespace {

void to_pb(const RestaurantSettings& s, pb::RestaurantSettings* out) {
  out->set_delivery_fee(s.delivery_fee);
  out->set_dispatch_mode(static_cast<pb::DispatchMode>(s.dispatch.mode));
  out->set_offer_on(s.dispatch.offer_on == OrderStatus::kAccepted ? pb::OFFER_ON_ACCEPTED
                                                                  : pb::OFFER_ON_AWAITING_DRIVER);
  out->set_offer_to(s.dispatch.offer_to);
  out->set_radius_m(s.dispatch.radius_m);
  out->set_offer_timeout_s(s.dispatch.offer_timeout_s);
  out->set_geofence_enabled(s.geofence.enabled);
  out->set_near_restaurant_m(s.geofence.near_restaurant_m);
  out->set_near_customer_m(s.geofence.near_customer_m);
  out->set_auto_reject_after_s(s.auto_reject_after_s);
  out->set_preorder_lead_s(s.preorder_lead_s);
}

Result<RestaurantSettings> from_pb(const pb::RestaurantSettings& p) {
  if (p.dispatch_mode() < 0 || p.dispatch_mode() > pb::DISPATCH_MODE_NONE)
    return Error::corruption("restaurant settings have an unknown dispatch mode");
  RestaurantSettings s;
  s.delivery_fee = p.delivery_fee();
  s.dispatch.mode = static_cast<DispatchSettings::Mode>(p.dispatch_mode());
  s.dispatch.offer_on =
      p.offer_on() == pb::OFFER_ON_ACCEPTED ? OrderStatus::kAccepted : OrderStatus::kAwaitingDriver;
  s.dispatch.offer_to = p.offer_to();
  s.dispatch.radius_m = p.radius_m();
  s.dispatch.offer_timeout_s = p.offer_timeout_s();
  s.geofence.enabled = p.geofence_enabled();
  s.geofence.near_restaurant_m = p.near_restaurant_m();
  s.geofence.near_customer_m = p.near_customer_m();
  s.auto_reject_after_s = p.auto_reject_after_s();
  s.preorder_lead_s = p.preorder_lead_s();
  return s;
}

Result<EventPayload> registered_from_pb(const pb::RestaurantRegistered& p) {
  RestaurantRegistered e;
  e.name = p.name();
  e.address = p.address();
  if (p.has_location()) e.location = codec::from_pb(p.location());
  e.currency = p.currency();
  e.time_zone = p.time_zone();
  e.tax = codec::from_pb(p.tax());
  e.owners.assign(p.owners().begin(), p.owners().end());
  e.series = p.series();
  if (p.has_settings()) {
    auto settings = from_pb(p.settings());
    if (!settings.ok()) return settings.error();
    e.settings = *settings;
  }
  return EventPayload{std::move(e)};
}

Result<EventPayload> updated_from_pb(const pb::RestaurantUpdated& p) {
  RestaurantUpdated e;
  if (p.has_name()) e.name = p.name();
  if (p.has_address()) e.address = p.address();
  if (p.has_location()) e.location = codec::from_pb(p.location());
  if (p.has_time_zone()) e.time_zone = p.time_zone();
  if (p.has_tax()) e.tax = codec::from_pb(p.tax());
  if (p.has_owners())
    e.owners = std::vector<std::string>(p.owners().owners().begin(), p.owners().owners().end());
  if (p.has_series()) e.series = p.series();
  if (p.has_settings()) {
    auto settings = from_pb(p.settings());
    if (!settings.ok()) return settings.error();
    e.settings = *settings;
  }
  return EventPayload{std::move(e)};
}

}  // namespace

void to_pb(const RestaurantRegistered& e, v1::Envelope& envelope) {
  pb::RestaurantRegistered* out = envelope.mutable_restaurant_registered();
  out->set_name(e.name);
  out->set_address(e.address);
  if (e.location) to_pb(*e.location, out->mutable_location());
  out->set_currency(e.currency);
  out->set_time_zone(e.time_zone);
  to_pb(e.tax, out->mutable_tax());
  for (const auto& o : e.owners) out->add_owners(o);
  out->set_series(e.series);
  to_pb(e.settings, out->mutable_settings());
}

void to_pb(const RestaurantUpdated& e, v1::Envelope& envelope) {
  pb::RestaurantUpdated* out = envelope.mutable_restaurant_updated();
  if (e.name) out->set_name(*e.name);
  if (e.address) out->set_address(*e.address);
  if (e.location) to_pb(*e.location, out->mutable_location());
  if (e.time_zone) out->set_time_zone(*e.time_zone);
  if (e.tax) to_pb(*e.tax, out->mutable_tax());
  if (e.owners) {
    pb::OwnerList* owners = out->mutable_owners();  // present even when empty
    for (const auto& o : *e.owners) owners->add_owners(o);
  }
  if (e.series) out->set_series(*e.series);
  if (e.settings) to_pb(*e.settings, out->mutable_settings());
}

void to_pb(const RestaurantPaused&, v1::Envelope& envelope) {
  envelope.mutable_restaurant_paused();
}

void to_pb(const RestaurantResumed&, v1::Envelope& envelope) {
  envelope.mutable_restaurant_resumed();
}

std::optional<Result<EventPayload>> restaurant_event_from_pb(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case pb::Envelope::kRestaurantRegistered:
      return registered_from_pb(envelope.restaurant_registered());
    case pb::Envelope::kRestaurantUpdated:
      return updated_from_pb(envelope.restaurant_updated());
    case pb::Envelope::kRestaurantPaused:
      return EventPayload{RestaurantPaused{}};
    case pb::Envelope::kRestaurantResumed:
      return EventPayload{RestaurantResumed{}};
    default:
      return std::nullopt;
  }
}

}  // namespace comanda::engine::codec
