// The built-in pages (web/), served by comandad from its own binary:
// GET /board/{restaurant_id} (the kitchen board), GET /track/{order_id}
// (the customer's tracking page) and their scripts and stylesheet under
// /web/. Open routes: the pages hold no data; they ask for the caller's
// token (a field, or a #token= fragment, which never reaches the server)
// and then call the API and the socket as that caller.
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable page_routes(const ApiContext& context);

}  // namespace comanda::api
