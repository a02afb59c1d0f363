#include "engine/domain/restaurant_settings.h"

#include <string>

#include "engine/base/text.h"

namespace comanda::engine {
namespace {

Error out_of_range(std::string field, int64_t min, int64_t max) {
  return Error::unprocessable(
      field, field + " must be from " + std::to_string(min) + " to " + std::to_string(max));
}

bool within(int64_t value, int64_t min, int64_t max) { return value >= min && value <= max; }

}  // namespace

std::string_view dispatch_mode_name(DispatchSettings::Mode mode) {
  switch (mode) {
    case DispatchSettings::Mode::kNearest:
      return "nearest";
    case DispatchSettings::Mode::kBroadcast:
      return "broadcast";
    case DispatchSettings::Mode::kNone:
      return "none";
  }
  return "nearest";
}

std::optional<DispatchSettings::Mode> parse_dispatch_mode(std::string_view name) {
  for (auto mode : {DispatchSettings::Mode::kNearest, DispatchSettings::Mode::kBroadcast,
                    DispatchSettings::Mode::kNone})
    if (iequals(name, dispatch_mode_name(mode))) return mode;
  return std::nullopt;
}

Status validate(const RestaurantSettings& s) {
  constexpr int64_t kMaxAmount = 1'000'000'000'000;
  if (!within(s.delivery_fee, 0, kMaxAmount)) return out_of_range("delivery_fee", 0, kMaxAmount);
  const DispatchSettings& d = s.dispatch;
  if (d.offer_on != OrderStatus::kAwaitingDriver && d.offer_on != OrderStatus::kAccepted)
    return Error::unprocessable("dispatch.offer_on",
                                "dispatch.offer_on must be awaiting_driver or accepted");
  if (!within(d.offer_to, 1, 100)) return out_of_range("dispatch.offer_to", 1, 100);
  if (!within(d.radius_m, 1, 100'000)) return out_of_range("dispatch.radius_m", 1, 100'000);
  if (!within(d.offer_timeout_s, 5, 3600)) return out_of_range("dispatch.offer_timeout_s", 5, 3600);
  const GeofenceSettings& g = s.geofence;
  if (!within(g.near_restaurant_m, 10, 10'000))
    return out_of_range("geofence.near_restaurant_m", 10, 10'000);
  if (!within(g.near_customer_m, 10, 10'000))
    return out_of_range("geofence.near_customer_m", 10, 10'000);
  if (s.auto_reject_after_s != 0 && !within(s.auto_reject_after_s, 60, 86'400))
    return Error::unprocessable("auto_reject_after_s",
                                "auto_reject_after_s must be 0 (never) or from 60 to 86400");
  if (!within(s.preorder_lead_s, 0, 86'400)) return out_of_range("preorder_lead_s", 0, 86'400);
  return {};
}

}  // namespace comanda::engine
