// The driver aggregate: a driver is an account (one driver per account) that
// reports its GPS position as events on its own stream, says whether it is
// available for work, and is busy while it has a delivery
// (engine/domain/dispatch.h). An admin may deactivate a driver: an
// inactive one gets no offers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"
#include "engine/domain/geo.h"
#include "engine/domain/spatial_index.h"

namespace comanda::engine {

struct Event;
class Decision;

// ---- events ----

struct DriverRegistered {
  static constexpr std::string_view kType = "driver_registered";
  std::string name;
  std::string phone;
  std::string user_id;  // the `sub` of the driver's own account: who may act as this driver
  std::string vehicle;
  friend bool operator==(const DriverRegistered&, const DriverRegistered&) = default;
};

// A GPS ping. Coordinates are stored as degrees times 10^7 (about 1 cm).
struct DriverLocationReported {
  static constexpr std::string_view kType = "driver_location_reported";
  int32_t lat_e7 = 0;
  int32_t lng_e7 = 0;
  std::optional<float> heading_deg;  // 0..360, clockwise from north
  std::optional<float> speed_mps;
  std::optional<float> accuracy_m;
  int64_t reported_at_us = 0;  // the device's clock; 0 when it sent none
  friend bool operator==(const DriverLocationReported&, const DriverLocationReported&) = default;
};

enum class Availability : uint8_t {
  kOffline,    // the driver's choice: no offers (a new driver starts so)
  kAvailable,  // the driver's choice: offers, once its position is known
  kBusy,       // the engine's: a delivery assigned
};

std::string_view availability_name(Availability availability);
std::optional<Availability> parse_availability(std::string_view name);

// Set by the driver (available, offline) or by the engine (busy with
// `order_id`, and back to available when the delivery ends).
struct DriverAvailabilityChanged {
  static constexpr std::string_view kType = "driver_availability_changed";
  Availability availability = Availability::kOffline;
  Uuid order_id;  // busy: the delivery
  friend bool operator==(const DriverAvailabilityChanged&,
                         const DriverAvailabilityChanged&) = default;
};

// An admin's: an inactive driver gets no offers.
struct DriverActiveChanged {
  static constexpr std::string_view kType = "driver_active_changed";
  bool active = true;
  friend bool operator==(const DriverActiveChanged&, const DriverActiveChanged&) = default;
};

// ---- commands ----

struct RegisterDriver {
  Uuid driver_id;  // minted by the caller
  DriverRegistered details;
};

// A GPS ping from a driver's app.
struct ReportLocation {
  Uuid driver_id;
  DriverLocationReported location;
};

// The driver (or an admin) says whether it takes work: available or offline.
struct SetAvailability {
  Uuid driver_id;
  Availability availability = Availability::kOffline;
};

struct SetDriverActive {
  Uuid driver_id;
  bool active = true;
};

// ---- state ----

struct DriverState {
  uint64_t version = 0;
  std::string user_id;  // the account that acts as this driver
  Availability availability = Availability::kOffline;
  bool active = true;
  Uuid order;  // busy: the delivery; nil otherwise
  // The newest position by the device's time (a late ping moves nothing).
  std::optional<GeoPoint> position;
  int64_t position_at_us = 0;

  // Whether the driver may be offered work: available, active, positioned.
  bool offerable() const {
    return availability == Availability::kAvailable && active && position.has_value();
  }
};

// Every driver, and which account each one is.
class DriverBook : public Book<DriverState> {
 public:
  const DriverState& apply(const Event& event, const DriverRegistered& registered);
  const DriverState& apply(const Event& event, const DriverLocationReported& ping);
  const DriverState& apply(const Event& event, const DriverAvailabilityChanged& changed);
  const DriverState& apply(const Event& event, const DriverActiveChanged& changed);
  // A driver as a snapshot holds it, indexed.
  void restore(const Uuid& id, DriverState state);
  // The driver whose account is `user_id`, if any.
  std::optional<Uuid> of_user(const std::string& user_id) const;
  // The drivers that may be offered work, where they are.
  const SpatialIndex& offerable() const { return offerable_; }

 private:
  // Keeps the driver in the index exactly while it may be offered work.
  const DriverState& indexed(const Uuid& id, const DriverState& driver);

  std::unordered_map<std::string, Uuid> by_user_;  // one driver per account
  SpatialIndex offerable_;
};

struct Driver {
  using State = DriverState;
  using Book = DriverBook;
  using Commands = TypeList<RegisterDriver, ReportLocation, SetAvailability, SetDriverActive>;
  using Events = TypeList<DriverRegistered, DriverLocationReported, DriverAvailabilityChanged,
                          DriverActiveChanged>;
};

// A driver signs themself up (their account is the caller's); an admin names
// the account. One driver per account.
Status decide(RegisterDriver& command, Decision& decision);

// Only the driver's own account, or an admin, reports its position. The
// ping moves the order the driver delivers along its geofences, or offers
// the driver the waiting orders in range (engine/domain/dispatch.h).
Status decide(ReportLocation& command, Decision& decision);

// The driver or an admin; a busy driver stays busy until its delivery ends
// (409). Becoming available offers the waiting orders in range.
Status decide(SetAvailability& command, Decision& decision);

// Admins only. A suspended driver's standing offers are withdrawn (as when
// going offline) and go to others.
Status decide(SetDriverActive& command, Decision& decision);

}  // namespace comanda::engine
