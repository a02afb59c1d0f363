// Dispatch's routes: a driver takes a delivery, gives it up before pickup,
// and hands it over (engine/domain/dispatch.h).
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable dispatch_routes(const ApiContext& context);

}  // namespace comanda::api
