// The domain without the pipeline: every kind's Book, with calls decided and
// applied one at a time as the sequencer does (no log, no threads, no
// windows). For the domain's tests, which link no RocksDB.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "engine/domain/aggregates.h"
#include "engine/domain/decision.h"
#include "engine/domain/event.h"
#include "engine/domain/handlers.h"
#include "tests/support/builders.h"

namespace comanda::test_support {

inline constexpr int64_t kNow = 1'795'000'000'000'000;

// What deciding one call came to.
struct Decided {
  engine::Status status;                // ok, or the refusal
  std::optional<engine::Uuid> missing;  // a stream the decision needed but memory lacks
  std::vector<engine::Event> events;    // emitted; applied only when accepted

  bool ok() const { return status.ok() && !missing; }
  const engine::Error& error() const { return status.error(); }
  const engine::Event& event() const { return events.back(); }
};

class DomainState {
 public:
  // Decides `call` at `now_us`; applies its events when it is accepted.
  Decided decide(Call call, int64_t now_us = kNow) {
    Decided out;
    engine::Decision decision(books_, call.principal, call.expected_version, {},
                              {now_us, next_position_, correlation_}, out.events);
    out.status = engine::decide_command(call.body, decision);
    out.missing = decision.missing();
    if (!out.ok()) {
      // A decide() that refuses emits nothing (one that needs a load may
      // have emitted before it found the stream missing).
      EXPECT_TRUE(out.missing || out.events.empty()) << "a refused command produced events";
      return out;
    }
    next_position_ = decision.next_position();
    for (const engine::Event& e : out.events) {
      apply(e);
      log_.push_back(e);
    }
    return out;
  }

  // Applies an event as if the log replayed it.
  void apply(const engine::Event& event) { engine::apply_event(books_, event); }

  template <class K>
  const typename K::State* find(const engine::Uuid& id) const {
    return book<K>().find(id);
  }
  template <class K>
  const typename K::Book& book() const {
    return std::get<typename K::Book>(books_);
  }
  // Every event accepted so far, in order.
  const std::vector<engine::Event>& events() const { return log_; }
  uint64_t next_position() const { return next_position_; }
  void set_next_position(uint64_t position) { next_position_ = position; }
  const engine::Uuid& correlation_id() const { return correlation_; }

 private:
  engine::Books books_;
  std::vector<engine::Event> log_;
  uint64_t next_position_ = 1;
  engine::Uuid correlation_ = engine::Uuid::v7();
};

}  // namespace comanda::test_support
