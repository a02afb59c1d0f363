// IANA time zones, from this machine's tz database (Howard Hinnant's date
// library: GCC 12 has no std::chrono time zones). Safe on any thread; the
// first call reads the database from disk.
#pragma once

#include <string>

namespace comanda::engine {

// Whether `name` is an IANA time zone this machine's tz database knows.
bool is_known_time_zone(const std::string& name);

}  // namespace comanda::engine
