// comandad's log: spdlog, to stderr, one line per entry with the UTC time
// and the level first. Every answered HTTP request is one
// `access` line at level info, in logfmt (key=value; what a client chose
// — its path, its token's subject — quoted and escaped as JSON strings, so
// a line can never be forged or broken by a request):
//
//   2026-11-30T15:02:11.481Z info access method=POST route="/v1/orders"
//     target="/v1/orders" status=201 ms=0.912 principal="owner:ana"
//     position=1042 peer=127.0.0.1
//
// Logging never blocks a network thread: a line is appended to a buffer that
// a thread of its own writes to stderr in blocks (64 KiB, or every second,
// or at once for a warning); when 16 MiB wait because stderr does not keep
// up, lines are dropped and counted.
#pragma once

#include <string>
#include <string_view>

#include "api/http/http_types.h"
#include "engine/base/error.h"

namespace comanda::api {

// "debug", "info" (default), "warn", "error" or "off"; anything else is an
// error naming the choices.
engine::Status set_log_level(std::string_view level);

// Starts the log's writer thread at `level` (checked by set_log_level first).
void start_logging(std::string_view level);
// Writes what waits and stops the logging thread (at exit).
void stop_logging();

// The access line of one answer (without time and level). `route` is the
// pattern of the route that served it, "" for none.
std::string access_line(const Served& served, std::string_view route);

// Logs it, if info is enabled.
void log_access(const Served& served, std::string_view route);

}  // namespace comanda::api
