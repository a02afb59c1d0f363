// Tokens already verified, so that a client sending the same bearer token
// on every request (the usual case) pays for base64, JSON and HMAC once,
// not per request: a bounded map from the token's bytes to its principal
// and the moment it stops being valid (its `exp` plus the leeway). Only
// tokens that verified are kept; a refusal is never remembered, so a
// token is refused by the verifier itself every time.
//
// Threads: any (engine/base/locked_shards.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "engine/base/locked_shards.h"
#include "engine/domain/principal.h"

namespace comanda::api {

class TokenCache {
 public:
  // At most `capacity` tokens, over all shards.
  explicit TokenCache(size_t capacity = 8192);

  // The principal of a token verified before and still valid at `now_s`.
  std::optional<engine::Principal> find(std::string_view token, int64_t now_s);
  // A token that verified at some time before `valid_until_s`.
  void insert(std::string_view token, const engine::Principal& who, double valid_until_s);

  size_t size() const { return tokens_.size(); }

 private:
  struct Entry {
    engine::Principal who;
    double valid_until_s = 0;
  };

  size_t per_shard_;
  engine::LockedShards<Entry> tokens_;
};

}  // namespace comanda::api
