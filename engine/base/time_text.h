// UTC timestamps as RFC 3339 text, both ways. Pure; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace comanda::engine {

// "2026-11-24T12:00:00.123Z" for microseconds since the Unix epoch.
std::string format_utc(int64_t unix_us);

// RFC 3339 ("2026-11-24T12:00:00.5Z", "2026-11-24t07:00:00-05:00") to
// microseconds since the Unix epoch, UTC. Fractions beyond microseconds are
// cut; offsets are at most 23:59. nullopt for anything else.
std::optional<int64_t> parse_rfc3339(std::string_view text);

}  // namespace comanda::engine
