// The order list's query: its filters and the opaque cursor. Pure; safe on
// any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/error.h"
#include "projections/orders.h"

namespace comanda::api {

// GET /v1/orders filters, each with Canteen's name as an alias:
// restaurant_id (establishment); status (groups active, completed,
// cancelled|canceled, failed, archived; names, aliases or codes;
// comma-separated); from and to (start_date, end_date: the local service
// date, YYYY-MM-DD, inclusive); payment_method (payment_method_type) and
// fulfillment (fulfillment_type), comma-separated; customer_id; driver_id;
// limit (1..500, default 50); cursor; mode=dashboard (ignored). Unknown,
// repeated or empty parameters, and a filter given by both its names, are
// refused: a typo or an ambiguity never silently widens a list.
engine::Result<projections::OrderQuery> parse_order_query(std::string_view query);

// GET /v1/orders/active: restaurant_id (alias establishment), required; other
// parameters are refused.
engine::Result<engine::Uuid> parse_board_query(std::string_view query);

// The cursor is the URL-safe base64 of a position; clients treat it as opaque.
std::string encode_cursor(uint64_t position);
std::optional<uint64_t> decode_cursor(std::string_view cursor);

}  // namespace comanda::api
