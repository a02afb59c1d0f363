// The stored form of an event: a 4-byte little-endian CRC32C of the envelope,
// then the Protobuf envelope (schemas/comanda/v1/events.proto). This file and
// engine/log/codec/ (one codec per aggregate) are the only places that
// convert between domain events and Protobuf. Safe on any thread.
#pragma once

#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/event.h"

namespace comanda::engine {

// Appends the stored form of `event` to `out` (which the caller may reuse).
void encode_event(const Event& event, std::string& out);

// Decodes a stored value. kCorruption when the checksum or the envelope is
// bad. An event of a type this build does not know decodes to
// kUnprocessable, which readers skip with a warning.
Result<Event> decode_event(std::string_view stored);

}  // namespace comanda::engine
