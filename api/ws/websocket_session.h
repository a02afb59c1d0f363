// One WebSocket connection (Beast), in the manner of Beast's
// websocket_session: owned by shared_ptr, every step on the connection's
// strand. The client is known from the upgrade's Authorization header, or
// from its first message {"type": "auth", ...}, which must come within a few
// seconds. It joins the feed (api/ws/feed.h) once known, following nothing
// until it subscribes to topics (rights checked here, api/ws/topics.h);
// messages go out one async_write at a time from a queue, and a client that
// lets the queue grow past its bounds (messages, bytes) is told the last
// position it was sent and disconnected, rather than slowing anyone else.
//
// Threads: the network threads, on the connection's strand; deliver() from
// the feed's strand.
#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "api/auth/authenticator.h"
#include "api/http/beast_response.h"
#include "api/http/connections.h"
#include "api/http/rate_limiter.h"
#include "api/ws/feed.h"
#include "api/ws/protocol.h"

namespace comanda::api {

class WebSocketSession : public Subscriber,
                         public Stoppable,
                         public std::enable_shared_from_this<WebSocketSession> {
 public:
  // `feed`, `auth` and `request_as` (which runs a driver's location
  // messages as POST /v1/drivers/{id}/location) must outlive the session.
  // `limiter` (if any) takes a token per location message, as the REST
  // route would per request. `slot`: the connection's, taken over from its
  // HTTP session.
  WebSocketSession(Socket&& socket, EventFeed& feed, const Authenticator& auth,
                   const RequestAs& request_as, RateLimiter* limiter, Connections::Slot slot)
      : ws_(std::move(socket)),
        timer_(ws_.get_executor()),
        feed_(feed),
        auth_(auth),
        request_as_(request_as),
        limiter_(limiter),
        slot_(std::move(slot)) {}
  ~WebSocketSession() override;

  // Answers the upgrade `request` (or refuses it: a bad token is a plain 401).
  void run(http::request<http::string_body> request);

  void deliver(std::shared_ptr<const std::string> message, uint64_t position) override;
  void deliver_all(Outgoing messages) override;
  const engine::Principal& principal() const override { return *principal_; }
  size_t backlog() const override {
    return posted_.load(std::memory_order_relaxed) + queued_.load(std::memory_order_relaxed);
  }
  bool gone() const override { return gone_.load(std::memory_order_relaxed); }
  // The server stops: what is queued is sent, then the socket is closed
  // with 1001 (going away); the client reconnects elsewhere or later and
  // resumes from the last position it saw.
  void stop() override;
  void refused(int status, std::string detail) override;

 private:
  void refuse_upgrade(http::request<http::string_body> request, const engine::Error& error);
  void authenticated(engine::Principal who);
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, size_t bytes);
  // A message of an identified client: a subscription, or its end, or
  // location pings.
  void on_client_message(std::string_view message);
  // {"type": "location", ...} or {"type": "locations", "pings": [...]}:
  // each ping a request as the location route's, answered `ack` with the
  // last position once all are durable, or an error naming the first
  // refused (both with the message's `id`).
  struct LocationBatch {
    std::string id;
    size_t batch_size = 0;
    size_t left = 0;
    uint64_t last = 0;  // the newest position of its pings
    bool failed = false;
  };
  void on_locations(Locations pings);
  void answered(LocationBatch& batch, size_t index, const Response& response);
  // Sends an error, then closes the socket with "policy violation".
  void fail(int status, std::string_view detail);
  void enqueue(std::shared_ptr<const std::string> message, uint64_t position = 0);
  void enqueue_all(Outgoing messages);
  // Queues a message without starting a write (or, past the queue's bounds,
  // ends the socket as too slow).
  void push(std::shared_ptr<const std::string> message, uint64_t position);
  void do_write();
  // TCP_CORK on the socket while more messages wait to be written.
  void cork(bool on);
  void on_write(beast::error_code ec, size_t bytes);
  void close();

  websocket::stream<Stream> ws_;
  net::steady_timer timer_;
  EventFeed& feed_;
  const Authenticator& auth_;
  const RequestAs& request_as_;
  RateLimiter* limiter_;
  Connections::Slot slot_;
  std::optional<engine::Principal> principal_;
  beast::flat_buffer buffer_;
  struct Queued {
    std::shared_ptr<const std::string> message;
    uint64_t position = 0;  // an event's; 0 for other messages
  };
  std::deque<Queued> queue_;
  size_t queued_bytes_ = 0;    // of the messages in queue_
  uint64_t last_written_ = 0;  // the position of the last event message written
  std::string close_reason_;
  websocket::close_code close_code_ = websocket::close_code::policy_error;
  // For other threads (backlog(), gone()): deliveries posted and not yet
  // queued, the queue's length, and whether it will send no more.
  std::atomic<size_t> posted_{0};
  std::atomic<size_t> queued_{0};
  std::atomic<bool> gone_{false};
  bool corked_ = false;
  bool accepted_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace comanda::api
