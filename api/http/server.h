// The network side of comandad: a Boost.Beast HTTP/1.1 server on a pool of
// network threads (the listener of Beast's examples), with WebSocket upgrades
// at /v1/ws. One session object per connection (api/http/http_session.h,
// api/ws/websocket_session.h), all of its work on its own strand.
//
// Connections beyond `max_connections` are answered 503 and closed at once.
// SIGTERM or SIGINT stops it gracefully: no new connection is taken, every
// open one finishes the request in hand (a WebSocket, what it has queued)
// and closes; run() returns when none is left or `shutdown_grace` has
// passed, whichever comes first. A second signal returns at once.
//
// Threads: construct and run() on the main thread; post()/post_in_order(),
// stopping() and connections() are safe on any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/auth/authenticator.h"
#include "api/http/connections.h"
#include "api/http/http_types.h"
#include "api/http/rate_limiter.h"
#include "api/ws/feed.h"

namespace comanda::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  int threads = 2;       // network threads
  size_t max_connections = 10'000;
  std::chrono::milliseconds shutdown_grace{10'000};
  std::chrono::seconds idle_timeout{60};  // a keep-alive connection's wait for its next request
  std::chrono::seconds read_timeout{10};  // a request, head and body, once begun
};

class Server {
 public:
  // Binds the listening socket; throws std::runtime_error with a clear
  // message when it cannot.
  explicit Server(const ServerOptions& options);
  ~Server();

  uint16_t port() const;
  // Runs a task on some network thread.
  Post post();
  // Runs tasks one at a time in the order posted (a strand).
  Post post_in_order();

  // Whether a graceful stop has begun (readiness answers 503 meanwhile).
  bool stopping() const;
  const Connections& connections() const;

  // Serves until stopped (see above). `handler` answers HTTP requests;
  // `feed` takes WebSocket subscribers once `auth` knows who they are;
  // `served` (if set) is told of every answer; a WebSocket's location
  // messages are counted by `limiter` (if any). All must outlive run().
  void run(const RequestHandler& handler, EventFeed& feed, const Authenticator& auth,
           const RequestAs& request_as, const OnServed& served, RateLimiter* limiter);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace comanda::api
