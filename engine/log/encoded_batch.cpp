#include "engine/log/encoded_batch.h"

#include "engine/log/event_codec.h"

namespace comanda::engine {

void EncodedBatch::clear() {
  first_position = last_position = 0;
  values.clear();
  value_ends.clear();
  stream_versions.clear();
  idempotency.clear();
  link = {};
  dense = true;
}

void encode_batch(std::span<const Event> events, std::span<const IdempotencyRecord> idempotency,
                  const ChainLink& previous, ChainHasher& hasher, EncodedBatch& out) {
  out.clear();
  if (events.empty()) return;
  out.first_position = events.front().position;
  out.last_position = events.back().position;
  hasher.begin(previous);
  uint64_t expected = out.first_position;
  for (const Event& e : events) {
    out.dense = out.dense && e.position == expected++;
    const size_t begin = out.values.size();
    encode_event(e, out.values);
    hasher.add(std::string_view(out.values).substr(begin));
    out.value_ends.push_back(static_cast<uint32_t>(out.values.size()));
    out.stream_versions.emplace_back(e.stream, e.stream_version);
  }
  for (const IdempotencyRecord& r : idempotency)
    out.idempotency.emplace_back(r.scope, encode_idempotency_value(r));
  out.link = hasher.finish();
}

}  // namespace comanda::engine
