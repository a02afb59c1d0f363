// One HTTP connection (Beast), in the manner of Beast's http_session: wait
// for a request, read it, hand it to the handler, write the reply (whenever
// and from whichever thread it comes), wait for the next. An upgrade to
// /v1/ws becomes a WebSocketSession, which takes the connection's slot.
//
// Two deadlines defeat slow clients: a keep-alive connection may wait up to
// the idle timeout for its next request, and once a request's first byte is
// in, the whole request (head and body) must arrive within the read timeout
// (SessionContext).
//
// Threads: the network threads, on the connection's strand; stop() on any.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/auth/authenticator.h"
#include "api/http/beast_response.h"
#include "api/http/connections.h"
#include "api/http/rate_limiter.h"
#include "api/ws/feed.h"

namespace comanda::api {

// What every connection of a server shares. Must outlive the sessions.
struct SessionContext {
  const RequestHandler& handler;
  EventFeed& feed;
  const Authenticator& auth;
  const RequestAs& request_as;  // a WebSocket's requests (driver locations)
  const OnServed& served;       // unset: nobody is told
  RateLimiter* limiter;         // a WebSocket's messages count against it (null: none)
  Connections& connections;
  std::chrono::seconds idle_timeout{60};  // a keep-alive connection's wait for its next request
  std::chrono::seconds read_timeout{10};  // one request, head and body, once its first byte is in
};

class HttpSession : public Stoppable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Socket&& socket, const SessionContext& context, Connections::Slot slot);

  void run();
  // Finishes the request in hand (if any), answers it with
  // `Connection: close`, and closes; an idle connection closes at once.
  void stop() override;

 private:
  void do_read();
  void wait_for_request();
  void read_request();
  void on_read(beast::error_code ec, size_t bytes);
  void write(Response response);
  void shutdown();
  // Stops sending, then reads and discards for a bounded time and amount
  // before closing (see the .cpp).
  void linger_close();
  void drain(size_t drained);

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const SessionContext& context_;
  Connections::Slot slot_;
  std::string peer_;  // the client's address
  // The request in hand, for the access log and /metrics.
  std::string method_, target_;
  Dispatch dispatch_;
  std::string out_;  // the answer being written, as bytes (reused)
  std::chrono::steady_clock::time_point read_at_;
  bool keep_alive_ = true;
  bool head_ = false;                  // the request being answered is a HEAD
  bool waiting_ = false;               // for a request's first byte: stop() may close at once
  bool stopping_ = false;              // the server shuts down: no request after this one
  std::array<char, 16384> scratch_{};  // discarded input while lingering
};

}  // namespace comanda::api
