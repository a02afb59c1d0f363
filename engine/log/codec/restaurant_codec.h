// The restaurant's events to and from their Protobuf payloads
// (schemas/comanda/v1/restaurant.proto). Used by engine/log/event_codec.cpp.
#pragma once

#include <optional>

#include "comanda/v1/events.pb.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"

namespace comanda::engine::codec {

void to_pb(const RestaurantRegistered& event, v1::Envelope& envelope);
void to_pb(const RestaurantUpdated& event, v1::Envelope& envelope);
void to_pb(const RestaurantPaused& event, v1::Envelope& envelope);
void to_pb(const RestaurantResumed& event, v1::Envelope& envelope);

// The envelope's payload if it is one of the restaurant's events; nullopt if
// it is another kind's. An error (kCorruption) if it is malformed.
std::optional<Result<EventPayload>> restaurant_event_from_pb(const v1::Envelope& envelope);

}  // namespace comanda::engine::codec
