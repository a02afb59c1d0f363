// A batch of events in its stored form, ready to be written: the sequencer
// encodes (Protobuf envelope, CRC32C, hash-chain link) so that the writer
// thread only hands bytes to RocksDB. Buffers are reused batch after batch.
//
// Not thread-safe: built by one thread, then handed to another.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/domain/event.h"
#include "engine/log/hash_chain.h"
#include "engine/log/idempotency.h"

namespace comanda::engine {

struct EncodedBatch {
  uint64_t first_position = 0;  // 0: empty
  uint64_t last_position = 0;
  std::string values;                                      // the stored events, back to back
  std::vector<uint32_t> value_ends;                        // end offset of each event in `values`
  std::vector<std::pair<Uuid, uint64_t>> stream_versions;  // per event
  std::vector<std::pair<std::string, std::string>> idempotency;  // key, value
  ChainLink link{};   // this batch's link of the hash chain
  bool dense = true;  // positions first..last, each once, in order

  bool empty() const { return first_position == 0; }
  size_t size() const { return value_ends.size(); }
  std::string_view value(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : value_ends[i - 1];
    return std::string_view(values).substr(begin, value_ends[i] - begin);
  }
  void clear();
};

// Encodes `events` (dense positions) and `idempotency` into `out`, chaining
// from `previous`. `hasher` is the caller's, reused.
void encode_batch(std::span<const Event> events, std::span<const IdempotencyRecord> idempotency,
                  const ChainLink& previous, ChainHasher& hasher, EncodedBatch& out);

}  // namespace comanda::engine
