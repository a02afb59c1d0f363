#include "api/http/server.h"

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/http/beast_response.h"
#include "api/http/http_session.h"

namespace comanda::api {
namespace {

// What a connection over the cap is told before it is closed.
constexpr std::string_view kBusyBody =
    R"({"type":"urn:comanda:problem:unavailable","title":"Service unavailable",)"
    R"("status":503,"detail":"too many connections; retry shortly"})";

std::string busy_response() {
  return "HTTP/1.1 503 Service Unavailable\r\nServer: comandad\r\n"
         "Content-Type: application/problem+json\r\nRetry-After: 1\r\nConnection: close\r\n"
         "Content-Length: " +
         std::to_string(kBusyBody.size()) + "\r\n\r\n" + std::string(kBusyBody);
}

// The process may hold as many descriptors as its hard limit allows: raise
// the soft limit (often 1024) so that the connection cap, not the
// descriptor limit, is what refuses clients. Returns the limit in force.
rlim_t raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return raised.rlim_cur;
  }
  return limit.rlim_cur;
}

// The cap in force: at most the descriptors left for connections (the log,
// views/ and the pipeline need some).
size_t connection_cap(size_t wanted) {
  constexpr rlim_t kReserved = 256;
  const rlim_t limit = raise_descriptor_limit();
  const size_t room = limit > 2 * kReserved ? static_cast<size_t>(limit - kReserved) : 64;
  if (wanted <= room) return wanted;
  std::cerr << "comandad: --max-connections " << wanted << " exceeds what the descriptor limit ("
            << limit << ") allows; serving at most " << room << " connections\n";
  return room;
}

}  // namespace

struct Server::Impl {
  explicit Impl(const ServerOptions& o)
      : threads(std::max(1, o.threads)),
        grace(o.shutdown_grace),
        idle_timeout(o.idle_timeout),
        read_timeout(o.read_timeout),
        connections(connection_cap(o.max_connections)) {}

  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::strand<net::io_context::executor_type> feed_strand = net::make_strand(ioc);
  net::steady_timer accept_pause{ioc};  // after a failed accept (out of descriptors)
  net::steady_timer stop_timer{ioc};
  const int threads;
  const std::chrono::milliseconds grace;
  const std::chrono::seconds idle_timeout, read_timeout;
  Connections connections;
  const std::string busy = busy_response();
  std::optional<SessionContext> context;
  std::atomic<bool> stopping{false};

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, Socket socket) {
      if (!acceptor.is_open()) return;
      if (ec) {
        // Out of descriptors (or memory): retrying at once would spin.
        std::cerr << "warning: accept failed: " << ec.message() << "; pausing 100 ms\n";
        accept_pause.expires_after(std::chrono::milliseconds(100));
        accept_pause.async_wait([this](beast::error_code) { do_accept(); });
        return;
      }
      // Every answer is written whole and at once: Nagle's algorithm would
      // only hold back the next one (a WebSocket's second ack, event,
      // ...) until the client's delayed ACK, some 40 ms.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      Connections::Slot slot = connections.open();
      if (Connections::held(slot))
        std::make_shared<HttpSession>(std::move(socket), *context, std::move(slot))->run();
      else
        refuse(std::move(socket));
      do_accept();
    });
  }

  // Over the cap: a 503 without reading the request, then closed. The
  // request is not read: this costs the server one write per refusal.
  void refuse(Socket socket) {
    auto s = std::make_shared<Socket>(std::move(socket));
    net::async_write(*s, net::buffer(busy), [s](beast::error_code, size_t) {
      beast::error_code ignored;
      s->shutdown(tcp::socket::shutdown_send, ignored);
      s->close(ignored);
    });
  }

  void begin_stop() {
    stopping.store(true, std::memory_order_release);
    beast::error_code ignored;
    acceptor.close(ignored);
    accept_pause.cancel();
    connections.stop_all();
    const auto deadline = std::chrono::steady_clock::now() + grace;
    wait_for_connections(deadline);
  }

  void wait_for_connections(std::chrono::steady_clock::time_point deadline) {
    if (connections.count() == 0 || std::chrono::steady_clock::now() >= deadline) {
      if (connections.count() != 0)
        std::cerr << "comandad: " << connections.count()
                  << " connections still open at the shutdown deadline; closing them\n";
      ioc.stop();
      return;
    }
    stop_timer.expires_after(std::chrono::milliseconds(20));
    stop_timer.async_wait([this, deadline](beast::error_code ec) {
      if (!ec) wait_for_connections(deadline);
    });
  }
};

Server::Server(const ServerOptions& options) : impl_(std::make_unique<Impl>(options)) {
  beast::error_code ec;
  const auto address = net::ip::make_address(options.host, ec);
  if (ec) throw std::runtime_error("--listen: '" + options.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + options.host + ":" +
                             std::to_string(options.port) + ": " + ec.message());
}

Server::~Server() = default;

uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

bool Server::stopping() const { return impl_->stopping.load(std::memory_order_acquire); }

const Connections& Server::connections() const { return impl_->connections; }

Post Server::post() {
  return [this](std::function<void()> task) { net::post(impl_->ioc, std::move(task)); };
}

Post Server::post_in_order() {
  return [this](std::function<void()> task) { net::post(impl_->feed_strand, std::move(task)); };
}

void Server::run(const RequestHandler& handler, EventFeed& feed, const Authenticator& auth,
                 const RequestAs& request_as, const OnServed& served, RateLimiter* limiter) {
  impl_->context.emplace(SessionContext{handler, feed, auth, request_as, served, limiter,
                                        impl_->connections, impl_->idle_timeout,
                                        impl_->read_timeout});
  net::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  std::function<void(beast::error_code, int)> on_signal = [&](beast::error_code ec, int) {
    if (ec) return;
    if (impl_->stopping.load(std::memory_order_acquire)) {
      impl_->ioc.stop();  // a second signal: no more waiting
      return;
    }
    impl_->begin_stop();
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);
  impl_->do_accept();
  // A handler that throws (out of memory, a bug) costs its connection, not
  // the server: the thread logs it and goes on serving.
  auto serve = [this] {
    for (;;) {
      try {
        impl_->ioc.run();
        return;
      } catch (const std::exception& e) {
        std::cerr << "error: a network thread caught: " << e.what() << "\n";
      }
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < impl_->threads; ++i) pool.emplace_back(serve);
  serve();
  for (auto& t : pool) t.join();
}

}  // namespace comanda::api
