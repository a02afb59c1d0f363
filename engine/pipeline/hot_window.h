// The hot window of one aggregate kind: its finished streams, oldest first,
// dropped from memory once finished for longer than the window and
// committed. A kind that is not Evictable (engine/domain/aggregate.h) stays
// in memory whole, and its window does nothing.
//
// Threads: the sequencer's, like the rest of the hot state.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

#include "engine/domain/aggregate.h"
#include "engine/domain/event.h"

namespace comanda::engine {

template <class K>
class HotWindow {
 public:
  void applied(const typename K::State&, const Event&) {}
  void evict(typename K::Book&, int64_t /*cutoff_us*/, uint64_t /*committed_position*/) {}
};

template <Evictable K>
class HotWindow<K> {
 public:
  // After `event` was applied: notes the stream if `state` is finished.
  void applied(const typename K::State& state, const Event& event) {
    if (K::finished(state)) finished_.emplace_back(event.recorded_at_us, event.stream);
  }

  // The finished streams of a restored state, (finished at, stream), oldest
  // first, replacing what it held.
  void restore(std::deque<std::pair<int64_t, Uuid>> finished) { finished_ = std::move(finished); }

  // Drops the streams finished at or before `cutoff_us` whose last event is
  // committed (at or before `committed_position`).
  void evict(typename K::Book& book, int64_t cutoff_us, uint64_t committed_position) {
    while (!finished_.empty() && finished_.front().first <= cutoff_us) {
      const Uuid& id = finished_.front().second;
      if (const typename K::State* state = book.find(id)) {
        // Still being written: keep it (and everything after it) for now.
        if (state->last_position > committed_position) return;
        if (K::finished(*state) && state->updated_at_us <= cutoff_us) book.erase(id);
      }
      finished_.pop_front();
    }
  }

 private:
  std::deque<std::pair<int64_t, Uuid>> finished_;  // (finished at, stream), oldest first
};

}  // namespace comanda::engine
