// The drivers read model: every driver by id with its latest position (the
// newest ping by the device's time: a late ping never moves a driver back).
//
// Threads: see projections/projection.h; the queries on any thread.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "engine/domain/driver.h"
#include "engine/domain/principal.h"
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

  std::string_view name() const override { return kName; }
  engine::Status save(const RowSink& put) const override;
  engine::Status load_row(std::string_view key, std::string_view value) override;

 private:
  void apply_one(const engine::Event& e) override;
  void clear() override;
  std::unordered_map<Uuid, DriverView, engine::UuidHash> drivers_;
};

}  // namespace comanda::projections
