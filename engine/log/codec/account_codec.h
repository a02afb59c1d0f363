// The customer account's events to and from their Protobuf payloads
// (schemas/comanda/v1/account.proto). Used by engine/log/event_codec.cpp.
#pragma once

#include <optional>

#include "comanda/v1/events.pb.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"

namespace comanda::engine::codec {

void to_pb(const AccountRegistered& event, v1::Envelope& envelope);
void to_pb(const CreditToppedUp& event, v1::Envelope& envelope);
void to_pb(const CreditAdjusted& event, v1::Envelope& envelope);
void to_pb(const CreditDebited& event, v1::Envelope& envelope);
void to_pb(const CreditRefunded& event, v1::Envelope& envelope);

// The envelope's payload if it is one of the account's events; nullopt if
// it is another kind's.
std::optional<Result<EventPayload>> account_event_from_pb(const v1::Envelope& envelope);

}  // namespace comanda::engine::codec
