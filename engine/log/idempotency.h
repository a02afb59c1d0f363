// An accepted command's idempotency key and where its events landed, kept
// for the idempotency window: stored in the log's `idempotency` column
// family in the same WriteBatch as the command's events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/base/ids.h"

namespace comanda::engine {

struct IdempotencyRecord {
  std::string scope;          // principal + route + key
  uint64_t request_hash = 0;  // of the request, to tell a repeat from a reuse
  Uuid stream;                // the command's stream
  uint64_t stream_version = 0;
  uint64_t position = 0;  // of the command's last event
  int64_t recorded_at_us = 0;
};

// The stored value of a record (its key is the scope).
std::string encode_idempotency_value(const IdempotencyRecord& record);
// A record from its key and stored value; nullopt when malformed.
std::optional<IdempotencyRecord> decode_idempotency(std::string_view key, std::string_view value);

}  // namespace comanda::engine
