#include "api/auth/token_cache.h"

#include <algorithm>
#include <iterator>

namespace comanda::api {

TokenCache::TokenCache(size_t capacity) : per_shard_(std::max<size_t>(1, capacity / kShards)) {}

TokenCache::Shard& TokenCache::shard_of(std::string_view token) const {
  return shards_[std::hash<std::string_view>()(token) % kShards];
}

std::optional<engine::Principal> TokenCache::find(std::string_view token, int64_t now_s) const {
  Shard& shard = shard_of(token);
  std::lock_guard lock(shard.mu);
  auto it = shard.tokens.find(token);
  if (it == shard.tokens.end()) return std::nullopt;
  if (static_cast<double>(now_s) >= it->second.valid_until_s) {
    shard.tokens.erase(it);  // expired: the verifier says so from now on
    return std::nullopt;
  }
  return it->second.who;
}

void TokenCache::insert(std::string_view token, const engine::Principal& who,
                        double valid_until_s) {
  Shard& shard = shard_of(token);
  std::lock_guard lock(shard.mu);
  if (shard.tokens.size() >= per_shard_) {
    // Full: forget half the shard (whichever tokens come first). A client
    // whose token is forgotten pays one verification again; the bound
    // holds however many tokens are in use.
    auto end = shard.tokens.begin();
    std::advance(end, static_cast<std::ptrdiff_t>(shard.tokens.size() / 2));
    shard.tokens.erase(shard.tokens.begin(), end);
  }
  shard.tokens.insert_or_assign(std::string(token), Entry{who, valid_until_s});
}

size_t TokenCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.tokens.size();
  }
  return n;
}

}  // namespace comanda::api
