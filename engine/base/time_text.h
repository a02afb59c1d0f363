// UTC timestamps as RFC 3339 text. Pure; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace comanda::engine {

// The wall clock: microseconds since the Unix epoch, UTC.
int64_t utc_now_us();

// "2026-11-24T12:00:00.123Z" for microseconds since the Unix epoch.
std::string format_utc(int64_t unix_us);

}  // namespace comanda::engine
