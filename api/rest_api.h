// The REST API of DESIGN.md "API (v1)": one handler per route, all reached
// through one Router. Handlers turn requests into commands for the sequencer
// and answer reads from the read models.
//
// Threads: handle() is called on network threads. Command completions arrive
// on the publisher thread and are moved back to a network thread (`post`)
// before any JSON is built.
#pragma once

#include <string>

#include "api/auth.h"
#include "api/http_types.h"
#include "api/router.h"
#include "engine/domain/decision.h"
#include "engine/domain/principal.h"
#include "engine/pipeline/command.h"

namespace comanda::engine {
class Sequencer;
}
namespace comanda::projections {
class ReadModels;
struct DriverView;
}  // namespace comanda::projections

namespace comanda::api {

struct RestApiOptions {
  std::string default_time_zone = "UTC";  // for restaurants registered without one
  // Reads a stream that left the sequencer's memory from the log (on the
  // calling network thread).
  std::function<engine::Result<engine::ColdStream>(const engine::Uuid&)> load_stream;
};

class RestApi {
 public:
  // `sequencer`, `models` and `auth` must outlive the RestApi.
  RestApi(engine::Sequencer& sequencer, const projections::ReadModels& models,
          const Authenticator& auth, Post post, RestApiOptions options);

  void handle(const Request& request, Reply reply) const {
    router_.dispatch(request, std::move(reply));
  }

 private:
  void healthz(const Request&, const PathParams&, Reply) const;
  // The routes below run only for an authenticated caller, `who`.
  void register_restaurant(const engine::Principal& who, const Request&, const PathParams&,
                           Reply) const;
  void place_order(const engine::Principal& who, const Request&, const PathParams&, Reply) const;
  void get_order(const engine::Principal& who, const Request&, const PathParams&, Reply) const;
  void list_orders(const engine::Principal& who, const Request&, const PathParams&, Reply) const;
  void change_status(const engine::Principal& who, const Request&, const PathParams&, Reply) const;
  void register_driver(const engine::Principal& who, const Request&, const PathParams&,
                       Reply) const;
  void get_driver(const engine::Principal& who, const Request&, const PathParams&, Reply) const;
  void report_location(const engine::Principal& who, const Request&, const PathParams&,
                       Reply) const;
  void get_driver_position(const engine::Principal& who, const Request&, const PathParams&,
                           Reply) const;

  // The driver named by the path if `who` may see it; `position` receives
  // the log position the answer reflects.
  std::optional<projections::DriverView> driver_at(const engine::Principal& who,
                                                   const PathParams& params,
                                                   uint64_t& position) const;

  // Builds the success response from the result of an accepted command.
  using Respond = std::function<Response(const engine::CommandResult&)>;
  // Attaches the request's Idempotency-Key (scoped to the principal and
  // `route`) and submits: see submit().
  void execute(const Request& request, std::string_view route, engine::Command command, Reply reply,
               Respond respond) const;
  // Sets the command's idempotency scope and request hash from the request's
  // Idempotency-Key, if it has one; a malformed key is an error (400).
  engine::Status attach_idempotency(const Request& request, std::string_view route,
                                    engine::Command& command) const;
  // Submits `command`; answers with `respond` once it is durable and applied
  // (or replayed), with a problem if it is refused, or 503 if the queue is
  // full. If the command names a stream that has left the sequencer's
  // memory, reads it from the log (on a network thread) and submits again
  // with it attached.
  void submit(engine::Command command, Reply reply, Respond respond) const;

  engine::Sequencer& sequencer_;
  const projections::ReadModels& models_;
  const Authenticator& auth_;
  Post post_;
  RestApiOptions options_;
  Router router_;
};

}  // namespace comanda::api
