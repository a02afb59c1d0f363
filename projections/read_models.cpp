#include "projections/read_models.h"

#include <memory>

#include "projections/accounts.h"
#include "projections/drivers.h"
#include "projections/menus.h"
#include "projections/orders.h"
#include "projections/restaurants.h"

namespace comanda::projections {

std::vector<std::unique_ptr<Projection>> read_models() {
  std::vector<std::unique_ptr<Projection>> models;
  models.push_back(std::make_unique<RestaurantsModel>());
  models.push_back(std::make_unique<MenusModel>());
  models.push_back(std::make_unique<OrdersModel>());
  models.push_back(std::make_unique<DriversModel>());
  models.push_back(std::make_unique<AccountsModel>());
  return models;
}

}  // namespace comanda::projections
