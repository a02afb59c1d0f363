#include "api/routes/driver_query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "api/http/query_string.h"

namespace comanda::api {
namespace {

using engine::Error;

std::optional<double> number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<engine::GeoPoint> point(std::string_view text) {
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto lat = number(text.substr(0, comma));
  auto lng = number(text.substr(comma + 1));
  if (!lat || !lng || *lat < -90 || *lat > 90 || *lng < -180 || *lng > 180) return std::nullopt;
  return engine::GeoPoint{*lat, *lng};
}

engine::Status set(NearQuery& q, const std::string& key, std::string_view value) {
  if (key == "near") {
    auto p = point(value);
    if (!p) return Error::invalid(key, "near must be lat,lng in degrees (-12.1,-77.03)");
    q.near = *p;
  } else if (key == "radius_m") {
    auto r = number(value);
    if (!r || *r < 1 || *r > kMaxRadiusM)
      return Error::invalid(key, "radius_m must be a number of metres from 1 to 100000");
    q.radius_m = *r;
  } else if (key == "available") {
    if (value != "true" && value != "false")
      return Error::invalid(key, "available must be true or false");
    q.available = value == "true";
  } else if (key == "limit") {
    size_t limit = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
    if (ec != std::errc() || end != value.data() + value.size() || limit < 1 || limit > kMaxNearby)
      return Error::invalid(key, "limit must be an integer from 1 to 100");
    q.limit = limit;
  } else {
    return Error::invalid(key, "unknown query parameter '" + key + "'");
  }
  return {};
}

}  // namespace

engine::Result<NearQuery> parse_near_query(std::string_view query) {
  NearQuery q;
  std::vector<std::string> seen;
  for (const auto& [key, value] : parse_query(query)) {
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      return Error::invalid(key, key + " is given twice: give it once");
    seen.push_back(key);
    if (auto s = set(q, key, value); !s.ok()) return s.error();
  }
  if (std::find(seen.begin(), seen.end(), "near") == seen.end())
    return Error::invalid("near", "near is required: near=lat,lng");
  return q;
}

}  // namespace comanda::api
