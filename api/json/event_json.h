// Events as clients see them (the WebSocket feed, the audit trail):
// {"type": "order_placed", "position": 42, "stream": ..., "version": ...,
//  "recorded_at": ..., "actor": {...}, "correlation_id": ..., "data": {...}}. The `data` of each
// event type comes from its resource's JSON (api/json/*_json.h): a type
// whose data holds amounts without their currency (a menu's prices) has a
// write_event_data that also takes the currency. Safe on any thread.
#pragma once

#include "api/json/json_writer.h"
#include "engine/domain/event.h"

namespace comanda::api {

// `currency`: the currency of the event's restaurant ("" when unknown).
void write_event(JsonWriter& w, const engine::Event& event, std::string_view currency);

}  // namespace comanda::api
