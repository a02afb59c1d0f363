// The API's description, GET /openapi.json: an OpenAPI 3.1 document written
// from the route descriptors (api/routes/route.h) and the JSON Schemas of
// their bodies, kept by hand in api/openapi/schemas.json beside the JSON
// code they describe and compiled into the binary. The end-to-end tests
// check every response they get against it (tests/e2e/openapi_check.py).
#pragma once

#include <string>
#include <string_view>

#include "api/routes/route.h"

namespace comanda::api {

// The OpenAPI 3.1.0 document of `routes`: a path item per pattern, an
// operation per route with its path parameters, headers, request body,
// roles (x-roles), security and responses: its own statuses with its
// response schema, and as problems its `problems` plus what the connection,
// the router and the command path answer around any route of its kind.
// components.schemas is schemas.json. Safe on any thread.
std::string openapi_document(const RouteTable& routes);

// Appends GET /openapi.json to `routes` (open: no token), serving the
// document of the whole table, itself included, rendered once here.
void add_openapi_route(RouteTable& routes);

// The text of api/openapi/schemas.json: {"Name": <JSON Schema>, ...}.
// Defined in a file generated at build time (cmake/embed_text.cmake).
std::string_view openapi_schemas();

}  // namespace comanda::api
