// The stored form of an event: a 4-byte little-endian CRC32C of the envelope,
// then the Protobuf envelope (schemas/comanda/v1/events.proto). The only place
// that converts between domain events and Protobuf. Safe on any thread.
#pragma once

#include <string>
#include <string_view>

#include "engine/error.h"
#include "engine/events.h"

namespace comanda::engine {

// Appends the stored form of `event` to `out` (which the caller may reuse).
void encode_event(const Event& event, std::string& out);

// Decodes a stored value. kCorruption when the checksum or the envelope is
// bad; kNotFound-free. An event of a type this build does not know decodes
// to kUnprocessable, which readers skip with a warning.
Result<Event> decode_event(std::string_view stored);

// Big-endian u64, so that RocksDB's bytewise order is numeric order.
void put_u64_be(std::string& out, uint64_t value);
uint64_t get_u64_be(std::string_view bytes);

}  // namespace comanda::engine
