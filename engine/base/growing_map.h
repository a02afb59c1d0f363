// A hash map that grows without stopping: std::unordered_map rehashes every
// entry at once when it fills (at a million orders, a stall of hundreds of
// milliseconds on the thread that inserts, and for every thread waiting on
// it). This one is 16 shards by hash; a shard, when full, starts a table
// twice its size and moves one entry from the old one with every insertion
// until it is empty (node handles: no entry is copied, and references to
// entries stay valid). So no insertion touches more than a few entries, and
// the one allocation that grows with the map, a new bucket array, is a
// sixteenth of the whole. Lookups look in both tables of one shard.
//
// Not thread-safe, like std::unordered_map.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>

namespace comanda::engine {

template <class K, class V, class Hash = std::hash<K>>
class GrowingMap {
  using Map = std::unordered_map<K, V, Hash>;

 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kMovesPerInsert = 1;

  V* find(const K& key) { return shard(key).find(key); }
  const V* find(const K& key) const { return const_cast<GrowingMap*>(this)->find(key); }

  // The entry for `key`, created (value-initialized) if absent.
  V& operator[](const K& key) { return shard(key)[key]; }

  bool erase(const K& key) { return shard(key).erase(key); }
  size_t size() const {
    size_t n = 0;
    for (const Shard& s : shards_) n += s.now.size() + s.old.size();
    return n;
  }
  bool empty() const { return size() == 0; }
  void clear() {
    for (Shard& s : shards_) {
      s.now.clear();
      s.old.clear();
    }
  }
  // Insertions that made a table rehash its entries all at once: what this
  // map exists to avoid (for tests; 0).
  size_t full_rehashes() const {
    size_t n = 0;
    for (const Shard& s : shards_) n += s.full_rehashes;
    return n;
  }
  // Whether entries are still moving to a new table somewhere (for tests).
  bool growing() const {
    for (const Shard& s : shards_)
      if (!s.old.empty()) return true;
    return false;
  }

  // fn(key, value) for every entry, in no order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Shard& s : shards_) {
      for (const auto& [k, v] : s.old) fn(k, v);
      for (const auto& [k, v] : s.now) fn(k, v);
    }
  }
  template <class Fn>
  void for_each(Fn&& fn) {
    for (Shard& s : shards_) {
      for (auto& [k, v] : s.old) fn(k, v);
      for (auto& [k, v] : s.now) fn(k, v);
    }
  }

 private:
  struct Shard {
    Map now;  // new entries go here
    Map old;  // the previous table, moving over
    size_t full_rehashes = 0;

    V* find(const K& key) {
      if (auto it = now.find(key); it != now.end()) return &it->second;
      if (auto it = old.find(key); it != old.end()) return &it->second;
      return nullptr;
    }
    V& operator[](const K& key) {
      if (auto it = now.find(key); it != now.end()) return it->second;
      make_room();
      const size_t buckets = now.bucket_count();
      V* v;
      if (auto it = old.find(key); it != old.end())
        v = &now.insert(old.extract(it)).position->second;  // the same node
      else
        v = &now.try_emplace(key).first->second;
      full_rehashes += now.bucket_count() != buckets;
      return *v;
    }
    bool erase(const K& key) { return now.erase(key) > 0 || old.erase(key) > 0; }

    // Before an insertion into `now`: when it would rehash, starts a table
    // twice the size instead; then moves a few old entries over.
    void make_room() {
      // In double, less a margin: a float product may round up past what
      // the table holds without rehashing.
      const auto capacity = static_cast<size_t>(static_cast<double>(now.max_load_factor()) *
                                                static_cast<double>(now.bucket_count()) * 0.999);
      if (now.size() + 1 + kMovesPerInsert > capacity) {
        // The old table had kMovesPerInsert entries moved per insertion
        // since the last growth: it is empty by now unless it was tiny.
        while (!old.empty()) now.insert(old.extract(old.begin()));
        old.swap(now);
        now.reserve(2 * old.size() + 16);
      }
      for (size_t i = 0; i < kMovesPerInsert && !old.empty(); ++i)
        now.insert(old.extract(old.begin()));
    }
  };

  Shard& shard(const K& key) {
    // The hash's high bits, mixed (a time-ordered id's are alike).
    const uint64_t h = static_cast<uint64_t>(Hash{}(key)) * 0x9E3779B97F4A7C15ull;
    return shards_[h >> 60];
  }

  std::array<Shard, kShards> shards_;
};

}  // namespace comanda::engine
