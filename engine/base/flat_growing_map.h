// A hash map for the hot streams (orders, drivers, ...) by id: flat, and
// growing without stopping. GrowingMap (engine/base/growing_map.h) avoids
// the all-at-once rehash but is built of std::unordered_map: a lookup walks
// a bucket array and a chain of nodes, a cache miss each, and moving an
// entry to a larger table touches its node. Here each shard is an
// open-addressing table of {key, pointer to the value} (linear probing), so a
// lookup compares keys in one contiguous run of slots and touches the value
// only once found; values live in nodes of their own, so references to them
// stay valid as the map grows.
//
// Growth is incremental, as in GrowingMap: a shard that fills (3/4 of its
// slots) starts a table twice the size, and every insertion after it moves
// up to two entries from the old one (a slot copy: key and pointer, the
// value untouched), so no insertion does more than a few slots' work and
// the old table is empty long before the new one fills. Lookups look in
// both. The new table is emptied ahead of need, 32 slots per insertion from
// 5/8 full on, since zeroing megabytes at once would be a stall of its own.
// The new table deletes by shifting its probe run back; the old one, which
// only empties, marks erased slots, so its probe runs stay whole.
//
// The key must be trivially copyable (a Uuid); not thread-safe, like
// std::unordered_map (const lookups may run on many threads at once).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace comanda::engine {

template <class K, class V, class Hash = std::hash<K>>
requires std::is_trivially_copyable_v<K>
class FlatGrowingMap {
 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kMovesPerInsert = 2;
  // Slots looked at per insertion, at most, besides moves.
  static constexpr size_t kScanPerInsert = 8;
  // Slots of the next table emptied per insertion.
  static constexpr size_t kClearPerInsert = 32;

  FlatGrowingMap() = default;
  ~FlatGrowingMap() { clear(); }
  FlatGrowingMap(const FlatGrowingMap& other) {
    other.for_each([&](const K& k, const V& v) { (*this)[k] = v; });
  }
  FlatGrowingMap& operator=(const FlatGrowingMap& other) {
    if (this != &other) {
      FlatGrowingMap copy(other);
      swap(copy);
    }
    return *this;
  }
  FlatGrowingMap(FlatGrowingMap&& other) noexcept { swap(other); }
  FlatGrowingMap& operator=(FlatGrowingMap&& other) noexcept {
    if (this != &other) {
      clear();
      swap(other);
    }
    return *this;
  }
  void swap(FlatGrowingMap& other) noexcept { shards_.swap(other.shards_); }

  V* find(const K& key) {
    const uint64_t h = mix(key);
    Shard& s = shards_[h >> 60];
    if (Slot* f = s.now.find(key, h)) return &f->node->value;
    if (Slot* f = s.old.find(key, h)) return &f->node->value;
    return nullptr;
  }
  const V* find(const K& key) const { return const_cast<FlatGrowingMap*>(this)->find(key); }

  // The entry for `key`, created (value-initialized) if absent.
  V& operator[](const K& key) {
    const uint64_t h = mix(key);
    Shard& s = shards_[h >> 60];
    if (Slot* f = s.now.find(key, h)) return f->node->value;
    // Room first, so that an allocation that throws leaves every entry in
    // place; making room may move the old table's last entries, this too.
    if (s.make_room())
      if (Slot* f = s.now.find(key, h)) return f->node->value;
    Node* node;
    if (Slot* f = s.old.find(key, h)) {  // moves to the new table now
      node = f->node;
      s.old.mark_erased(*f);
    } else {
      node = new Node();
    }
    s.now.insert(key, h, node);
    s.move_some();
    return node->value;
  }

  bool erase(const K& key) {
    const uint64_t h = mix(key);
    Shard& s = shards_[h >> 60];
    if (Slot* f = s.now.find(key, h)) {
      delete f->node;
      s.now.remove(f);
      return true;
    }
    if (Slot* f = s.old.find(key, h)) {
      delete f->node;
      s.old.mark_erased(*f);
      return true;
    }
    return false;
  }

  size_t size() const {
    size_t n = 0;
    for (const Shard& s : shards_) n += s.now.used + s.old.used;
    return n;
  }
  bool empty() const { return size() == 0; }
  void clear() {
    for (Shard& s : shards_) s.destroy();
  }
  // Whether entries are still moving to a new table somewhere (for tests).
  bool growing() const {
    for (const Shard& s : shards_)
      if (s.old.slots) return true;
    return false;
  }

  // fn(key, value) for every entry, in no order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Shard& s : shards_) {
      s.old.for_each(fn);
      s.now.for_each(fn);
    }
  }
  template <class Fn>
  void for_each(Fn&& fn) {
    for (Shard& s : shards_) {
      s.old.for_each(fn);
      s.now.for_each(fn);
    }
  }

 private:
  struct Node {
    V value{};
  };
  struct Slot {
    K key;
    Node* node;  // null: empty; erased(): a mark in the old table
  };
  static Node* erased() { return reinterpret_cast<Node*>(alignof(Node)); }
  // Slots as raw memory: `new Slot[n]` would construct (zero) every key at
  // once, the stall the clearing a piece at a time exists to avoid. A Slot
  // is an aggregate of trivial parts, so operator new's storage holds them.
  struct FreeSlots {
    void operator()(Slot* slots) const { ::operator delete(slots); }
  };
  using Slots = std::unique_ptr<Slot[], FreeSlots>;
  static Slots uncleared(size_t n) {
    return Slots(static_cast<Slot*>(::operator new(n * sizeof(Slot))));
  }

  // The hash's bits, mixed (a time-ordered id's high bits are alike): the
  // top four pick the shard, the next ones the slot.
  static uint64_t mix(const K& key) {
    return static_cast<uint64_t>(Hash{}(key)) * 0x9E3779B97F4A7C15ull;
  }

  struct Table {
    Slots slots;      // null until the first insertion
    size_t mask = 0;  // capacity - 1
    int shift = 60;   // slot of hash h: (h >> shift) & mask
    size_t used = 0;  // entries
    size_t next = 0;  // the old table: the first slot not yet moved

    size_t capacity() const { return slots ? mask + 1 : 0; }
    size_t home(uint64_t h) const { return static_cast<size_t>(h >> shift) & mask; }

    // Takes `cleared`, `capacity` slots all empty.
    void adopt(Slots cleared, size_t capacity) {
      slots = std::move(cleared);
      mask = capacity - 1;
      shift = 60 - std::countr_zero(capacity);
      used = 0;
      next = 0;
    }
    void destroy() {
      for (size_t i = 0; i < capacity(); ++i)
        if (slots[i].node != erased()) delete slots[i].node;
      slots.reset();
      mask = 0;
      used = 0;
      next = 0;
    }

    Slot* find(const K& key, uint64_t h) {
      if (!slots) return nullptr;
      for (size_t i = home(h);; i = (i + 1) & mask) {
        Slot& s = slots[i];
        if (s.node == nullptr) return nullptr;
        if (s.node != erased() && std::equal_to<K>{}(s.key, key)) return &s;
      }
    }
    // `key` is not in the table, which has room.
    void insert(const K& key, uint64_t h, Node* node) {
      size_t i = home(h);
      while (slots[i].node != nullptr) i = (i + 1) & mask;
      slots[i] = Slot{key, node};
      ++used;
    }
    // The new table: the slot emptied, and later slots of its probe run
    // shifted back into it so that no lookup stops short.
    void remove(Slot* slot) {
      size_t hole = static_cast<size_t>(slot - slots.get());
      for (size_t j = (hole + 1) & mask; slots[j].node != nullptr; j = (j + 1) & mask) {
        const size_t want = home(mix(slots[j].key));
        // The entry at j may fill the hole unless its home lies after the
        // hole, up to j (cyclically).
        const bool stays = hole <= j ? (want > hole && want <= j) : (want > hole || want <= j);
        if (!stays) {
          slots[hole] = slots[j];
          hole = j;
        }
      }
      slots[hole].node = nullptr;
      --used;
    }
    // The old table: a mark, which lookups pass over.
    void mark_erased(Slot& slot) {
      slot.node = erased();
      --used;
    }

    template <class Fn>
    void for_each(Fn&& fn) const {
      for (size_t i = 0; i < capacity(); ++i)
        if (const Slot& s = slots[i]; s.node != nullptr && s.node != erased())
          fn(s.key, std::as_const(s.node->value));
    }
    template <class Fn>
    void for_each(Fn&& fn) {
      for (size_t i = 0; i < capacity(); ++i)
        if (Slot& s = slots[i]; s.node != nullptr && s.node != erased()) fn(s.key, s.node->value);
    }
  };

  struct Shard {
    Table now;  // new entries go here
    Table old;  // the previous table, moving over
    // The table after `now`, twice its size, emptied a piece per insertion
    // from 5/8 full on (clearing it at once would stall: megabytes).
    Slots next;
    size_t next_cleared = 0;

    // Before an insertion into `now`: when it would pass 3/4 full, it
    // becomes the old table and the next one starts. True if entries of
    // the old table moved.
    bool make_room() {
      const size_t capacity = now.capacity();
      if (8 * now.used >= 5 * capacity) clear_next(kClearPerInsert);
      if (4 * (now.used + 1) <= 3 * capacity) return false;
      // Drained since the last growth unless that one was tiny.
      const bool moved = old.slots != nullptr;
      while (old.slots) move_some();
      clear_next(SIZE_MAX);  // cleared already, but for the first tables
      old = std::move(now);
      now.adopt(std::move(next), std::max<size_t>(16, 2 * capacity));
      next_cleared = 0;
      return moved;
    }
    void clear_next(size_t most) {
      const size_t size = std::max<size_t>(16, 2 * now.capacity());
      if (!next) {
        next = uncleared(size);  // cleared below, a piece at a time
        next_cleared = 0;
      }
      const size_t n = std::min(most, size - next_cleared);
      std::fill_n(next.get() + next_cleared, n, Slot{});
      next_cleared += n;
    }
    void destroy() {
      now.destroy();
      old.destroy();
      next.reset();
      next_cleared = 0;
    }
    // A few entries of the old table moved to the new one.
    void move_some() {
      if (!old.slots) return;
      size_t moved = 0;
      for (size_t looked = 0; old.next < old.capacity() && moved < kMovesPerInsert &&
                              looked < kScanPerInsert + kMovesPerInsert;
           ++old.next, ++looked) {
        Slot& s = old.slots[old.next];
        if (s.node == nullptr || s.node == erased()) continue;
        now.insert(s.key, mix(s.key), s.node);
        s.node = erased();
        --old.used;
        ++moved;
      }
      if (old.next == old.capacity() || old.used == 0) old = Table{};
    }
  };

  std::array<Shard, kShards> shards_;
};

}  // namespace comanda::engine
