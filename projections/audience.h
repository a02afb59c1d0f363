// Who may see an event (engine/domain/access.h's rules, for the live feed):
// the owners of its restaurant and, for an order's events, the order's
// customer; for a driver's events, the driver's own account. Admins see
// everything.
//
// Thread-safe: reads the models through their queries.
#pragma once

#include <string>
#include <vector>

#include "engine/domain/event.h"
#include "engine/domain/principal.h"
#include "projections/drivers.h"
#include "projections/orders.h"
#include "projections/restaurants.h"

namespace comanda::projections {

struct Audience {
  std::vector<std::string> owners;
  std::string customer_id;
  std::string driver_user;  // set for a driver's events only

  // Whether `principal` may see the event.
  bool admits(const engine::Principal& principal) const;
};

class AudienceOf {
 public:
  // The models must outlive it.
  AudienceOf(const RestaurantsModel& restaurants, const OrdersModel& orders,
             const DriversModel& drivers)
      : restaurants_(restaurants), orders_(orders), drivers_(drivers) {}

  // The audience of a committed event, from models that have applied it.
  Audience operator()(const engine::Event& event) const;

 private:
  const RestaurantsModel& restaurants_;
  const OrdersModel& orders_;
  const DriversModel& drivers_;
};

}  // namespace comanda::projections
