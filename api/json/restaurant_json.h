// Restaurants as JSON (DESIGN.md "Shapes"): the bodies of POST and PATCH
// /v1/restaurants to commands, the restaurant's view and its events to JSON. Safe on any
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

// The body of PATCH /v1/restaurants/{id}: any field POST takes but the
// currency (its prices are in it).
engine::Result<engine::RestaurantPatch> parse_restaurant_patch(std::string_view body);

// A restaurant's settings, as fields of the object `w` is in.
void write_settings(JsonWriter& w, const engine::RestaurantSettings& settings,
                    std::string_view currency);

void write_restaurant(JsonWriter& w, const projections::RestaurantView& restaurant);
std::string restaurant_json(const projections::RestaurantView& restaurant);
// What any authenticated caller may see of a restaurant: id, name, address,
// location, currency, version (its settings are its owners' and admins').
std::string public_restaurant_json(const projections::RestaurantView& restaurant);

// The `data` of the restaurant's events.
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::RestaurantRegistered& p);
// The fields that changed, as the restaurant's JSON shows them.
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::RestaurantUpdated& p,
                      std::string_view currency);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::RestaurantPaused& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::RestaurantResumed& p);

}  // namespace comanda::api
