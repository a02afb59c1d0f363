// HTTP requests and responses as the handlers see them: plain structs, so
// that Beast stays inside api/http/ and api/ws/websocket_session (compiled into
// comandad alone) and the build stays fast.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comanda::engine {
struct Principal;
}  // namespace comanda::engine

namespace comanda::api {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::string query;   // after '?', undecoded
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercase
  std::string peer;  // the client's address ("127.0.0.1"); "" when not over a socket

  // The first header named `name` (lowercase), or "" when absent.
  std::string_view header(std::string_view name) const { return find_header(name).value_or(""); }
  // The first header named `name` (lowercase), if the request has one (perhaps empty).
  std::optional<std::string_view> find_header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (k == name) return v;
    return std::nullopt;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Completes a request. Call exactly once, from any thread.
using Reply = std::function<void(Response)>;

// What a handler tells the connection at once about a request it takes,
// before it is answered: the route serving it and who asks (for the access
// log and /metrics), and the caller's rate limit (for its RateLimit-*
// headers).
struct Dispatch {
  static constexpr int kNoRoute = -1;
  int route = kNoRoute;   // index in the route table; kNoRoute: none matched
  std::string principal;  // "role:subject"; "" for no caller
  struct Rate {
    uint32_t limit = 0;  // 0: no rate limit applies, no headers
    uint32_t remaining = 0;
    uint32_t reset_s = 0;
  } rate;
};

// Answers a request through its Reply, now or later, from any thread.
using RequestHandler = std::function<Dispatch(const Request&, Reply)>;

// Told of every HTTP answer on the network thread that writes it, with the
// handler's Dispatch (a default one for what the connection refuses
// itself: malformed requests, limits) and the seconds from the request's
// last byte read to its answer handed to the socket.
struct Served {
  std::string_view method;
  std::string_view target;
  std::string_view peer;
  const Dispatch& dispatch;
  const Response& response;
  double seconds = 0;
};
using OnServed = std::function<void(const Served&)>;

// Answers a request made as `who`, already identified (a WebSocket's
// location messages: api/routes/router.h, dispatch_as()).
using RequestAs = std::function<void(const engine::Principal& who, const Request&, Reply)>;

// Runs a task on a network thread. Used to keep response building off the
// write pipeline's threads.
using Post = std::function<void(std::function<void()>)>;

}  // namespace comanda::api
