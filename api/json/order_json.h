// Orders as JSON (DESIGN.md "Shapes"): the bodies of the order routes to
// commands (order_json.cpp), the order's view and its events to JSON
// (order_view_json.cpp). Safe on any thread.
#pragma once

#include <string>
#include <string_view>

#include "api/json/json_writer.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/domain/order.h"
#include "projections/accounts.h"
#include "projections/orders.h"
#include "projections/restaurants.h"

namespace comanda::api {

// The body of POST /v1/orders, each part checked by the domain's rules as
// it is read (engine::validate_fulfillment, validate_payment), so that the
// first error of a body is the one named. The order id is left for the
// caller to mint.
engine::Result<engine::PlaceOrder> parse_place_order(std::string_view body);
// The body of PUT /v1/orders/{id}: as POST's, its restaurant_id optional
// (the domain checks it is the order's); a status in it is a 400.
engine::Result<engine::PlaceOrder> parse_replace_order(std::string_view body);
// The body of PATCH /v1/orders/{id}: any of customer, items, fulfillment,
// payment, tip, discount, notes, delivery_zone, each replacing the order's;
// a field it does not take is a 400 (a status, pointing to the status route).
engine::Result<engine::OrderPatch> parse_order_patch(std::string_view body);
// The body of POST /v1/orders/{id}/lines/{n}/fulfilled: {"quantity": 2}.
engine::Result<uint32_t> parse_line_fulfilled(std::string_view body);
// {"not_ready": true | false}.
engine::Result<bool> parse_not_ready(std::string_view body);
// The body of POST /v1/orders/{id}/status: a status by name, alias or code
// (an integer or a numeric string), and an optional reason.
engine::Result<engine::ChangeOrderStatus> parse_status_change(std::string_view body);

// The order; with `accounts`, its customer shows their account's class and
// parent (Canteen), null when they have none.
// A kitchen board's line: the order in brief (GastroMóvil's active orders),
// with its version, how long it has waited at `now_us`, and the steps
// `caller` may take next.
void write_board_order(JsonWriter& w, const projections::OrderView& order,
                       const engine::Principal& caller, int64_t now_us);

// A restaurant's day (GET /v1/restaurants/{id}/stats): counts by status and
// group, and the revenue in `currency` when the day had no orders.
void write_day_stats(JsonWriter& w, const projections::DayStats& stats,
                     const std::string& currency);
std::string day_stats_json(const projections::DayStats& stats, const std::string& currency);

void write_order(JsonWriter& w, const projections::OrderView& order,
                 const projections::AccountsModel* accounts = nullptr);

// A driver's panel line: the order with what a driver needs to fetch and
// deliver it (the restaurant's name, address and location, if known; the
// customer's name and phone; where to; what to collect).
void write_panel_order(JsonWriter& w, const projections::OrderView& order,
                       const projections::RestaurantView* restaurant);
std::string order_json(const projections::OrderView& order,
                       const projections::AccountsModel* accounts = nullptr);

// The `data` of the order's events.
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderPlaced& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderStatusChanged& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderChanged& p,
                      std::string_view currency);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderReplaced& p,
                      std::string_view currency);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderLineFulfilled& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderArchived& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderNotReadyChanged& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::OrderDeleted& p);

}  // namespace comanda::api
