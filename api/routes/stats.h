// A restaurant's daily numbers: GET /v1/restaurants/{id}/stats?date=.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable stats_routes(const ApiContext& ctx);

}  // namespace comanda::api
