// Every read model, registered as a node registers them, behind the queries
// the tests ask: for the tests of the read models, their snapshot and the
// decisions whose effects they show.
#pragma once

#include <optional>
#include <span>

#include "engine/domain/event.h"
#include "engine/log/event_log.h"
#include "projections/accounts.h"
#include "projections/audience.h"
#include "projections/drivers.h"
#include "projections/menus.h"
#include "projections/orders.h"
#include "projections/read_models.h"
#include "projections/registry.h"
#include "projections/restaurants.h"

namespace comanda::test_support {

class ModelsUnderTest {
 public:
  void apply(std::span<const engine::Event> events) { registry_.apply(events); }
  engine::Status rebuild(const engine::EventLog& log, uint64_t up_to = 0) {
    return registry_.rebuild(log, up_to);
  }
  uint64_t position() const { return registry_.position(); }
  bool has_gap() const { return registry_.has_gap(); }

  std::optional<projections::RestaurantView> restaurant(const engine::Uuid& id) const {
    return restaurants().restaurant(id);
  }
  std::optional<projections::AccountView> account(const engine::Uuid& id) const {
    return registry_.get<projections::AccountsModel>().account(id);
  }
  std::optional<projections::AccountView> account_of(const std::string& user_id,
                                                     const engine::Uuid& restaurant_id) const {
    return registry_.get<projections::AccountsModel>().account_of(user_id, restaurant_id);
  }
  std::optional<projections::MenuView> menu(const engine::Uuid& restaurant_id) const {
    return registry_.get<projections::MenusModel>().menu(restaurant_id);
  }
  std::optional<projections::OrderView> order(const engine::Uuid& id) const {
    return orders().order(id);
  }
  std::optional<projections::OrderView> order_for(const engine::Uuid& id,
                                                  const engine::Principal& viewer) const {
    return orders().order_for(id, viewer);
  }
  projections::OrderPage list_orders(const projections::OrderQuery& query) const {
    return orders().list_orders(query);
  }
  std::optional<projections::DriverView> driver_for(const engine::Uuid& id,
                                                    const engine::Principal& viewer) const {
    return drivers().driver_for(id, viewer);
  }
  projections::Audience audience(const engine::Event& event) const {
    return projections::AudienceOf(restaurants(), orders(), drivers())(event);
  }

  projections::ProjectionRegistry& registry() { return registry_; }
  const projections::ProjectionRegistry& registry() const { return registry_; }

 private:
  const projections::RestaurantsModel& restaurants() const {
    return registry_.get<projections::RestaurantsModel>();
  }
  const projections::OrdersModel& orders() const {
    return registry_.get<projections::OrdersModel>();
  }
  const projections::DriversModel& drivers() const {
    return registry_.get<projections::DriversModel>();
  }

  projections::ProjectionRegistry registry_{projections::read_models()};
};

}  // namespace comanda::test_support
