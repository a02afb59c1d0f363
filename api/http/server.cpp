#include "api/http/server.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/http/beast_response.h"
#include "api/http/http_session.h"

namespace comanda::api {

struct Server::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::strand<net::io_context::executor_type> feed_strand = net::make_strand(ioc);
  int threads = 1;
  const RequestHandler* handler = nullptr;
  EventFeed* feed = nullptr;
  const Authenticator* auth = nullptr;
  const RequestAs* request_as = nullptr;

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (ec) {
        std::cerr << "warning: accept failed: " << ec.message() << "\n";
      } else {
        // Every answer is written whole and at once: Nagle's algorithm would
        // only hold back the next one (a WebSocket's second ack, event,
        // ...) until the client's delayed ACK, some 40 ms.
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(std::move(socket), *handler, *feed, *auth, *request_as)
            ->run();
      }
      do_accept();
    });
  }
};

Server::Server(const ServerOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->threads = std::max(1, options.threads);
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

Post Server::post() {
  return [this](std::function<void()> task) { net::post(impl_->ioc, std::move(task)); };
}

Post Server::post_in_order() {
  return [this](std::function<void()> task) { net::post(impl_->feed_strand, std::move(task)); };
}

void Server::run(const RequestHandler& handler, EventFeed& feed, const Authenticator& auth,
                 const RequestAs& request_as) {
  impl_->request_as = &request_as;
  impl_->handler = &handler;
  impl_->feed = &feed;
  impl_->auth = &auth;
  net::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code, int) {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->ioc.stop();
  });
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
