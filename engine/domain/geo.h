// Places on Earth, as sent by clients (degrees, WGS 84).
#pragma once

namespace comanda::engine {

struct GeoPoint {
  double lat = 0;
  double lng = 0;
  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

}  // namespace comanda::engine
