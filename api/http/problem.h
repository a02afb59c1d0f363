// RFC 9457 problem responses: one place maps error codes to HTTP statuses and
// stable problem types.
#pragma once

#include <string>
#include <string_view>

#include "api/http/http_types.h"
#include "engine/base/error.h"

namespace comanda::api {

// The HTTP status for an engine error code.
int http_status(engine::ErrorCode code);

// An application/problem+json response for `error`. `type` is
// "urn:comanda:problem:<slug>", with a slug per error code.
Response problem(const engine::Error& error);

// A problem with an explicit status and slug, for protocol-level errors
// (unknown route, wrong method, body too large).
Response problem(int status, std::string_view slug, std::string_view title, std::string detail);

}  // namespace comanda::api
