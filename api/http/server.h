// The network side of comandad: a Boost.Beast HTTP/1.1 server on a pool of
// network threads (the listener of Beast's examples), with WebSocket upgrades
// at /v1/ws. One session object per connection (api/http/http_session.h,
// api/ws/websocket_session.h), all of its work on its own strand.
//
// Threads: construct and run() on the main thread; post()/post_in_order()
// are safe on any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/auth/authenticator.h"
#include "api/http/http_types.h"
#include "api/ws/feed.h"

namespace comanda::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  int threads = 2;       // network threads
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

  // Serves until SIGINT or SIGTERM. `handler` answers HTTP requests; `feed`
  // takes WebSocket subscribers once `auth` knows who they are. All three
  // must outlive run().
  void run(const RequestHandler& handler, EventFeed& feed, const Authenticator& auth,
           const RequestAs& request_as);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace comanda::api
