// The orders' routes: place, list, read, and change the status of orders.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable order_routes(const ApiContext& context);

// The answer to a command on an order: the order as it now is, with its
// ETag (and, for 201, its Location).
CommandSpec::Respond respond_with_order(const ApiContext& context, int status);

}  // namespace comanda::api
