// Customer accounts and their credit (Canteen): POST /v1/customers, GET
// /v1/customers/{id}, POST /v1/customers/{id}/credit.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable account_routes(const ApiContext& context);

}  // namespace comanda::api
