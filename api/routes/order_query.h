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

// GET /v1/orders filters: restaurant_id (alias establishment), status (groups
// active, completed, cancelled|canceled, failed; names,
// aliases or codes, comma-separated), limit (1..500, default 50), cursor.
// Unknown parameters are refused so that a typo does not silently widen a list.
engine::Result<projections::OrderQuery> parse_order_query(std::string_view query);

// GET /v1/orders/active: restaurant_id (alias establishment), required; other
// parameters are refused.
engine::Result<engine::Uuid> parse_board_query(std::string_view query);

// The cursor is the URL-safe base64 of a position; clients treat it as opaque.
std::string encode_cursor(uint64_t position);
std::optional<uint64_t> decode_cursor(std::string_view cursor);

}  // namespace comanda::api
