// GET /healthz: liveness and the committed position. Open (no token).
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable health_routes(const ApiContext& context);

}  // namespace comanda::api
