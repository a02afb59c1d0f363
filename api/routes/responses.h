// Pieces of responses every route uses. Pure; safe on any thread.
#pragma once

#include <cstdint>
#include <string>

#include "api/http/http_types.h"

namespace comanda::api {

// A JSON response with the log position it reflects (Comanda-Position).
Response json_response(int status, std::string body, uint64_t position);

// 204 No Content, with the log position of the change it answers.
Response no_content(uint64_t position);

// The ETag of a stream's version: "3".
std::string etag(uint64_t version);

// For the success of a command whose result the read models do not show:
// never expected (a command's events are applied before its caller is
// answered), but a client must not be told of a success it cannot see.
Response not_in_read_models();

}  // namespace comanda::api
