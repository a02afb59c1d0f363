// Orders as JSON (DESIGN.md "Shapes"): the bodies of POST /v1/orders and
// POST /v1/orders/{id}/status to commands, the order's view and its events
// to JSON. Safe on any thread.
#pragma once

#include <string>
#include <string_view>

#include "api/json/json_writer.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/domain/order.h"
#include "projections/orders.h"

namespace comanda::api {

// The body of POST /v1/orders, each part checked by the domain's rules as
// it is read (engine::validate_fulfillment, validate_payment), so that the
// first error of a body is the one named. The order id is left for the
// caller to mint.
engine::Result<engine::PlaceOrder> parse_place_order(std::string_view body);
// The body of POST /v1/orders/{id}/status: a status by name, alias or code
// (an integer or a numeric string), and an optional reason.
engine::Result<engine::ChangeOrderStatus> parse_status_change(std::string_view body);

void write_order(JsonWriter& w, const projections::OrderView& order);
std::string order_json(const projections::OrderView& order);

// The `data` of the order's events.
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderPlaced& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderStatusChanged& p);

}  // namespace comanda::api
