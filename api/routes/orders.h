// The orders' routes: place, list, read, and change the status of orders.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable order_routes(const ApiContext& context);

}  // namespace comanda::api
