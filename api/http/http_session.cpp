#include "api/http/http_session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <cctype>
#include <chrono>

#include "api/http/problem.h"
#include "api/ws/websocket_session.h"

namespace comanda::api {
namespace {

constexpr size_t kMaxBodyBytes = 1 << 20;         // larger bodies answer 413
constexpr size_t kMaxTargetBytes = 8 << 10;       // longer URLs answer 414
constexpr size_t kMaxHeaderBytes = 16 << 10;      // more header fields answer 431
constexpr size_t kMaxReadHeaderBytes = 64 << 10;  // the parser's bound on the whole head
constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kLingerTimeout = std::chrono::seconds(5);  // reading the rest of a refused request
constexpr size_t kMaxLingerBytes = 64 << 20;

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

}  // namespace

void HttpSession::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  head_ = false;
  parser_.emplace();
  parser_->body_limit(kMaxBodyBytes);
  parser_->header_limit(kMaxReadHeaderBytes);
  stream_.expires_after(kIdleTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, size_t) {
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
  if (ec) return;  // timeout or reset: nothing to answer

  http::request<http::string_body> request = parser_->release();
  keep_alive_ = request.keep_alive();
  head_ = request.method() == http::verb::head;
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
    if (target.substr(0, target.find('?')) == "/v1/ws") {
      stream_.expires_never();
      std::make_shared<WebSocketSession>(stream_.release_socket(), feed_, auth_, request_as_)
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

void HttpSession::write(Response response) {
  auto res = to_beast(std::move(response), 11, keep_alive_);
  if (head_) res->body().clear();  // the length of what a GET would send, no body
  // The read's deadline may have run while the command was decided and
  // synced: the answer gets a deadline of its own.
  stream_.expires_after(kIdleTimeout);
  http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, size_t) {
    if (ec) return;
    if (res->need_eof()) return self->linger_close();
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
