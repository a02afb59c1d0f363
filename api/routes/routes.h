// Every route of the REST API: the resources' tables, in one list.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

// The tables of every resource, in matching order.
RouteTable all_routes(const ApiContext& context);

}  // namespace comanda::api
