// Dispatch (DESIGN.md "Dispatch, geofences, the scheduler and
// notifications"): how a delivery order finds its driver. When it reaches
// the restaurant's `dispatch.offer_on` status the engine offers it to the
// nearest available drivers (or to every one, `broadcast`; to nobody,
// `none`); an offer expires after `offer_timeout_s` and the next nearest are
// offered; with nobody in range the order waits until a driver comes in
// range. The first offered driver to accept gets it (busy until delivered,
// dropped or cancelled); an admin may assign any available driver. The
// assigned driver's pings move the order along by the restaurant's
// geofences.
//
// The events here are the order's (its stream); a driver's availability
// changes are the driver's (engine/domain/driver.h). Both kinds' Books keep
// the spatial indexes the decisions read: the drivers that may be offered
// work, and the orders waiting for one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/ids.h"
#include "engine/domain/geo.h"
#include "engine/domain/order_status.h"

namespace comanda::engine {

class Decision;
struct OrderState;

// ---- events (on the order's stream) ----

// The order offered to these drivers until `expires_at_us`.
struct DriverOffered {
  static constexpr std::string_view kType = "driver_offered";
  std::vector<Uuid> drivers;
  int64_t expires_at_us = 0;
  friend bool operator==(const DriverOffered&, const DriverOffered&) = default;
};

// Nobody answered in time: these drivers are skipped by the next offers
// until no one else is left.
struct OfferExpired {
  static constexpr std::string_view kType = "offer_expired";
  std::vector<Uuid> drivers;
  friend bool operator==(const OfferExpired&, const OfferExpired&) = default;
};

// The driver took another delivery: this order's offer to them stands no more.
struct OfferWithdrawn {
  static constexpr std::string_view kType = "offer_withdrawn";
  Uuid driver;
  friend bool operator==(const OfferWithdrawn&, const OfferWithdrawn&) = default;
};

// Nobody could be offered the order: it waits, from `pickup`, for a driver
// to come within `radius_m`.
struct DispatchWaiting {
  static constexpr std::string_view kType = "dispatch_waiting";
  GeoPoint pickup;
  uint32_t radius_m = 0;
  friend bool operator==(const DispatchWaiting&, const DispatchWaiting&) = default;
};

// The order's driver (its status moves to driver_assigned in the same batch).
struct DriverAssigned {
  static constexpr std::string_view kType = "driver_assigned";
  Uuid driver;
  friend bool operator==(const DriverAssigned&, const DriverAssigned&) = default;
};

// The driver gave the delivery up before pickup (ordering.co's 6, "canceled
// by driver"); the order goes back to awaiting_driver.
struct DriverUnassigned {
  static constexpr std::string_view kType = "driver_unassigned";
  Uuid driver;
  std::string reason;
  friend bool operator==(const DriverUnassigned&, const DriverUnassigned&) = default;
};

// ---- commands (on the order) ----

// An offered driver takes the delivery; an admin names any available driver.
struct AcceptDelivery {
  Uuid order_id;
  std::optional<Uuid> driver_id;  // an admin's assignment
};

// The assigned driver gives the delivery up before pickup.
struct DropDelivery {
  Uuid order_id;
  std::string reason;
};

// The scheduler's: the offer made until `expires_at_us` has expired (harmless
// when the order has moved on).
struct ExpireOffer {
  Uuid order_id;
  int64_t expires_at_us = 0;
};

// Who may take or give up a delivery, and what it moves: the first accept
// wins (the order's driver_assigned status, the driver busy, the driver's
// other offers withdrawn); a later one is a 409, a driver not offered the
// order a 404; a busy driver's accept a 409.
Status decide(AcceptDelivery& command, Decision& decision);
// Before pickup only (409 after); the driver is free again and the order
// offered anew to others.
Status decide(DropDelivery& command, Decision& decision);
Status decide(ExpireOffer& command, Decision& decision);

// ---- what other decisions call ----

// After a status change of `order` to `to` (already emitted): offers it when
// the step reaches the restaurant's offer_on status or skips past it (short
// of a fleet or an assigned driver), and frees its driver when `to` ends the
// delivery.
void after_status_change(Decision& decision, const Uuid& order_id, const OrderState& order,
                         OrderStatus to);

// After a live order's deletion (already emitted): frees its driver.
void after_delete(Decision& decision, const OrderState& order);

// After a driver's ping (already emitted) at `where`: the geofence steps of
// the order they deliver, or offers of the waiting orders in range.
void after_ping(Decision& decision, const Uuid& driver_id, const GeoPoint& where);

// After a driver became available (already emitted): offers of the waiting
// orders in range of their last position.
void after_available(Decision& decision, const Uuid& driver_id);

// After a driver took a delivery (`except`), went offline or was suspended
// (already emitted): their standing offers are withdrawn, and an order left
// with nobody offered is offered anew (to others), or waits.
void withdraw_offers(Decision& decision, const Uuid& driver_id, const Uuid& except = {});

}  // namespace comanda::engine
