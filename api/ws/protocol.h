// The WebSocket's messages (docs/api.md "WebSocket"), both ways: what a client
// may send, and what the server sends, as JSON text. Safe on any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/domain/principal.h"

namespace comanda::api {

// The token of a socket's first message {"type": "auth", "token": "..."}.
engine::Result<std::string> parse_ws_auth(std::string_view message);

// {"type": "authenticated", "subject": ..., "role": ...}
std::string authenticated_message(const engine::Principal& principal);
// {"type": "event", "topic": "events", "position": 42, "event": {...}};
// `currency` is that of the event's restaurant (api/json/event_json.h).
std::shared_ptr<const std::string> event_message(const engine::Event& event,
                                                 std::string_view currency);
// {"type": "error", "status": 400, "detail": "..."}
std::shared_ptr<const std::string> error_message(int status, std::string_view detail);

}  // namespace comanda::api
