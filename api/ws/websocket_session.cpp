#include "api/ws/websocket_session.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>

#include "api/http/problem.h"
#include "api/json/body_reader.h"
#include "api/ws/protocol.h"

namespace comanda::api {
namespace {

constexpr auto kAuthTimeout = std::chrono::seconds(5);  // for the first-message auth
constexpr size_t kMaxMessageBytes = 64 * 1024;
constexpr int kSendBuffer = 256 * 1024;  // bytes the kernel holds for one socket

}  // namespace

WebSocketSession::~WebSocketSession() {
  if (principal_) feed_.counts().subscribers.fetch_sub(1, std::memory_order_relaxed);
}

void WebSocketSession::stop() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->closed_ || self->closing_) return;
    self->close_code_ = websocket::close_code::going_away;
    self->close_reason_ = "the server is stopping";
    self->closing_ = true;
    self->gone_.store(true, std::memory_order_relaxed);
    if (!self->accepted_) return;             // the handshake's completion closes
    if (self->queue_.empty()) self->close();  // else the last write closes
  });
}

void WebSocketSession::run(http::request<http::string_body> request) {
  slot_.bind(shared_from_this());
  // The kernel's share of what waits for a slow client, bounded (not grown
  // by autotuning to megabytes): the queue above is then what fills, and a
  // client too slow to keep up is found out after a known amount.
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().set_option(net::socket_base::send_buffer_size(kSendBuffer),
                                                   ignored);
  // Heartbeats: Beast pings a socket silent for half the idle time and
  // closes it at the end (a pong is not silence).
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = feed_.limits().idle;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "comandad"); }));
  ws_.read_message_max(kMaxMessageBytes);
  const std::string_view authorization = request[http::field::authorization];
  if (!authorization.empty() || auth_.dev()) {
    // In dev mode, a socket without a token from another site's page is
    // refused here (403), as a REST request would be.
    auto who = auth_.from_header(authorization, request[http::field::origin]);
    // Refuse the upgrade itself: a plain 401, as for any other route.
    if (!who.ok()) return refuse_upgrade(std::move(request), who.error());
    // Subscribe before the handshake answer goes out, so that every event
    // committed after the client sees the upgrade reaches it; messages wait
    // in the queue until the handshake is done.
    authenticated(std::move(who).value());
  }
  ws_.async_accept(request,
                   beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
}

void WebSocketSession::deliver(std::shared_ptr<const std::string> message, uint64_t position) {
  posted_.fetch_add(1, std::memory_order_relaxed);
  net::post(ws_.get_executor(), [self = shared_from_this(), message, position] {
    self->posted_.fetch_sub(1, std::memory_order_relaxed);
    self->enqueue(message, position);
  });
}

void WebSocketSession::refuse_upgrade(http::request<http::string_body> request,
                                      const engine::Error& error) {
  auto res = to_beast(problem(error), request.version(), /*keep_alive=*/false);
  http::async_write(beast::get_lowest_layer(ws_), *res,
                    [self = shared_from_this(), res](beast::error_code, size_t) {
                      beast::error_code ignored;
                      beast::get_lowest_layer(self->ws_).socket().shutdown(
                          tcp::socket::shutdown_send, ignored);
                    });
}

void WebSocketSession::authenticated(engine::Principal who) {
  auto announcement = std::make_shared<const std::string>(authenticated_message(who));
  if (!principal_) feed_.counts().subscribers.fetch_add(1, std::memory_order_relaxed);
  principal_ = std::move(who);
  feed_.add(weak_from_this());  // following nothing until it subscribes
  enqueue(std::move(announcement));
}

void WebSocketSession::on_accept(beast::error_code ec) {
  if (ec) {
    closed_ = true;
    gone_.store(true, std::memory_order_relaxed);
    return;
  }
  accepted_ = true;
  if (closing_ && queue_.empty()) return close();  // stopped during the handshake
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

void WebSocketSession::do_read() {
  ws_.async_read(buffer_,
                 beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
}

void WebSocketSession::on_read(beast::error_code ec, size_t) {
  if (ec) {
    closed_ = true;
    gone_.store(true, std::memory_order_relaxed);
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
    on_client_message(message);
  }
  do_read();
}

void WebSocketSession::on_client_message(std::string_view text) {
  auto locations = parse_locations(text);
  if (!locations.ok())
    return enqueue(error_message(400, locations.error().message, {}, locations.error().field));
  if (*locations) return on_locations(std::move(**locations));
  auto message = parse_client_message(text);
  if (!message.ok())
    return enqueue(error_message(400, message.error().message, {}, message.error().field));
  auto topic = parse_topic(message->topic);
  if (message->type == ClientMessage::Type::kUnsubscribe)
    return feed_.unsubscribe(shared_from_this(), topic.ok() ? topic->name : message->topic);
  if (!topic.ok()) return enqueue(error_message(400, topic.error().message, {}, "topic"));
  if (engine::Status may = feed_.rights().may_follow(*principal_, *topic); !may.ok())
    return enqueue(
        error_message(http_status(may.error().code), may.error().message, topic->name, "topic"));
  feed_.subscribe(shared_from_this(), std::move(topic).value(), message->from);
}

void WebSocketSession::on_locations(Locations pings) {
  if (limiter_ && limiter_->enabled()) {
    // One message, one request of the caller's rate, however many pings.
    const std::string who = principal_label(*principal_);
    if (const RateLimiter::Decision d = limiter_->take(who); !d.allowed)
      return enqueue(error_message(429,
                                   "over the rate limit of " + who + "; retry after " +
                                       std::to_string(d.retry_after_s) + " s",
                                   {}, {}, {}, pings.id));
  }
  engine::Uuid driver = feed_.rights().driver_of(*principal_);
  if (!pings.driver_id.empty()) {
    auto named = engine::Uuid::parse(pings.driver_id);
    if (!named) return enqueue(error_message(404, "no such driver", {}, "driver_id", {}, pings.id));
    driver = *named;
  }
  if (driver.is_nil())
    return enqueue(error_message(404, "this account drives no driver: name one in driver_id", {},
                                 "driver_id", {}, pings.id));
  // Every ping as its own request (the pipeline groups them); one answer
  // once all are in.
  auto batch = std::make_shared<LocationBatch>();
  batch->id = std::move(pings.id);
  batch->left = batch->batch_size = pings.bodies.size();
  const std::string path = "/v1/drivers/" + driver.to_string() + "/location";
  for (size_t i = 0; i < pings.bodies.size(); ++i) {
    const Request request{"POST", path, "", std::move(pings.bodies[i]), {}, {}};
    request_as_(*principal_, request, [self = shared_from_this(), batch, i](Response response) {
      net::post(self->ws_.get_executor(), [self, batch, i, response = std::move(response)] {
        self->answered(*batch, i, response);
      });
    });
  }
}

void WebSocketSession::answered(LocationBatch& batch, size_t index, const Response& response) {
  --batch.left;
  if (batch.failed) return;
  if (response.status >= 300) {
    batch.failed = true;
    std::string detail = "refused";
    auto field = std::string();
    if (auto body = parse_object(response.body); body.ok()) {
      ObjectReader r(*body, "");
      detail = r.string("detail", false, 1000);
      field = r.string("field", false, 200);
    }
    if (batch.batch_size > 1)
      field = "pings[" + std::to_string(index) + "]" + (field.empty() ? "" : "." + field);
    return enqueue(error_message(response.status, detail, {}, field, {}, batch.id));
  }
  for (const auto& [name, value] : response.headers)
    if (name == "Comanda-Position") batch.last = std::max<uint64_t>(batch.last, std::stoull(value));
  if (batch.left == 0) enqueue(ack_message(batch.id, batch.last));
}

void WebSocketSession::refused(int status, std::string detail) {
  net::post(ws_.get_executor(), [self = shared_from_this(), status, detail = std::move(detail)] {
    self->close_reason_ = detail;
    self->fail(status, self->close_reason_);
  });
}

void WebSocketSession::fail(int status, std::string_view detail) {
  enqueue(error_message(status, detail));
  closing_ = true;
  gone_.store(true, std::memory_order_relaxed);
  if (queue_.size() == 1 && accepted_) return;  // the write in flight closes when done
  if (queue_.empty()) close();
}

void WebSocketSession::deliver_all(Outgoing messages) {
  posted_.fetch_add(messages.size(), std::memory_order_relaxed);
  net::post(ws_.get_executor(),
            [self = shared_from_this(), messages = std::move(messages)]() mutable {
              self->posted_.fetch_sub(messages.size(), std::memory_order_relaxed);
              self->enqueue_all(std::move(messages));
            });
}

void WebSocketSession::enqueue(std::shared_ptr<const std::string> message, uint64_t position) {
  const bool idle = queue_.empty();
  push(std::move(message), position);
  if (accepted_ && idle && !queue_.empty()) do_write();
}

void WebSocketSession::enqueue_all(Outgoing messages) {
  const bool idle = queue_.empty();
  for (auto& [message, position] : messages) push(std::move(message), position);
  if (accepted_ && idle && !queue_.empty()) do_write();
}

void WebSocketSession::push(std::shared_ptr<const std::string> message, uint64_t position) {
  if (closed_ || closing_) return;
  const FeedLimits& limits = feed_.limits();
  if (queue_.size() >= limits.max_queued ||
      (!queue_.empty() && queued_bytes_ + message->size() > limits.max_queued_bytes)) {
    // Too slow: drop what waits (the front may be in flight), say where it
    // stopped (the client resumes after it), and close.
    closing_ = true;
    feed_.counts().closed_too_slow.fetch_add(1, std::memory_order_relaxed);
    feed_.counts().dropped.fetch_add(queue_.size() - 1, std::memory_order_relaxed);
    queue_.erase(queue_.begin() + 1, queue_.end());
    queued_bytes_ = queue_.front().message->size();
    const uint64_t last = std::max(last_written_, queue_.front().position);
    close_reason_ = "too slow; last position sent " + std::to_string(last);
    queue_.push_back({error_message(429, close_reason_, {}, {}, last), 0});
    queued_bytes_ += queue_.back().message->size();
    queued_.store(queue_.size(), std::memory_order_relaxed);
    gone_.store(true, std::memory_order_relaxed);
    return;
  }
  queued_bytes_ += message->size();
  queue_.push_back({std::move(message), position});
  queued_.store(queue_.size(), std::memory_order_relaxed);
}

void WebSocketSession::cork(bool on) {
  if (corked_ == on) return;
  corked_ = on;
  const int value = on ? 1 : 0;
  ::setsockopt(beast::get_lowest_layer(ws_).socket().native_handle(), IPPROTO_TCP, TCP_CORK, &value,
               sizeof value);
}

void WebSocketSession::do_write() {
  // More waiting behind this message: let the kernel gather them into full
  // segments (one loopback or network packet for dozens of small messages,
  // not one each); uncorked, and so sent at once, when the queue empties.
  if (queue_.size() > 1) cork(true);
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front().message),
                  beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
}

void WebSocketSession::on_write(beast::error_code ec, size_t) {
  if (ec) {
    closed_ = true;
    gone_.store(true, std::memory_order_relaxed);
    return;
  }
  if (queue_.front().position != 0) last_written_ = queue_.front().position;
  queued_bytes_ -= queue_.front().message->size();
  queue_.pop_front();
  queued_.store(queue_.size(), std::memory_order_relaxed);
  if (!queue_.empty()) return do_write();
  cork(false);
  if (closing_) close();
}

void WebSocketSession::close() {
  websocket::close_reason reason(close_code_);
  reason.reason = close_reason_;
  ws_.async_close(reason, [self = shared_from_this()](beast::error_code) {
    self->closed_ = true;
    self->gone_.store(true, std::memory_order_relaxed);
  });
}

}  // namespace comanda::api
