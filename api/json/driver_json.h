// Drivers as JSON (DESIGN.md "Shapes"): the bodies of POST /v1/drivers and
// POST /v1/drivers/{id}/location to commands, the driver's view, position
// and events to JSON. Safe on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/json/json_writer.h"
#include "engine/base/error.h"
#include "engine/domain/driver.h"
#include "engine/domain/event.h"
#include "projections/drivers.h"

namespace comanda::api {

// The body of POST /v1/drivers. The id is left for the caller to mint.
engine::Result<engine::RegisterDriver> parse_register_driver(std::string_view body);
// A GPS ping: lat, lng, optional heading, speed, accuracy and `at` (RFC 3339,
// the device's time; refused when more than five minutes after `now_us`).
engine::Result<engine::DriverLocationReported> parse_location(std::string_view body,
                                                              int64_t now_us);

void write_driver(JsonWriter& w, const projections::DriverView& driver);
std::string driver_json(const projections::DriverView& driver);
// {"driver_id": ..., "lat": ..., "lng": ..., "heading": ..., "speed": ...,
// "accuracy": ..., "at": ..., "recorded_at": ...}
void write_driver_position(JsonWriter& w, const engine::Uuid& driver,
                           const projections::DriverPosition& position);

// One of GET /v1/drivers/positions: {"driver_id", "name", "lat", "lng",
// ..., "at", "recorded_at", "availability", "distance_m"}.
void write_nearby_driver(JsonWriter& w, const projections::DriversModel::Nearby& nearby);

// The `data` of the driver's events.
// {"availability": "available" | "offline"} (busy is the engine's).
engine::Result<engine::Availability> parse_availability_body(std::string_view body);
// {"active": true | false}.
engine::Result<bool> parse_active_body(std::string_view body);

void write_event_data(JsonWriter& w, const engine::Event& e, const engine::DriverRegistered& p);
void write_event_data(JsonWriter& w, const engine::Event& e,
                      const engine::DriverAvailabilityChanged& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::DriverActiveChanged& p);
void write_event_data(JsonWriter& w, const engine::Event& e,
                      const engine::DriverLocationReported& p);

}  // namespace comanda::api
