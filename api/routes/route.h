// A route of the REST API, described once: method and pattern, who may call
// it, the schemas and problem types it has (for the API's description), and
// what it does: a query answered from the read models, or a command for the
// engine, run by the one command path (api/routes/command_path.h). Each
// resource has a table of them (api/routes/orders.cpp, ...), and
// api/routes/routes.cpp lists the tables.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/http/http_types.h"
#include "api/metrics/metrics.h"
#include "engine/base/error.h"
#include "engine/domain/aggregates.h"
#include "engine/domain/principal.h"
#include "engine/log/backup.h"
#include "engine/pipeline/command.h"

namespace comanda::projections {
class ProjectionRegistry;
}

namespace comanda::api {

// The values of a route's {placeholders}, in pattern order.
using PathParams = std::vector<std::string>;

// Which roles may call a route: a bit per engine::Role.
using RoleMask = uint8_t;
constexpr RoleMask role_bit(engine::Role role) {
  return static_cast<RoleMask>(1u << static_cast<unsigned>(role));
}
constexpr RoleMask roles(std::initializer_list<engine::Role> list) {
  RoleMask mask = 0;
  for (engine::Role r : list) mask |= role_bit(r);
  return mask;
}
inline constexpr RoleMask kAnyRole = 0xFF;

// What a route's handler gets. `caller` is null on an open route.
struct RouteRequest {
  const Request& http;
  const engine::Principal* caller;
  const PathParams& params;

  const engine::Principal& who() const { return *caller; }
};

// A read: answered at once, from the read models.
using Query = std::function<Response(const RouteRequest&)>;

// A write: the command a request asks for, decided by the engine.
struct CommandSpec {
  using Parse = std::function<engine::Result<engine::CommandBody>(const RouteRequest&)>;
  // `params`: the path's placeholders, as the request had them.
  using Respond = std::function<Response(const engine::Principal& caller,
                                         const engine::CommandResult&, const PathParams& params)>;

  // The command's body from the request, with the ids of what it creates
  // minted; an error is answered as a problem. The domain's rules that need
  // no state (engine::validate_command) are checked after it.
  Parse parse = {};
  // The answer once the command's events are durable and applied (or it was
  // an idempotent replay: then it shows the resource as it is now).
  Respond respond = {};
  // The route takes If-Match: the version the caller expects of the stream.
  bool if_match = false;
  // The command names existing streams of a kind that leaves memory (an
  // order): the command path keeps a copy of it, to submit again once such
  // a stream is read from the log.
  bool may_need_load = false;
};

struct Route {
  std::string_view method = {};  // "POST"
  // "/v1/orders/{id}/status"; also the Idempotency-Key's scope. A
  // placeholder named {id} takes ids only: anything else is answered 404
  // with `absent` before the route runs, as an absent one is.
  std::string_view pattern = {};
  std::string_view absent = {};   // "no such order"
  std::string_view summary = {};  // one line, for the API's description
  bool open = false;              // no token needed (health checks); queries only
  RoleMask roles = kAnyRole;      // the roles that ever may; the aggregates decide the rest
  // For another role, the 403's detail: "a caller with role X <forbidden>".
  std::string_view forbidden = {};
  std::string_view request_schema = {};   // the body's schema ("" without a body)
  bool body_optional = false;             // an empty body is taken as {}, or not read
  std::string_view response_schema = {};  // the success body's schema
  // The statuses answered with response_schema: 201 for a creation, 204 (no
  // body) for a deletion; /readyz answers 503 with it too.
  std::vector<int> statuses = {200};
  // response_schema's media type (a page's is text/html).
  std::string_view media_type = "application/json";
  std::vector<int> problems = {};  // the statuses of the problems it may answer
  std::variant<Query, CommandSpec> action = {};
};

using RouteTable = std::vector<Route>;

// What the route tables read from and write to. Must outlive the routes.
struct ApiContext {
  using StreamReader = std::function<engine::Status(
      const engine::Uuid&, const std::function<bool(const engine::Event&)>&)>;

  const projections::ProjectionRegistry& views;  // the read models
  std::function<uint64_t()> committed_position;  // the pipeline's
  std::string default_time_zone = "UTC";         // for restaurants registered without one
  // The log's events of one stream, in order, up to the committed position,
  // read on the calling thread (an audit trail: the log itself, not a model).
  StreamReader read_stream = {};
  // What the routes measure, shown at GET /metrics.
  std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>();
  // Why the node should not be sent traffic now ("" when it should): the
  // log refused a write and writes answer 503 until it recovers. Unset:
  // always ready.
  std::function<std::string()> not_ready = {};
  // Writes a backup of the log named `name` into --backup-dir (unset:
  // comandad runs without one).
  std::function<engine::Result<engine::BackupMade>(const std::string& name)> backup = {};
};

}  // namespace comanda::api
