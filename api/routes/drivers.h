// The drivers' routes: sign up, read, report a GPS position, read it back.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable driver_routes(const ApiContext& context);

}  // namespace comanda::api
