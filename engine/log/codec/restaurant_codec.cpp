#include "engine/log/codec/restaurant_codec.h"

#include "engine/log/codec/common_codec.h"

namespace comanda::engine::codec {

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
}

std::optional<Result<EventPayload>> restaurant_event_from_pb(const v1::Envelope& envelope) {
  if (envelope.payload_case() != pb::Envelope::kRestaurantRegistered) return std::nullopt;
  const auto& p = envelope.restaurant_registered();
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

}  // namespace comanda::engine::codec
