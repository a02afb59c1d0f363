#include "api/server.h"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <cctype>
#include <deque>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/json_writer.h"
#include "api/problem.h"
#include "api/request_parsing.h"

namespace comanda::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kMaxBodyBytes = 1 << 20;  // larger bodies answer 413
constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr size_t kMaxQueuedMessages = 8192;  // per WebSocket; beyond it the client is too slow
constexpr auto kLingerTimeout = std::chrono::seconds(5);  // reading the rest of a refused request
constexpr size_t kMaxLingerBytes = 64 << 20;
constexpr auto kAuthTimeout = std::chrono::seconds(5);  // for a WebSocket's first-message auth

// No Origin (not a browser), or a page served from this machine.
bool local_origin(std::string_view origin) {
  if (origin.empty()) return true;
  for (std::string_view local : {"http://127.0.0.1", "http://localhost", "http://[::1]"})
    if (origin == local || (origin.starts_with(local) && origin[local.size()] == ':')) return true;
  return false;
}

std::shared_ptr<http::response<http::string_body>> to_beast(Response r, unsigned version,
                                                            bool keep_alive) {
  auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(r.status), version);
  res->set(http::field::server, "comandad");
  res->set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) res->set(name, value);
  res->body() = std::move(r.body);
  res->keep_alive(keep_alive);
  res->prepare_payload();
  return res;
}

// One WebSocket connection. The client is known either from the upgrade's
// Authorization header or from its first message, {"type": "auth", ...},
// which must come within kAuthTimeout. Messages go out one async_write at a
// time from a queue; a client that lets the queue grow past its bound is
// disconnected.
class WsSession : public Subscriber, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, EventFeed& feed, const Authenticator& auth)
      : ws_(std::move(socket)), timer_(ws_.get_executor()), feed_(feed), auth_(auth) {}

  void run(http::request<http::string_body> request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "comandad"); }));
    ws_.read_message_max(64 * 1024);
    const std::string_view authorization = request[http::field::authorization];
    if (authorization.empty() && auth_.dev() && !local_origin(request[http::field::origin])) {
      // In dev mode a socket without a token is an admin: never hand that to
      // a page from another site that the developer happens to open.
      return refuse_upgrade(
          std::move(request),
          engine::Error::forbidden(
              "Origin", "dev mode: WebSockets without a token are open to local pages only"));
    }
    if (!authorization.empty() || auth_.dev()) {
      auto who = auth_.from_header(authorization);
      if (!who.ok()) {
        // Refuse the upgrade itself: a plain 401, as for any other route.
        return refuse_upgrade(std::move(request), who.error());
      }
      // Subscribe before the handshake answer goes out, so that every event
      // committed after the client sees the upgrade reaches it; messages wait
      // in the queue until the handshake is done.
      authenticated(std::move(who).value());
    }
    ws_.async_accept(request, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
  }

  void deliver(std::shared_ptr<const std::string> message) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), message] { self->enqueue(message); });
  }

  const engine::Principal& principal() const override { return *principal_; }

 private:
  void refuse_upgrade(http::request<http::string_body> request, const engine::Error& error) {
    auto res = to_beast(problem(error), request.version(), /*keep_alive=*/false);
    http::async_write(beast::get_lowest_layer(ws_), *res,
                      [self = shared_from_this(), res](beast::error_code, size_t) {
                        beast::error_code ignored;
                        beast::get_lowest_layer(self->ws_).socket().shutdown(
                            tcp::socket::shutdown_send, ignored);
                      });
  }

  void authenticated(engine::Principal who) {
    JsonWriter w;
    w.begin_object().key("type").string("authenticated").key("subject").string(who.subject);
    w.key("role").string(engine::role_name(who.role)).end_object();
    principal_ = std::move(who);
    // Subscribe before the announcement can reach the client: any event
    // committed after the client reads it is then delivered.
    feed_.add(weak_from_this());
    enqueue(std::make_shared<const std::string>(w.take()));
  }

  void on_accept(beast::error_code ec) {
    if (ec) {
      closed_ = true;
      return;
    }
    accepted_ = true;
    if (!queue_.empty()) do_write();
    if (!principal_) {
      timer_.expires_after(kAuthTimeout);
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec && !self->principal_)
          self->fail(401,
                     "no auth message within " + std::to_string(kAuthTimeout.count()) + " seconds");
      });
    }
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec) {
      closed_ = true;
      timer_.cancel();
      return;
    }
    const std::string message = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!principal_) {
      timer_.cancel();
      auto token = parse_ws_auth(message);
      if (!token.ok()) return fail(401, token.error().message);
      auto who = auth_.from_token(*token);
      if (!who.ok()) return fail(401, who.error().message);
      authenticated(std::move(who).value());
    } else {
      enqueue(error_message(
          400,
          "this socket streams every event you may see; client messages are not supported yet"));
    }
    do_read();
  }

  static std::shared_ptr<const std::string> error_message(int status, std::string_view detail) {
    JsonWriter w;
    w.begin_object()
        .key("type")
        .string("error")
        .key("status")
        .number(status)
        .key("detail")
        .string(detail)
        .end_object();
    return std::make_shared<const std::string>(w.take());
  }

  // Sends an error, then closes the socket with "policy violation".
  void fail(int status, std::string_view detail) {
    enqueue(error_message(status, detail));
    closing_ = true;
    if (queue_.size() == 1 && accepted_) return;  // the write in flight closes when done
    if (queue_.empty()) close();
  }

  void enqueue(std::shared_ptr<const std::string> message) {
    if (closed_ || closing_) return;
    if (queue_.size() >= kMaxQueuedMessages) {
      // Too slow: drop what waits (the front may be in flight) and close.
      closing_ = true;
      queue_.erase(queue_.begin() + 1, queue_.end());
      return;
    }
    queue_.push_back(std::move(message));
    if (accepted_ && queue_.size() == 1) do_write();
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, size_t) {
    if (ec) {
      closed_ = true;
      return;
    }
    queue_.pop_front();
    if (!queue_.empty()) return do_write();
    if (closing_) close();
  }

  void close() {
    ws_.async_close(websocket::close_reason(websocket::close_code::policy_error),
                    [self = shared_from_this()](beast::error_code) { self->closed_ = true; });
  }

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer timer_;
  EventFeed& feed_;
  const Authenticator& auth_;
  std::optional<engine::Principal> principal_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool accepted_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

Request to_request(http::request<http::string_body>&& in) {
  Request out;
  out.method = std::string(in.method_string());
  std::string_view target = in.target();
  const size_t q = target.find('?');
  out.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) out.query = std::string(target.substr(q + 1));
  out.body = std::move(in.body());  // up to 1 MiB: moved, not copied
  for (const auto& field : in) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  return out;
}

// One HTTP connection: read a request, hand it to the handler, write the
// reply (whenever and from whichever thread it comes), read the next.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, const Server::Handler& handler, EventFeed& feed,
              const Authenticator& auth)
      : stream_(std::move(socket)), handler_(handler), feed_(feed), auth_(auth) {}

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return shutdown();
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return write(problem(413, "too-large", "Request body too large",
                           "the body exceeds " + std::to_string(kMaxBodyBytes) + " bytes"));
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
      keep_alive_ = false;
      return write(problem(400, "bad-http", "Malformed HTTP request", ec.message()));
    }
    if (ec) return;  // timeout or reset: nothing to answer

    http::request<http::string_body> request = parser_->release();
    keep_alive_ = request.keep_alive();
    if (websocket::is_upgrade(request)) {
      std::string_view target = request.target();
      if (target.substr(0, target.find('?')) == "/v1/ws") {
        stream_.expires_never();
        std::make_shared<WsSession>(stream_.release_socket(), feed_, auth_)
            ->run(std::move(request));
        return;
      }
      keep_alive_ = false;
      return write(
          problem(404, "not-found", "Not found", "WebSocket upgrades are served at /v1/ws only"));
    }
    handler_(to_request(std::move(request)), [self = shared_from_this()](Response response) {
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response));
      });
    });
  }

  void write(Response response) {
    auto res = to_beast(std::move(response), 11, keep_alive_);
    // The read's deadline may have run while the command was decided and
    // synced: the answer gets a deadline of its own.
    stream_.expires_after(kIdleTimeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (ec) return;
                        if (res->need_eof()) return self->linger_close();
                        self->do_read();
                      });
  }

  void shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // Closing with unread request bytes in the socket makes the kernel send a
  // reset, which can destroy our response before the client reads it (a
  // client that sends a whole oversized body before reading never sees the
  // 413). So: stop sending, then read and discard for a bounded time and
  // amount before closing (RFC 9112, section 9.6).
  void linger_close() {
    shutdown();
    stream_.expires_after(kLingerTimeout);
    drain(0);
  }

  void drain(size_t drained) {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this(), drained](beast::error_code ec, size_t n) {
                              if (ec || drained + n > kMaxLingerBytes) {
                                beast::error_code ignored;
                                self->stream_.socket().close(ignored);
                                return;
                              }
                              self->drain(drained + n);
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Server::Handler& handler_;
  EventFeed& feed_;
  const Authenticator& auth_;
  bool keep_alive_ = true;
  std::array<char, 16384> scratch_{};  // discarded input while lingering
};

}  // namespace

struct Server::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::strand<net::io_context::executor_type> feed_strand = net::make_strand(ioc);
  int threads = 1;
  const Handler* handler = nullptr;
  EventFeed* feed = nullptr;
  const Authenticator* auth = nullptr;

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (ec) {
        std::cerr << "warning: accept failed: " << ec.message() << "\n";
      } else {
        std::make_shared<HttpSession>(std::move(socket), *handler, *feed, *auth)->run();
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

void Server::run(const Handler& handler, EventFeed& feed, const Authenticator& auth) {
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
