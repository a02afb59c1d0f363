// The one way a request becomes a command for the engine, whatever the
// route: If-Match, the body (the route's parse), the domain's rules that need
// no state, the Idempotency-Key (scoped to the caller and the route), submit;
// then the route's answer once the command is durable, or a problem. A
// command that names a stream which has left the sequencer's memory comes
// back as NeedsLoad: the stream is read from the log here, on a network
// thread, and the command submitted again with it attached.
//
// Threads: run() on network threads. Completions arrive on the pipeline's
// publisher stage and are posted to a network thread before anything else.
#pragma once

#include <functional>
#include <memory>

#include "api/http/http_types.h"
#include "api/routes/route.h"
#include "engine/base/error.h"
#include "engine/domain/decision.h"
#include "engine/pipeline/command.h"

namespace comanda::api {

class CommandPath {
 public:
  // Queues a command; false when the queue is full (engine::Sequencer::submit).
  using Submit = std::function<bool(engine::Command&&)>;
  // Reads a stream from the log, up to the committed position.
  using LoadStream = std::function<engine::Result<engine::ColdStream>(const engine::Uuid&)>;

  CommandPath(Submit submit, LoadStream load_stream, Post post)
      : submit_(std::move(submit)), load_stream_(std::move(load_stream)), post_(std::move(post)) {}

  // Runs `spec` of `route` for an authenticated request; answers through `reply`.
  void run(const Route& route, const CommandSpec& spec, const RouteRequest& request,
           Reply reply) const;

 private:
  struct Pending;  // a submitted command, and how to answer for it
  void submit(std::shared_ptr<Pending> pending, engine::Command command) const;
  void complete(const std::shared_ptr<Pending>& pending,
                const engine::CommandOutcome& outcome) const;

  Submit submit_;
  LoadStream load_stream_;
  Post post_;
};

// If-Match: "3", W/"3" or 3. Absent or "*": nullopt. Malformed: an error (400).
engine::Result<std::optional<uint64_t>> parse_if_match(std::string_view value);

// The idempotency scope of a keyed request: the caller (role and a
// length-prefixed subject: no subject can pass for another's), the route's
// method and pattern, and the key. Stored in the log: never change its form.
std::string idempotency_scope(const engine::Principal& caller, const Route& route,
                              std::string_view key);

}  // namespace comanda::api
