// The WebSocket's messages (docs/realtime.md), both ways: what a client may
// send, and what the server sends, as JSON text. Safe on any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/domain/principal.h"
#include "projections/notifications.h"

namespace comanda::api {

// The token of a socket's first message {"type": "auth", "token": "..."}.
engine::Result<std::string> parse_ws_auth(std::string_view message);

// A message from an identified client:
// {"type": "subscribe", "topic": "...", "from": 42} or
// {"type": "unsubscribe", "topic": "..."}. 400 naming the field otherwise.
struct ClientMessage {
  enum class Type : uint8_t { kSubscribe, kUnsubscribe };
  Type type = Type::kSubscribe;
  std::string topic;
  std::optional<uint64_t> from;  // subscribe: replay from this position (inclusive)
};
engine::Result<ClientMessage> parse_client_message(std::string_view message);

// A driver's pings: {"type": "location", "id"?, "driver_id"?, "lat", "lng",
// ...} or {"type": "locations", "id"?, "driver_id"?, "pings": [{...}, ...]}
// (1 to 100), each ping as POST /v1/drivers/{id}/location's body. nullopt:
// not a location message; 400 naming the field when malformed.
struct Locations {
  std::string id;         // echoed in the answer ("": none)
  std::string driver_id;  // "": the caller's own driver
  bool batch = false;
  std::vector<std::string> bodies;  // each ping's JSON
};
engine::Result<std::optional<Locations>> parse_locations(std::string_view message);

// {"type": "authenticated", "subject": ..., "role": ...}
std::string authenticated_message(const engine::Principal& principal);
// {"type": "event", "topic": ..., "position": 42, "event": {...}};
// `currency` is that of the event's restaurant (api/json/event_json.h).
std::shared_ptr<const std::string> event_message(const engine::Event& event,
                                                 std::string_view currency, std::string_view topic);
// {"type": "notification", "topic": ..., "position": 42, "order_id": ...,
//  "reference": ..., "message": ...} (an offer's with the restaurant's name
// and address and the delivery address): projections/notifications.h.
std::shared_ptr<const std::string> notification_message(const projections::Notification& n,
                                                        std::string_view topic);
// {"type": "subscribed", "topic": ..., "position": N}: every event of the
// topic after N follows.
std::shared_ptr<const std::string> subscribed_message(std::string_view topic, uint64_t position);
// {"type": "caught_up", "topic": ..., "position": N}: the replay is done
// up to N; live events follow.
std::shared_ptr<const std::string> caught_up_message(std::string_view topic, uint64_t position);
// {"type": "unsubscribed", "topic": ...}: asked for, or the rights lapsed.
std::shared_ptr<const std::string> unsubscribed_message(std::string_view topic);
// {"type": "ack", "id": ..., "position": N}: the pings are durable, the last at N.
std::shared_ptr<const std::string> ack_message(std::string_view id, uint64_t position);
// {"type": "error", "status": 400, "detail": "...", "field"?: ..., "topic"?: ...,
//  "position"?: N, "id"?: ...}
std::shared_ptr<const std::string> error_message(int status, std::string_view detail,
                                                 std::string_view topic = {},
                                                 std::string_view field = {},
                                                 std::optional<uint64_t> position = {},
                                                 std::string_view id = {});

}  // namespace comanda::api
