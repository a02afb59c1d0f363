// The restaurants read model: every restaurant by id, as it now is.
//
// Threads: see projections/projection.h; the queries on any thread.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/domain/restaurant.h"
#include "projections/read_model.h"

namespace comanda::projections {

using engine::Uuid;

struct RestaurantView {
  Uuid id;
  uint64_t version = 0;
  int64_t registered_at_us = 0;
  engine::RestaurantRegistered details;  // as registered, with every change since
  bool paused = false;
};

class RestaurantsModel final : public ReadModel {
 public:
  static constexpr std::string_view kName = "restaurants";

  // The restaurant; `position`, if given, receives the position the answer
  // reflects.
  std::optional<RestaurantView> restaurant(const Uuid& id, uint64_t* position = nullptr) const;
  // Its owners; empty for an unknown restaurant.
  std::vector<std::string> owners(const Uuid& id) const;
  // Its currency; "" for an unknown restaurant.
  std::string currency(const Uuid& id) const;
  // Every restaurant's id, oldest first (ids are time-ordered).
  std::vector<Uuid> ids() const;

  std::string_view name() const override { return kName; }
  engine::Status save(const RowSink& put) const override;
  engine::Status load_row(std::string_view key, std::string_view value) override;

 private:
  void apply_one(const engine::Event& e) override;
  void clear() override;

  std::unordered_map<Uuid, RestaurantView, engine::UuidHash> restaurants_;
};

}  // namespace comanda::projections
