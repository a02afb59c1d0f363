// The order's events to and from their Protobuf payloads
// (schemas/comanda/v1/order.proto). Used by engine/log/event_codec.cpp.
#pragma once

#include <optional>

#include "comanda/v1/events.pb.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"

namespace comanda::engine::codec {

void to_pb(const OrderPlaced& event, v1::Envelope& envelope);
void to_pb(const OrderStatusChanged& event, v1::Envelope& envelope);
void to_pb(const OrderChanged& event, v1::Envelope& envelope);
void to_pb(const OrderReplaced& event, v1::Envelope& envelope);
void to_pb(const OrderLineFulfilled& event, v1::Envelope& envelope);
void to_pb(const OrderArchived& event, v1::Envelope& envelope);
void to_pb(const OrderNotReadyChanged& event, v1::Envelope& envelope);
void to_pb(const OrderDeleted& event, v1::Envelope& envelope);

// The envelope's payload if it is one of the order's events; nullopt if it
// is another kind's. An error (kCorruption) if it is malformed.
std::optional<Result<EventPayload>> order_event_from_pb(const v1::Envelope& envelope);

}  // namespace comanda::engine::codec
