// Tokens already verified, so that a client sending the same bearer token
// on every request (the usual case) pays for base64, JSON and HMAC once,
// not per request: a bounded map from the token's bytes to its principal
// and the moment it stops being valid (its `exp` plus the leeway). Only
// tokens that verified are kept; a refusal is never remembered, so a
// token is refused by the verifier itself every time.
//
// Threads: any; sharded, each shard under its own mutex.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/domain/principal.h"

namespace comanda::api {

class TokenCache {
 public:
  // At most `capacity` tokens, over all shards.
  explicit TokenCache(size_t capacity = 8192);

  // The principal of a token verified before and still valid at `now_s`.
  std::optional<engine::Principal> find(std::string_view token, int64_t now_s) const;
  // A token that verified at some time before `valid_until_s`.
  void insert(std::string_view token, const engine::Principal& who, double valid_until_s);

  size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct Entry {
    engine::Principal who;
    double valid_until_s = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> tokens;
  };
  static constexpr size_t kShards = 16;

  Shard& shard_of(std::string_view token) const;

  size_t per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace comanda::api
