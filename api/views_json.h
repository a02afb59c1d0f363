// Read-model views and events as the JSON clients see (DESIGN.md "Shapes").
// Safe on any thread.
#pragma once

#include <string>

#include "api/json_writer.h"
#include "engine/events.h"
#include "projections/read_models.h"

namespace comanda::api {

void write_order(JsonWriter& w, const projections::OrderView& order);
void write_restaurant(JsonWriter& w, const projections::RestaurantView& restaurant);
// {"type": "order_placed", "stream": ..., "version": ..., "recorded_at": ..., "actor": ..., "data":
// {...}}
void write_event(JsonWriter& w, const engine::Event& event);

std::string order_json(const projections::OrderView& order);
std::string restaurant_json(const projections::RestaurantView& restaurant);

}  // namespace comanda::api
