// What a restaurant decides about its orders beyond prices (DESIGN.md
// "Dispatch, geofences, the scheduler and notifications"): its delivery fee,
// how its delivery orders are offered to drivers, the geofences that move
// them along, and the scheduler's times. Every field has the documented
// default; a restaurant registered before settings existed has them all.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/order_status.h"

namespace comanda::engine {

struct DispatchSettings {
  enum class Mode : uint8_t {
    kNearest,    // the `offer_to` available drivers nearest the restaurant, within `radius_m`
    kBroadcast,  // every available driver
    kNone,       // no offers: the restaurant assigns its own riders
  };
  Mode mode = Mode::kNearest;
  // When a delivery order is offered: on reaching awaiting_driver, or
  // already when accepted (GastroMóvil's way).
  OrderStatus offer_on = OrderStatus::kAwaitingDriver;
  uint32_t offer_to = 3;
  uint32_t radius_m = 5000;
  uint32_t offer_timeout_s = 60;
  friend bool operator==(const DispatchSettings&, const DispatchSettings&) = default;
};

struct GeofenceSettings {
  bool enabled = true;
  uint32_t near_restaurant_m = 150;
  uint32_t near_customer_m = 150;
  friend bool operator==(const GeofenceSettings&, const GeofenceSettings&) = default;
};

struct RestaurantSettings {
  int64_t delivery_fee = 0;  // minor units, on delivery orders
  DispatchSettings dispatch;
  GeofenceSettings geofence;
  uint32_t auto_reject_after_s = 0;  // 0: never
  uint32_t preorder_lead_s = 1800;   // a preorder turns pending this long before its time
  friend bool operator==(const RestaurantSettings&, const RestaurantSettings&) = default;
};

std::string_view dispatch_mode_name(DispatchSettings::Mode mode);
std::optional<DispatchSettings::Mode> parse_dispatch_mode(std::string_view name);

// Bounds every setting must keep (a 422 naming the field otherwise): offers
// to 1..100 drivers within 1..100,000 m, expiring after 5..3,600 s, made on
// awaiting_driver or accepted; geofences of 10..10,000 m; a fee of
// 0..10^12; auto-reject 0 or 60..86,400 s; a preorder lead of 0..86,400 s.
Status validate(const RestaurantSettings& settings);

}  // namespace comanda::engine
