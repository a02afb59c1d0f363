// The log's hash chain: each batch's link is SHA-256(previous link, then the
// stored bytes of each of the batch's events in position order). Stored in
// the `meta` column family under the batch's last position, it lets `verify`
// detect an edited event even when its CRC was recomputed.
//
// Not thread-safe: one ChainHasher per thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace comanda::engine {

using ChainLink = std::array<uint8_t, 32>;  // all zero before the first batch

class ChainHasher {
 public:
  ChainHasher();
  ~ChainHasher();
  ChainHasher(const ChainHasher&) = delete;
  ChainHasher& operator=(const ChainHasher&) = delete;

  // Starts a link after `previous`.
  void begin(const ChainLink& previous);
  // Adds one event's stored bytes.
  void add(std::string_view stored_event);
  ChainLink finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The `meta` key of the link of the batch ending at `last_position`.
std::string chain_key(uint64_t last_position);
// The prefix every chain key starts with.
std::string_view chain_key_prefix();
std::string to_hex(const ChainLink& link);

}  // namespace comanda::engine
