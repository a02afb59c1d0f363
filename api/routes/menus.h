// A restaurant's menu: GET and PUT /v1/restaurants/{id}/menu, and GET, PUT,
// PATCH and DELETE /v1/restaurants/{id}/menu/items/{sku}.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable menu_routes(const ApiContext& context);

}  // namespace comanda::api
