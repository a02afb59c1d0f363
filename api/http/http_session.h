// One HTTP connection (Beast), in the manner of Beast's http_session: read
// a request, hand it to the handler, write the reply (whenever and from
// whichever thread it comes), read the next. An upgrade to /v1/ws becomes a
// WebSocketSession.
//
// Threads: the network threads, on the connection's strand.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>

#include "api/auth/authenticator.h"
#include "api/http/beast_response.h"
#include "api/ws/feed.h"

namespace comanda::api {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `handler`, `feed`, `auth` and `request_as` must outlive the session.
  HttpSession(tcp::socket&& socket, const RequestHandler& handler, EventFeed& feed,
              const Authenticator& auth, const RequestAs& request_as)
      : stream_(std::move(socket)),
        handler_(handler),
        feed_(feed),
        request_as_(request_as),
        auth_(auth) {}

  void run();

 private:
  void do_read();
  void on_read(beast::error_code ec, size_t bytes);
  void write(Response response);
  void shutdown();
  // Stops sending, then reads and discards for a bounded time and amount
  // before closing (see the .cpp).
  void linger_close();
  void drain(size_t drained);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const RequestHandler& handler_;
  EventFeed& feed_;
  const RequestAs& request_as_;
  const Authenticator& auth_;
  bool keep_alive_ = true;
  bool head_ = false;                  // the request being answered is a HEAD
  std::array<char, 16384> scratch_{};  // discarded input while lingering
};

}  // namespace comanda::api
