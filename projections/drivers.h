// The drivers read model: every driver by id with its latest position (the
// newest ping by the device's time: a late ping never moves a driver back),
// and the drivers nearest a point, from a spatial index.
//
// Threads: see projections/projection.h; the queries on any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/domain/driver.h"
#include "engine/domain/principal.h"
#include "engine/domain/spatial_index.h"
#include "projections/read_model.h"

namespace comanda::projections {

using engine::Uuid;

// A driver's last reported position.
struct DriverPosition {
  engine::DriverLocationReported location;
  int64_t recorded_at_us = 0;  // when the engine recorded the ping
  uint64_t log_position = 0;   // of the ping's event
};

struct DriverView {
  Uuid id;
  uint64_t version = 0;
  int64_t registered_at_us = 0;
  engine::DriverRegistered details;
  // The newest ping by the device's time (by the engine's when the device
  // sent none): a ping that arrives late never moves the driver back.
  std::optional<DriverPosition> position;
  engine::Availability availability = engine::Availability::kOffline;
  bool active = true;
  Uuid order;  // busy: the delivery
};

class DriversModel final : public ReadModel {
 public:
  static constexpr std::string_view kName = "drivers";

  // The driver if `viewer` may act as it (engine/domain/access.h); nullopt
  // when absent or not theirs, alike. `position`, if given, receives the
  // position the answer reflects.
  std::optional<DriverView> driver_for(const Uuid& id, const engine::Principal& viewer,
                                       uint64_t* position = nullptr) const;
  // The account that acts as the driver ("" for an unknown driver).
  std::string user_of(const Uuid& id) const;
  // The driver whose account is `user_id` (nil when none).
  Uuid driver_of_user(const std::string& user_id) const;
  // The delivery the driver is on (nil when none, or an unknown driver).
  Uuid delivery_of(const Uuid& id) const;
  // Every driver's id, oldest first (ids are time-ordered).
  std::vector<Uuid> ids() const;
  // The driver, as `driver_for`, for the customer of the order `order` while
  // the driver delivers it (`customer_of` tells an order's customer; it is
  // asked without this model's lock held).
  std::optional<DriverView> delivering_to(
      const Uuid& id, const engine::Principal& customer,
      const std::function<std::string(const Uuid&)>& customer_of,
      uint64_t* position = nullptr) const;

  struct Nearby {
    DriverView driver;
    double distance_m = 0;
  };
  // Up to `limit` drivers with a position within `radius_m` of `from`,
  // nearest first; only the available (and active) ones if
  // `available_only`. `position`, if given, receives the position the answer
  // reflects.
  std::vector<Nearby> nearest(const engine::GeoPoint& from, double radius_m, bool available_only,
                              size_t limit, uint64_t* position = nullptr) const;

  std::string_view name() const override { return kName; }
  engine::Status save(const RowSink& put) const override;
  engine::Status load_row(std::string_view key, std::string_view value) override;

 private:
  void apply_one(const engine::Event& e) override;
  void clear() override;
  // Moves a driver in the spatial index when its position moved far enough.
  void locate(const DriverView& d);

  std::unordered_map<Uuid, DriverView, engine::UuidHash> drivers_;
  std::unordered_map<std::string, Uuid> by_user_;  // one driver per account
  // Every driver with a position, indexed within kSlackM of it: a ping that
  // moves a driver less than that changes no tree node (queries allow for
  // the slack, so answers stay exact).
  static constexpr double kSlackM = 30;
  engine::SpatialIndex located_;
};

}  // namespace comanda::projections
