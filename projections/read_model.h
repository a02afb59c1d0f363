// The frame every in-memory read model shares: one lock, the position the
// model reflects, and apply()/reset() in terms of one event and a clear. A
// model derives from this, adds its state and queries, and says what one
// event does to it (apply_one) and how to forget everything (clear).
//
// The lock serves the publisher before new readers (engine/base/
// shared_mutex.h): queries never hold up the write path for long.
#pragma once

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <vector>

#include "engine/base/ids.h"
#include "engine/base/shared_mutex.h"
#include "projections/projection.h"

namespace comanda::projections {

class ReadModel : public Projection {
 public:
  void apply(std::span<const engine::Event> events) final;
  void reset(uint64_t position) final;
  uint64_t position() const final;

 protected:
  using ReadLock = std::shared_lock<engine::SharedMutex>;
  using WriteLock = std::unique_lock<engine::SharedMutex>;

  // One committed event, the lock held exclusively. Events the model has no
  // use for are ignored.
  virtual void apply_one(const engine::Event& e) = 0;
  // Forgets every row, the lock held exclusively.
  virtual void clear() = 0;

  // A query's lock, held shared (not again by the same thread: the lock is
  // not recursive). `position`, if given, receives the position the answer
  // reflects.
  ReadLock read_lock(uint64_t* position = nullptr) const;
  // The snapshot loader's lock (load_row, finish_load), and a model's own
  // writers' beside the publisher.
  WriteLock write_lock() const { return WriteLock(mu_); }
  // The position, to a holder of either lock.
  uint64_t position_locked() const { return position_; }

 private:
  mutable engine::SharedMutex mu_;
  uint64_t position_ = 0;  // mu_
};

// The keys of a model's map of views by id, oldest first (ids are
// time-ordered), for listings; the caller holds the model's read lock.
template <class Map>
std::vector<engine::Uuid> sorted_ids(const Map& by_id) {
  std::vector<engine::Uuid> out;
  out.reserve(by_id.size());
  for (const auto& entry : by_id) out.push_back(entry.first);
  std::sort(out.begin(), out.end(),
            [](const engine::Uuid& a, const engine::Uuid& b) { return a.raw() < b.raw(); });
  return out;
}

}  // namespace comanda::projections
