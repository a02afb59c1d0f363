#include "api/http/http_session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <cctype>

#include "api/http/problem.h"
#include "api/http/response_bytes.h"
#include "api/ws/websocket_session.h"

namespace comanda::api {
namespace {

constexpr size_t kMaxBodyBytes = 1 << 20;                 // larger bodies answer 413
constexpr size_t kMaxTargetBytes = 8 << 10;               // longer URLs answer 414
constexpr size_t kMaxHeaderBytes = 16 << 10;              // more header fields answer 431
constexpr size_t kMaxReadHeaderBytes = 64 << 10;          // the parser's bound on the whole head
constexpr size_t kFirstRead = 4096;                       // bytes asked for when a request begins
constexpr auto kLingerTimeout = std::chrono::seconds(5);  // reading the rest of a refused request
constexpr size_t kMaxLingerBytes = 64 << 20;

Request to_request(http::request<http::string_body>&& in, const std::string& peer) {
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
  out.peer = peer;
  return out;
}

}  // namespace

HttpSession::HttpSession(Socket&& socket, const SessionContext& context, Connections::Slot slot)
    : stream_(std::move(socket)), context_(context), slot_(std::move(slot)) {
  beast::error_code ec;
  const auto remote = stream_.socket().remote_endpoint(ec);
  if (!ec) peer_ = remote.address().to_string();
}

void HttpSession::run() {
  slot_.bind(shared_from_this());
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Waiting for a request that has not begun: nothing is lost by closing.
    if (self->waiting_) self->stream_.cancel();
  });
}

void HttpSession::do_read() {
  if (stopping_) return shutdown();
  head_ = false;
  parser_.emplace();
  parser_->body_limit(kMaxBodyBytes);
  parser_->header_limit(kMaxReadHeaderBytes);
  if (buffer_.size() != 0) return read_request();  // the next request is already here
  wait_for_request();
}

// The idle deadline covers only the wait for a request's first byte; then
// the read deadline applies to the whole request, however it trickles in.
void HttpSession::wait_for_request() {
  waiting_ = true;
  stream_.expires_after(context_.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstRead),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->waiting_ = false;
                            if (ec == net::error::eof) return self->shutdown();
                            if (ec) {  // idle too long, reset, or stopped: nothing was asked
                              beast::error_code ignored;
                              self->stream_.socket().close(ignored);
                              return;
                            }
                            self->buffer_.commit(n);
                            self->read_request();
                          });
}

void HttpSession::read_request() {
  // A request usually arrives whole in its first read: parsed here from
  // what is buffered, it goes on without a read operation, its deadline,
  // or a posted completion. What is not whole yet is read on as before,
  // the parser keeping its place.
  beast::error_code ec;
  while (buffer_.size() != 0 && !parser_->is_done()) {
    const size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec || used == 0) break;
  }
  if (ec == http::error::need_more) ec = {};
  if (ec || parser_->is_done()) return on_read(ec, 0);
  stream_.expires_after(context_.read_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, size_t) {
  read_at_ = std::chrono::steady_clock::now();
  dispatch_ = {};
  method_.clear();
  target_.clear();
  if (ec == http::error::end_of_stream) return shutdown();
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    return write(problem(413, "too-large", "Request body too large",
                         "the body exceeds " + std::to_string(kMaxBodyBytes) + " bytes"));
  }
  if (ec == http::error::header_limit) {
    keep_alive_ = false;
    return write(problem(
        431, "headers-too-large", "Request header fields too large",
        "the request line and headers exceed " + std::to_string(kMaxReadHeaderBytes) + " bytes"));
  }
  if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
    keep_alive_ = false;
    return write(problem(400, "bad-http", "Malformed HTTP request", ec.message()));
  }
  // A request not whole within the read deadline (a slow client, or one
  // holding connections open on purpose): Beast has closed the socket.
  if (ec) return;  // timeout or reset: nothing to answer

  http::request<http::string_body> request = parser_->release();
  keep_alive_ = request.keep_alive();
  head_ = request.method() == http::verb::head;
  method_.assign(request.method_string());
  target_.assign(request.target().substr(0, std::min<size_t>(request.target().size(), 2048)));
  if (request.target().size() > kMaxTargetBytes)
    return write(
        problem(414, "uri-too-long", "URI too long",
                "the request's target exceeds " + std::to_string(kMaxTargetBytes) + " bytes"));
  size_t header_bytes = 0;
  for (const auto& field : request)
    header_bytes += field.name_string().size() + field.value().size();
  if (header_bytes > kMaxHeaderBytes)
    return write(problem(431, "headers-too-large", "Request header fields too large",
                         "the header fields exceed " + std::to_string(kMaxHeaderBytes) + " bytes"));
  if (websocket::is_upgrade(request)) {
    std::string_view target = request.target();
    if (target.substr(0, target.find('?')) == "/v1/ws" && !stopping_) {
      stream_.expires_never();
      std::make_shared<WebSocketSession>(stream_.release_socket(), context_.feed, context_.auth,
                                         context_.request_as, context_.limiter, std::move(slot_))
          ->run(std::move(request));
      return;
    }
    keep_alive_ = false;
    if (stopping_)
      return write(problem(503, "unavailable", "Service unavailable", "the server is stopping"));
    return write(
        problem(404, "not-found", "Not found", "WebSocket upgrades are served at /v1/ws only"));
  }
  dispatch_ = context_.handler(
      to_request(std::move(request), peer_), [self = shared_from_this()](Response response) {
        net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
          self->write(std::move(response));
        });
      });
}

void HttpSession::write(Response response) {
  if (dispatch_.rate.limit != 0) {
    response.headers.emplace_back("RateLimit-Limit", std::to_string(dispatch_.rate.limit));
    response.headers.emplace_back("RateLimit-Remaining", std::to_string(dispatch_.rate.remaining));
    response.headers.emplace_back("RateLimit-Reset", std::to_string(dispatch_.rate.reset_s));
  }
  if (context_.served) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - read_at_).count();
    context_.served({method_, target_, peer_, dispatch_, response, seconds});
  }
  if (stopping_) keep_alive_ = false;  // the last answer of a stopping server
  response_bytes(response, keep_alive_, head_, out_);
  // The read's deadline may have run while the command was decided and
  // synced: the answer gets a deadline of its own.
  stream_.expires_after(context_.idle_timeout);
  net::async_write(stream_, net::buffer(out_),
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     if (ec) return;
                     if (!self->keep_alive_) return self->linger_close();
                     self->do_read();
                   });
}

void HttpSession::shutdown() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// Closing with unread request bytes in the socket makes the kernel send a
// reset, which can destroy our response before the client reads it (a
// client that sends a whole oversized body before reading never sees the
// 413). So: stop sending, then read and discard for a bounded time and
// amount before closing (RFC 9112, section 9.6).
void HttpSession::linger_close() {
  shutdown();
  stream_.expires_after(kLingerTimeout);
  drain(0);
}

void HttpSession::drain(size_t drained) {
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

}  // namespace comanda::api
