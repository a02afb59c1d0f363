// A command as the pipeline carries it: the body to decide (one of the
// kinds' commands, engine/domain/aggregates.h), who asks, the version they
// expect, how to answer them, and its idempotency key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/ids.h"
#include "engine/domain/aggregates.h"
#include "engine/domain/decision.h"
#include "engine/domain/principal.h"

namespace comanda::engine {

// What the caller learns once its command is decided and, if accepted, durable.
struct CommandResult {
  Uuid stream;                  // the stream of the command's first event
  uint64_t stream_version = 0;  // that stream's version after the command
  uint64_t position = 0;        // of the command's last event
  bool replayed = false;        // a repeat of an idempotent command: nothing was appended
};

// What a command comes to: a result, a refusal, or (inside the engine only,
// never sent to a client) "load this stream from the log and submit again":
// the command names a stream that has left memory (Command::cold).
class CommandOutcome {
 public:
  struct NeedsLoad {
    Uuid stream;
  };
  CommandOutcome(CommandResult result) : v_(std::move(result)) {}  // NOLINT: implicit by design
  CommandOutcome(Error error) : v_(std::move(error)) {}            // NOLINT: implicit by design
  CommandOutcome(NeedsLoad load) : v_(load) {}                     // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const CommandResult& value() const { return std::get<CommandResult>(v_); }
  const CommandResult& operator*() const { return value(); }
  const CommandResult* operator->() const { return &value(); }
  // The refusal. For a NeedsLoad outcome, an error saying so (for messages:
  // never sent to clients); not for an accepted one.
  const Error& error() const;
  // The stream to load first, if that is what the command needs.
  std::optional<Uuid> needs_load() const {
    if (auto* load = std::get_if<NeedsLoad>(&v_)) return load->stream;
    return std::nullopt;
  }

 private:
  std::variant<CommandResult, Error, NeedsLoad> v_;
};

struct Command {
  Principal principal;
  Uuid correlation_id;
  std::optional<uint64_t> expected_version;  // optimistic concurrency
  CommandBody body;
  // Called exactly once, on the publisher stage, after the outcome is final
  // (for an accepted command: after its events are durable and applied to the
  // read models). Must not block: post the work elsewhere.
  std::function<void(const CommandOutcome&)> done;
  size_t bytes = 0;  // approximate size (the request body's), for the queue's byte bound
  // Idempotency: when `idempotency_scope` is set, a repeat of the same
  // request (same hash) within the window returns the first result and
  // appends nothing; another request under the same scope is a kConflict.
  std::string idempotency_scope;
  uint64_t request_hash = 0;
  // Streams the command names that had left the sequencer's memory, as read
  // from the log by a network thread after a NeedsLoad outcome. The
  // sequencer uses one only while the stream is still not in memory
  // (otherwise memory is newer).
  std::vector<ColdStream> cold;
};

// A stable 64-bit hash (FNV-1a) of request bytes; stored, so never changed.
uint64_t request_hash(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ull);

}  // namespace comanda::engine
