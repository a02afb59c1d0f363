// Events as clients see them (the WebSocket feed, the audit trail):
// {"type": "order_placed", "stream": ..., "version": ..., "recorded_at": ...,
//  "actor": {...}, "correlation_id": ..., "data": {...}}. The `data` of each
// event type comes from its resource's JSON (api/json/*_json.h). Safe on any
// thread.
#pragma once

#include "api/json/json_writer.h"
#include "engine/domain/event.h"

namespace comanda::api {

void write_event(JsonWriter& w, const engine::Event& event);

}  // namespace comanda::api
