// Places on Earth, as sent by clients (degrees, WGS 84), and the distance
// between two of them.
#pragma once

#include <cstdint>

namespace comanda::engine {

struct GeoPoint {
  double lat = 0;
  double lng = 0;
  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

// The mean radius of the Earth, in metres.
inline constexpr double kEarthRadiusM = 6'371'008.8;

// The great-circle distance in metres (haversine on a sphere of the mean
// radius: within 0.5 % of the ellipsoid, plenty for geofences and offers).
double distance_m(const GeoPoint& a, const GeoPoint& b);

// A point as degrees times 10^7, as pings are stored.
inline GeoPoint from_e7(int32_t lat_e7, int32_t lng_e7) { return {lat_e7 / 1e7, lng_e7 / 1e7}; }

}  // namespace comanda::engine
