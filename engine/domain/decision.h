// What a decide() function sees and produces for one command: who asks and
// the version they expect, read-only state of every kind, and the events it
// emits. The pipeline (engine/pipeline/hot_state.h) builds one per command,
// applies the emitted events if the command is accepted and drops them if
// it is refused. A decide() that accepts emits at least one event, or says
// the stream is unchanged(); one that refuses emits none.
//
// Not thread-safe: the sequencer's, for the length of one decide().
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/aggregates.h"
#include "engine/domain/event.h"

namespace comanda::engine {

// A stream that had left memory, as read from the log for a command that
// names it: its events, in order (none when the log has no such stream).
struct ColdStream {
  Uuid id;
  std::vector<Event> events;
};

class Decision {
 public:
  // How emitted events are stamped.
  struct Stamp {
    int64_t recorded_at_us = 0;  // the batch's time
    uint64_t next_position = 1;  // of the first event emitted
    Uuid correlation_id;
  };

  // Events are appended to `out`. `cold` lists the streams loaded from the
  // log for this command: a stream of an evictable kind that is neither in
  // memory nor among them is recorded as missing (see missing()).
  Decision(const Books& books, const Principal& caller, std::optional<uint64_t> expected_version,
           std::span<const ColdStream> cold, const Stamp& stamp, std::vector<Event>& out)
      : books_(books),
        caller_(caller),
        expected_version_(expected_version),
        cold_(cold),
        stamp_(stamp),
        out_(out),
        first_(out.size()) {}
  Decision(const Decision&) = delete;
  Decision& operator=(const Decision&) = delete;

  const Principal& caller() const { return caller_; }
  // The batch's time (the events' recorded_at): the domain's only clock.
  int64_t now_us() const { return stamp_.recorded_at_us; }

  // kVersionMismatch when the caller expected another version of the stream
  // it targets (HTTP If-Match) than `current`.
  Status expect_version(uint64_t current) const {
    if (expected_version_ && *expected_version_ != current)
      return Error::version_mismatch(*expected_version_, current);
    return {};
  }

  // The state of stream `id` of kind K, or null. For an evictable kind, null
  // may only mean "not in memory": then the stream is recorded as missing,
  // and the pipeline loads it and decides the command again.
  template <class K>
  const typename K::State* find(const Uuid& id) {
    const typename K::State* state = book<K>().find(id);
    if constexpr (Evictable<K>) {
      if (!state && !missing_ && !loaded(id)) missing_ = id;
    }
    return state;
  }

  // Every hot stream of kind K, read-only (a lookup here records no miss).
  template <class K>
  const typename K::Book& book() const {
    return std::get<typename K::Book>(books_);
  }

  // Appends an event to `target.stream`, at the version after
  // `target.version` (or after the stream's last event in this decision).
  template <class E>
  void emit(const Target& target, E&& payload) {
    Event& e = stamp(target);
    e.payload.template emplace<std::decay_t<E>>(std::forward<E>(payload));
  }

  // As emit(), recorded as the engine's doing rather than the caller's: what
  // the engine decides in consequence (an offer, a geofence step).
  template <class E>
  void emit_by_engine(const Target& target, E&& payload) {
    emit(target, std::forward<E>(payload));
    out_.back().actor = kEnginePrincipal;
  }

  // Accepts the command with nothing to record: what it asks for is so
  // already. The caller is answered with `target`'s stream as it is.
  void unchanged(const Target& target) { unchanged_ = target; }

  // After decide(): the stream an accepted command that emitted nothing
  // answers with (unchanged()), if any.
  const std::optional<Target>& unchanged_target() const { return unchanged_; }
  // After decide(): the first stream found missing, if any.
  const std::optional<Uuid>& missing() const { return missing_; }
  // After decide(): the position after the last event emitted.
  uint64_t next_position() const { return stamp_.next_position; }
  // The position of the event emitted last (0 before the first).
  uint64_t last_emitted_position() const { return out_.size() > first_ ? out_.back().position : 0; }
  // Where this decision's events start in `out`.
  size_t first_event() const { return first_; }

 private:
  Event& stamp(const Target& target) {
    uint64_t version = target.version;
    for (size_t i = first_; i < out_.size(); ++i)
      if (out_[i].stream == target.stream) version = std::max(version, out_[i].stream_version);
    Event& e = out_.emplace_back();
    e.position = stamp_.next_position++;
    e.stream = target.stream;
    e.stream_version = version + 1;
    e.partition = target.partition;
    e.recorded_at_us = stamp_.recorded_at_us;
    e.actor = caller_;
    e.correlation_id = stamp_.correlation_id;
    return e;
  }
  bool loaded(const Uuid& id) const;

  const Books& books_;
  const Principal& caller_;
  std::optional<uint64_t> expected_version_;
  std::span<const ColdStream> cold_;
  Stamp stamp_;
  std::vector<Event>& out_;
  size_t first_;
  std::optional<Uuid> missing_;
  std::optional<Target> unchanged_;
};

}  // namespace comanda::engine
