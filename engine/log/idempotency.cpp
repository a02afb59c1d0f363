#include "engine/log/idempotency.h"

#include "engine/base/bytes.h"

namespace comanda::engine {

// Request hash, stream (16 bytes), version, position, recorded time: u64 BE.
std::string encode_idempotency_value(const IdempotencyRecord& r) {
  std::string out;
  out.reserve(48);
  put_u64_be(out, r.request_hash);
  out.append(r.stream.raw());
  put_u64_be(out, r.stream_version);
  put_u64_be(out, r.position);
  put_u64_be(out, static_cast<uint64_t>(r.recorded_at_us));
  return out;
}

std::optional<IdempotencyRecord> decode_idempotency(std::string_view key, std::string_view v) {
  if (v.size() != 8 + 16 + 8 + 8 + 8) return std::nullopt;
  IdempotencyRecord r;
  r.scope = std::string(key);
  r.request_hash = get_u64_be(v.substr(0, 8));
  r.stream = *Uuid::from_raw(v.substr(8, 16));
  r.stream_version = get_u64_be(v.substr(24, 8));
  r.position = get_u64_be(v.substr(32, 8));
  r.recorded_at_us = static_cast<int64_t>(get_u64_be(v.substr(40, 8)));
  return r;
}

}  // namespace comanda::engine
