// A map from strings to V split into 16 shards by the key's hash, each
// under its own mutex, for tables that every network thread reads and
// writes on every request (verified tokens, rate-limit buckets): two
// requests meet on a lock only when their keys share a shard. Keys are
// looked up by string_view, without a copy. `Extra` is what a user keeps
// per shard beside its map (a threshold, a count).
//
// Threads: any; every access goes through with(), which holds the key's
// shard.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace comanda::engine {

template <class V, class Extra = char>
class LockedShards {
 public:
  static constexpr size_t kShards = 16;

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct Shard {
    std::unordered_map<std::string, V, Hash, std::equal_to<>> map;
    Extra extra{};
  };

  // Runs fn(shard) with the shard of `key` held; returns what fn returns.
  template <class Fn>
  decltype(auto) with(std::string_view key, Fn&& fn) {
    Slot& slot = slots_[Hash()(key) % kShards];
    std::lock_guard lock(slot.mu);
    return fn(slot.shard);
  }

  // Entries over all shards (each shard counted under its lock).
  size_t size() const {
    size_t n = 0;
    for (const Slot& slot : slots_) {
      std::lock_guard lock(slot.mu);
      n += slot.shard.map.size();
    }
    return n;
  }

 private:
  struct Slot {
    mutable std::mutex mu;
    Shard shard;
  };
  std::array<Slot, kShards> slots_;
};

}  // namespace comanda::engine
