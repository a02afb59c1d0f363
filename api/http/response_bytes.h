// A response as the bytes an HTTP/1.1 connection sends: the status line, the
// header fields and the body, written into one reused buffer and sent with
// one write. Beast's message and serializer would allocate every field and
// walk a chain of buffer sequences per answer; the shape of an answer here
// is simple enough to write directly.
#pragma once

#include <string>

#include "api/http/http_types.h"

namespace comanda::api {

// Replaces `out` with `response` as sent: `Server: comandad`, its content
// type, its own fields, `Content-Length` (none for 1xx, 204 and 304, which
// have no body), `Connection: close` unless `keep_alive`. `head`: the fields
// a GET would get, without the body. A field whose name or value holds CR or
// LF is left out (it would end the head early).
void response_bytes(const Response& response, bool keep_alive, bool head, std::string& out);

}  // namespace comanda::api
