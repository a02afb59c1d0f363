// A command as the pipeline carries it: the body to decide, who asks, the
// version they expect, how to answer them, and the idempotency key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/base/ids.h"
#include "engine/domain/commands.h"
#include "engine/domain/principal.h"

namespace comanda::engine {

// What the caller learns once its command is decided and, if accepted, durable.
struct CommandResult {
  Uuid stream;
  uint64_t stream_version = 0;
  uint64_t position = 0;  // of the command's last event
  bool replayed = false;  // a repeat of an idempotent command: nothing was appended
};

using CommandOutcome = Result<CommandResult>;

struct Command {
  Principal principal;
  Uuid correlation_id;
  std::optional<uint64_t> expected_version;  // optimistic concurrency
  CommandBody body;
  // Called exactly once, on the publisher thread, after the outcome is final
  // (for an accepted command: after its events are durable and applied to the
  // read models). Must not block: post the work elsewhere.
  std::function<void(const CommandOutcome&)> done;
  size_t bytes = 0;  // approximate size (the request body's), for the queue's byte bound
  // Idempotency: when `idempotency_scope` is set, a repeat of the same
  // request (same hash) within the window returns the first result and
  // appends nothing; another request under the same scope is a kConflict.
  std::string idempotency_scope;
  uint64_t request_hash = 0;
  // For a command on an order that has left the sequencer's memory: its state
  // as loaded from the log by a network thread. The sequencer uses it only if
  // the order is still not in memory (otherwise memory is newer).
  std::optional<OrderState> cold_order;
};

// A stable 64-bit hash (FNV-1a) of request bytes; stored, so never changed.
uint64_t request_hash(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ull);

}  // namespace comanda::engine
