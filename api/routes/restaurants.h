// The restaurants' routes: POST /v1/restaurants.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable restaurant_routes(const ApiContext& context);

}  // namespace comanda::api
