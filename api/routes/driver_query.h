// GET /v1/drivers/positions' query: the point, radius, availability and
// limit. Pure; safe on any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/geo.h"

namespace comanda::api {

struct NearQuery {
  engine::GeoPoint near;
  double radius_m = 5000;
  bool available = true;  // only drivers available for offers; false: every driver
  size_t limit = 10;
};

inline constexpr double kMaxRadiusM = 100'000;
inline constexpr size_t kMaxNearby = 100;

// near=lat,lng (required), radius_m (1..100000, default 5000),
// available=true|false (default true), limit (1..100, default 10). Unknown
// or repeated parameters are refused.
engine::Result<NearQuery> parse_near_query(std::string_view query);

}  // namespace comanda::api
