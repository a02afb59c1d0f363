// Request bodies (JSON, parsed with simdjson) into engine commands. Every
// refusal names the offending field ("items[0].quantity"). Ids are left for
// the caller to mint. Safe on any thread (one parser per thread).
#pragma once

#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/aggregates.h"

namespace comanda::api {

// Refuses bodies that are not valid UTF-8 JSON objects, wrong types, missing
// required fields and values out of range (400), and values that are well
// formed but unacceptable, such as an unsupported currency (422).
engine::Result<engine::RegisterRestaurant> parse_register_restaurant(
    std::string_view body, const std::string& default_time_zone);
engine::Result<engine::PlaceOrder> parse_place_order(std::string_view body);
engine::Result<engine::ChangeOrderStatus> parse_status_change(std::string_view body);
engine::Result<engine::RegisterDriver> parse_register_driver(std::string_view body);
// A GPS ping: lat, lng, optional heading, speed, accuracy and `at` (RFC 3339,
// the device's time; refused when more than five minutes after `now_us`).
engine::Result<engine::DriverLocationReported> parse_location(std::string_view body,
                                                              int64_t now_us);

// The token of a WebSocket's first message {"type": "auth", "token": "..."}.
engine::Result<std::string> parse_ws_auth(std::string_view message);

}  // namespace comanda::api
