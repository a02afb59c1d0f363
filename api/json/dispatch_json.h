// Dispatch as JSON: the bodies of POST /v1/orders/{id}/accept-delivery and
// /drop-delivery to commands, and dispatch's events. Safe on any thread.
#pragma once

#include <string_view>

#include "api/json/json_writer.h"
#include "engine/base/error.h"
#include "engine/domain/dispatch.h"
#include "engine/domain/event.h"

namespace comanda::api {

// {} for a driver; {"driver_id": "..."} for an admin's assignment. An empty
// body is {}.
engine::Result<engine::AcceptDelivery> parse_accept_delivery(std::string_view body);
// {} or {"reason": "..."}.
engine::Result<engine::DropDelivery> parse_drop_delivery(std::string_view body);

void write_event_data(JsonWriter& w, const engine::Event& e, const engine::DriverOffered& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OfferExpired& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OfferWithdrawn& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::DispatchWaiting& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::DriverAssigned& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::DriverUnassigned& p);

}  // namespace comanda::api
