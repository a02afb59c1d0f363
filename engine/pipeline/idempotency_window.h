// The idempotency keys of accepted commands, kept for a window (24 hours by
// default), so that a repeat returns the first result and appends nothing.
//
// Threads: the sequencer's, like the rest of the hot state.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>

#include "engine/base/growing_map.h"
#include "engine/log/idempotency.h"

namespace comanda::engine {

class IdempotencyWindow {
 public:
  explicit IdempotencyWindow(int64_t window_us) : window_us_(window_us) {}

  // The record under `scope`, if one is kept at `now_us` (records older than
  // the window are forgotten first).
  const IdempotencyRecord* find(const std::string& scope, int64_t now_us);
  // Keeps `record` (records come in time order).
  void remember(IdempotencyRecord record);
  int64_t window_us() const { return window_us_; }

 private:
  void forget_expired(int64_t now_us);

  int64_t window_us_;
  GrowingMap<std::string, IdempotencyRecord> records_;  // grows without stalling the sequencer
  std::deque<std::pair<int64_t, std::string>> by_age_;  // (recorded_at, scope), oldest first
};

}  // namespace comanda::engine
