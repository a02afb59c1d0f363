// HTTP requests and responses as the handlers see them: plain structs, so
// that Beast stays inside api/http/ and api/ws/websocket_session (compiled into
// comandad alone) and the build stays fast.
#pragma once

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

// Answers a request through its Reply, now or later, from any thread.
using RequestHandler = std::function<void(const Request&, Reply)>;

// Answers a request made as `who`, already identified (a WebSocket's
// location messages: api/routes/router.h, dispatch_as()).
using RequestAs = std::function<void(const engine::Principal& who, const Request&, Reply)>;

// Runs a task on a network thread. Used to keep response building off the
// write pipeline's threads.
using Post = std::function<void(std::function<void()>)>;

}  // namespace comanda::api
