// Dispatches requests to routes (api/routes/route.h): the pattern matched,
// then the caller authenticated (unless the route is open) and its role
// checked, then the route's query run or its command handed to the command
// path. Unknown paths answer 404 and known paths with another method 405,
// both as problems. Built once at start; dispatch() is safe on any thread.
#pragma once

#include <string_view>
#include <vector>

#include "api/auth/authenticator.h"
#include "api/http/http_types.h"
#include "api/http/rate_limiter.h"
#include "api/routes/command_path.h"
#include "api/routes/route.h"

namespace comanda::api {

class Router {
 public:
  // Routes match in table order: put literal paths before patterns that
  // would also match them ("/v1/orders/active" before "/v1/orders/{id}").
  // `auth`, `commands` and `limiter` (if any: callers over their rate are
  // answered 429) must outlive the router. Open routes are never limited.
  Router(RouteTable routes, const Authenticator& auth, const CommandPath& commands,
         RateLimiter* limiter = nullptr);

  Dispatch dispatch(const Request& request, Reply reply) const;
  // The same for a caller already identified (a WebSocket's): `who`, not the
  // request's Authorization header, makes the request. Not rate limited
  // here: the socket counts its messages (a batch of pings is one).
  Dispatch dispatch_as(const engine::Principal& who, const Request& request, Reply reply) const;

  const RouteTable& routes() const { return routes_; }

 private:
  Dispatch route(const Request& request, const engine::Principal* as, Reply reply) const;
  Dispatch run(size_t index, const Request& request, const PathParams& params,
               const engine::Principal* as, Reply reply) const;
  // Takes a token from the caller's bucket; false (and `reply` answered 429)
  // when there is none.
  bool within_rate(std::string_view key, Dispatch& dispatch, Reply& reply) const;

  RouteTable routes_;
  std::vector<std::vector<std::string_view>> segments_;  // per route; "{x}" matches any one
  std::vector<std::vector<size_t>> ids_;                 // per route: which placeholders are {id}s
  const Authenticator& auth_;
  const CommandPath& commands_;
  RateLimiter* limiter_;
};

// Splits a path on '/', dropping the empty first segment.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace comanda::api
