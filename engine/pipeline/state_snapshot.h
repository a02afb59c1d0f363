// The sequencer's state at a checkpoint (DESIGN.md "Storage"): every hot
// stream, every restaurant's last order number, each driver's standing
// offers and the scheduler's open orders, as rows (engine/log/state_codec.h)
// in views/. A start restores it and replays only the log after its
// checkpoint; the idempotency window is read from the log, which keeps it.
//
// A snapshot is usable only with the log it was taken of (the hash-chain
// link at its checkpoint must match) and with this format and code version;
// any other is ignored and the state is replayed from the log whole.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/base/error.h"
#include "engine/base/row_sink.h"
#include "engine/log/event_log.h"
#include "engine/log/state_codec.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/scheduler.h"

namespace comanda::engine {

// Where snapshots of the state are kept (views/: projections/view_store.h).
class StateStore {
 public:
  virtual ~StateStore() = default;
  // Replaces the snapshot with the rows `write` hands its sink, then
  // `header` (its row count filled in). A crash halfway leaves no snapshot,
  // never a mixed one.
  virtual Status write_state(StateSnapshotHeader header,
                             const std::function<Status(const RowSink&)>& write) = 0;
  // The snapshot's header, if there is one.
  virtual Result<std::optional<StateSnapshotHeader>> state_header() = 0;
  // Every row of the snapshot.
  virtual Status read_state(const RowSink& row) = 0;
};

// Writes `state` and `scheduler`, which have applied the log up to
// `checkpoint` (the end of one of its batches) and stay still meanwhile.
Status write_state_snapshot(StateStore& store, const EventLog& log, uint64_t checkpoint,
                            const HotState& state, const Scheduler& scheduler);

// Restores the snapshot into an empty `state` and `scheduler` if it is
// usable with `log`. Returns its checkpoint; or 0, with both left empty and
// `why` (if given) saying why.
Result<uint64_t> read_state_snapshot(StateStore& store, const EventLog& log, HotState& state,
                                     Scheduler& scheduler, std::string* why = nullptr);

}  // namespace comanda::engine
