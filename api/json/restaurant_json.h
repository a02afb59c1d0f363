// Restaurants as JSON (DESIGN.md "Shapes"): the body of POST /v1/restaurants
// to a command, the restaurant's view and its events to JSON. Safe on any
// thread.
#pragma once

#include <string>
#include <string_view>

#include "api/json/json_writer.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/domain/restaurant.h"
#include "projections/restaurants.h"

namespace comanda::api {

// The body of POST /v1/restaurants; a restaurant without a time zone gets
// `default_time_zone`. The id is left for the caller to mint; the domain's
// rules (engine::validate) are checked on the command path.
engine::Result<engine::RegisterRestaurant> parse_register_restaurant(
    std::string_view body, const std::string& default_time_zone);

void write_restaurant(JsonWriter& w, const projections::RestaurantView& restaurant);
std::string restaurant_json(const projections::RestaurantView& restaurant);
// What any authenticated caller may see of a restaurant: id, name, address,
// location, currency, version (its settings are its owners' and admins').
std::string public_restaurant_json(const projections::RestaurantView& restaurant);

// The `data` of the restaurant's events.
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::RestaurantRegistered& p);

}  // namespace comanda::api
