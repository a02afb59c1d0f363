#include "api/auth/token_cache.h"

#include <algorithm>
#include <iterator>

namespace comanda::api {

TokenCache::TokenCache(size_t capacity)
    : per_shard_(std::max<size_t>(1, capacity / engine::LockedShards<Entry>::kShards)) {}

std::optional<engine::Principal> TokenCache::find(std::string_view token, int64_t now_s) {
  return tokens_.with(token, [&](auto& shard) -> std::optional<engine::Principal> {
    auto it = shard.map.find(token);
    if (it == shard.map.end()) return std::nullopt;
    if (static_cast<double>(now_s) >= it->second.valid_until_s) {
      shard.map.erase(it);  // expired: the verifier says so from now on
      return std::nullopt;
    }
    return it->second.who;
  });
}

void TokenCache::insert(std::string_view token, const engine::Principal& who,
                        double valid_until_s) {
  tokens_.with(token, [&](auto& shard) {
    if (shard.map.size() >= per_shard_) {
      // Full: forget half the shard (whichever tokens come first). A client
      // whose token is forgotten pays one verification again; the bound
      // holds however many tokens are in use.
      auto end = shard.map.begin();
      std::advance(end, static_cast<std::ptrdiff_t>(shard.map.size() / 2));
      shard.map.erase(shard.map.begin(), end);
    }
    shard.map.insert_or_assign(std::string(token), Entry{who, valid_until_s});
  });
}

}  // namespace comanda::api
