// The sequencer's state: every hot stream of every aggregate kind (one Book
// per kind, engine/domain/aggregates.h), the hot window that drops finished
// streams from memory, and the idempotency window. It dispatches each
// command to its kind's decide() and each event to its kind's Book; it knows
// no kind by name.
//
// Threads: owned by the sequencer thread; nothing else may touch it while
// the sequencer runs. Loading from the log happens before the sequencer
// starts or on its own thread after a failed write. load_stream() is static
// and safe on any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/base/row_sink.h"
#include "engine/domain/aggregates.h"
#include "engine/domain/decision.h"
#include "engine/domain/event.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/command.h"
#include "engine/pipeline/hot_window.h"
#include "engine/pipeline/idempotency_window.h"

namespace comanda::engine {

// Everything decide() needs to stamp the events of one batch.
struct BatchContext {
  int64_t recorded_at_us = 0;  // read once per batch
  uint64_t next_position = 1;  // position of the next event decided
  // Where decide() puts the idempotency records of accepted commands, to be
  // written with the batch's events (may be null when none are expected).
  std::vector<IdempotencyRecord>* idempotency_out = nullptr;
};

class HotState {
 public:
  struct Options {
    // How long an idempotency key is remembered.
    int64_t idempotency_window_us = int64_t{24} * 3600 * 1'000'000;
    // How long a finished stream (an order) stays in memory after its last change.
    int64_t hot_window_us = int64_t{15} * 60 * 1'000'000;
  };
  HotState() : HotState(Options{}) {}
  explicit HotState(Options options)
      : options_(options), idempotency_(options.idempotency_window_us) {}

  // Decides `command`. On acceptance, appends its events to `out` (positions
  // from ctx.next_position, which advances), applies them to the state, and
  // returns where they landed. On refusal, returns the Error; state and `out`
  // are untouched. When the command names a stream that has left memory and
  // is not among command.cold, returns NeedsLoad, also untouched. The
  // command's body may be moved from (its data goes into the events without
  // a copy); its principal, ids and `done` are left alone.
  CommandOutcome decide(Command& command, BatchContext& ctx, std::vector<Event>& out);
  CommandOutcome decide(Command&& command, BatchContext& ctx, std::vector<Event>& out) {
    return decide(command, ctx, out);
  }

  // Applies one committed event (used when loading from the log).
  void apply(const Event& event);

  // Replaces the state with the one the log holds, with the idempotency
  // records within the window before `now_us` (all of them without it).
  // All or nothing: on the log's error the state is left as it was.
  // `also`, if given, sees every event of the scan too, so that a caller
  // rebuilding other state (the read models at start) reads the log once.
  Status load(const EventLog& log, std::optional<int64_t> now_us = std::nullopt,
              const std::function<void(const Event&)>& also = {});

  // Applies a committed event to a state whose finished streams may have
  // left memory (one restored from a snapshot, or evicting as it follows the
  // log): a stream the event continues is read back from the log first.
  Status follow(const EventLog& log, const Event& event);

  // Replaces the idempotency window with the log's records within the
  // window before `now_us` (all of them without it).
  Status load_idempotency(const EventLog& log, std::optional<int64_t> now_us);

  // The state as snapshot rows (engine/pipeline/state_snapshot.h: every hot
  // stream, every restaurant's last order number, each driver's standing
  // offers; not the idempotency window, which the log keeps), and back:
  // restore_row() into an empty state for each row save() wrote, then
  // finish_restore() once. A row that does not read back is kCorruption.
  Status save(const RowSink& put) const;
  Status restore_row(std::string_view key, std::string_view value);
  void finish_restore(int64_t last_recorded_at_us);
  // Empty again, with the same options.
  void clear() { *this = HotState(options_); }

  // Drops finished streams whose last change is older than the hot window and
  // is committed (at or before `committed_position`). Memory then holds the
  // live orders and a recent window of finished ones, not the history.
  void evict_finished(int64_t now_us, uint64_t committed_position);

  // A stream read from the log for a command on a stream that has left
  // memory (Command::cold), up to the committed position. Called on a
  // network thread; no events when the log has no such stream.
  static Result<ColdStream> load_stream(const EventLog& log, const Uuid& id,
                                        uint64_t committed_position = UINT64_MAX);

  // The newest recorded time applied, so that time never goes backwards.
  int64_t last_recorded_at_us() const { return last_recorded_at_us_; }

  // How many streams of every kind memory holds (about the rows save() writes).
  size_t streams() const {
    return std::apply([](const auto&... book) { return (size_t{0} + ... + book.size()); }, books_);
  }

  // The hot state of stream `id` of kind K, or null.
  template <class K>
  const typename K::State* find(const Uuid& id) const {
    return book<K>().find(id);
  }
  template <class K>
  const typename K::Book& book() const {
    return std::get<typename K::Book>(books_);
  }

 private:
  using HotWindows = AggregateKinds::Each<HotWindow>;

  // Applies a cold stream's events to its Book if the stream is not in
  // memory; true if it did.
  bool take_cold(const ColdStream& cold);
  void kept(const ColdStream& cold);    // a stream taken from cold stays: the window hears of it
  void forget(const ColdStream& cold);  // drops a stream taken from cold
  Status load_into(const EventLog& log, std::optional<int64_t> now_us,
                   const std::function<void(const Event&)>& also);  // on an empty state

  Options options_;
  Books books_;
  HotWindows windows_;
  IdempotencyWindow idempotency_;
  int64_t last_recorded_at_us_ = 0;
  std::vector<const ColdStream*> taken_;  // cold streams applied for the command being decided
};

}  // namespace comanda::engine
