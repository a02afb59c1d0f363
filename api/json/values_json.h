// JSON of the values several resources share: money, places, tax policies.
// Safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/json/json_writer.h"
#include "engine/domain/geo.h"
#include "engine/domain/pricing.h"

namespace comanda::api {

// {"amount": "3700", "currency": "PEN", "formatted": "S/ 37.00"}: the
// amount as a string (JavaScript loses integers past 2^53); "formatted" only
// for a currency Comanda can format.
void write_money(JsonWriter& w, int64_t amount, std::string_view currency);
// "name": {money}
void money_field(JsonWriter& w, std::string_view name, int64_t amount, std::string_view currency);
// {"lat": ..., "lng": ...} or null.
void write_location(JsonWriter& w, const std::optional<engine::GeoPoint>& point);
// "name": value or null.
void optional_number(JsonWriter& w, std::string_view name, const std::optional<float>& value);
// {"rate_bp": 1800, "included": true}
void write_tax_policy(JsonWriter& w, const engine::TaxPolicy& tax);

}  // namespace comanda::api
