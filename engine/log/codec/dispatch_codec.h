// Dispatch's events (on an order's stream) to and from their Protobuf
// payloads (schemas/comanda/v1/dispatch.proto). Used by
// engine/log/event_codec.cpp.
#pragma once

#include <optional>

#include "comanda/v1/events.pb.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"

namespace comanda::engine::codec {

void to_pb(const DriverOffered& event, v1::Envelope& envelope);
void to_pb(const OfferExpired& event, v1::Envelope& envelope);
void to_pb(const OfferWithdrawn& event, v1::Envelope& envelope);
void to_pb(const DispatchWaiting& event, v1::Envelope& envelope);
void to_pb(const DriverAssigned& event, v1::Envelope& envelope);
void to_pb(const DriverUnassigned& event, v1::Envelope& envelope);

// The envelope's payload if it is one of dispatch's events; nullopt if it is
// another kind's.
std::optional<Result<EventPayload>> dispatch_event_from_pb(const v1::Envelope& envelope);

}  // namespace comanda::engine::codec
