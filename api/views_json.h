// Read-model views and events as the JSON clients see (DESIGN.md "Shapes").
// Safe on any thread.
#pragma once

#include <string>

#include "api/json_writer.h"
#include "engine/domain/event.h"
#include "projections/read_models.h"

namespace comanda::api {

using engine::Uuid;

void write_order(JsonWriter& w, const projections::OrderView& order);
void write_restaurant(JsonWriter& w, const projections::RestaurantView& restaurant);
void write_driver(JsonWriter& w, const projections::DriverView& driver);
// {"driver_id": ..., "lat": ..., "lng": ..., "heading": ..., "speed": ...,
// "accuracy": ..., "at": ..., "recorded_at": ...}
void write_driver_position(JsonWriter& w, const Uuid& driver,
                           const projections::DriverPosition& position);
// {"type": "order_placed", "stream": ..., "version": ..., "recorded_at": ..., "actor": ..., "data":
// {...}}
void write_event(JsonWriter& w, const engine::Event& event);

std::string order_json(const projections::OrderView& order);
std::string restaurant_json(const projections::RestaurantView& restaurant);
std::string driver_json(const projections::DriverView& driver);

}  // namespace comanda::api
