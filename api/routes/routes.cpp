#include "api/routes/routes.h"

#include "api/openapi/openapi.h"
#include "api/routes/accounts.h"
#include "api/routes/admin.h"
#include "api/routes/dispatch.h"
#include "api/routes/drivers.h"
#include "api/routes/health.h"
#include "api/routes/menus.h"
#include "api/routes/orders.h"
#include "api/routes/restaurants.h"
#include "api/routes/stats.h"
#include "api/web/pages.h"

namespace comanda::api {

RouteTable all_routes(const ApiContext& context) {
  // One line per resource. A 405's Allow header lists methods in this order.
  using TableOf = RouteTable (*)(const ApiContext&);
  // clang-format off
  constexpr TableOf kResources[] = {
      &health_routes,
      &restaurant_routes,
      &menu_routes,
      &order_routes,
      &dispatch_routes,
      &driver_routes,
      &account_routes,
      &stats_routes,
      &admin_routes,
      &page_routes,
  };
  // clang-format on
  RouteTable all;
  for (TableOf table : kResources)
    for (Route& route : table(context)) all.push_back(std::move(route));
  add_openapi_route(all);  // the description of the whole table
  return all;
}

}  // namespace comanda::api
