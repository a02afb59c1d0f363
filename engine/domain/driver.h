// The driver aggregate: a driver is an account (one driver per account) that
// reports its GPS position as events on its own stream.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"

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

// ---- state ----

struct DriverState {
  uint64_t version = 0;
  std::string user_id;  // the account that acts as this driver
};

// Every driver, and which account each one is.
class DriverBook : public Book<DriverState> {
 public:
  const DriverState& apply(const Event& event, const DriverRegistered& registered);
  const DriverState& apply(const Event& event, const DriverLocationReported& ping);
  // The driver whose account is `user_id`, if any.
  std::optional<Uuid> of_user(const std::string& user_id) const;

 private:
  std::unordered_map<std::string, Uuid> by_user_;  // one driver per account
};

struct Driver {
  using State = DriverState;
  using Book = DriverBook;
  using Commands = TypeList<RegisterDriver, ReportLocation>;
  using Events = TypeList<DriverRegistered, DriverLocationReported>;
};

// A driver signs themself up (their account is the caller's); an admin names
// the account. One driver per account.
Status decide(RegisterDriver& command, Decision& decision);

// Only the driver's own account, or an admin, reports its position.
Status decide(ReportLocation& command, Decision& decision);

}  // namespace comanda::engine
