// The driver's events to and from their Protobuf payloads
// (schemas/comanda/v1/driver.proto). Used by engine/log/event_codec.cpp.
#pragma once

#include <optional>

#include "comanda/v1/events.pb.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"

namespace comanda::engine::codec {

void to_pb(const DriverRegistered& event, v1::Envelope& envelope);
void to_pb(const DriverLocationReported& event, v1::Envelope& envelope);
void to_pb(const DriverAvailabilityChanged& event, v1::Envelope& envelope);
void to_pb(const DriverActiveChanged& event, v1::Envelope& envelope);

// The envelope's payload if it is one of the driver's events; nullopt if it
// is another kind's.
std::optional<Result<EventPayload>> driver_event_from_pb(const v1::Envelope& envelope);

}  // namespace comanda::engine::codec
