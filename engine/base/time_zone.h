// IANA time zones, from this machine's tz database (Howard Hinnant's date
// library: GCC 12 has no std::chrono time zones), and local calendar dates.
// Safe on any thread; the first lookup reads the database from disk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace comanda::engine {

// Whether `name` is an IANA time zone this machine's tz database knows.
bool is_known_time_zone(const std::string& name);

// A calendar date as days since 1970-01-01 (negative before it).
using LocalDate = int32_t;

// "2026-11-24" (the proleptic Gregorian calendar, years 1..9999); nullopt
// for anything else, including impossible dates (2026-02-30).
std::optional<LocalDate> parse_date(std::string_view text);
std::string format_date(LocalDate date);

// A zone of the database, cheap to copy (the database owns the rules).
class TimeZone {
 public:
  // UTC.
  TimeZone() = default;
  // nullopt for a name the database does not know.
  static std::optional<TimeZone> find(const std::string& name);

  // Its IANA name ("UTC" for the default).
  std::string_view name() const;

  // The local date in this zone at `unix_us` (microseconds since the epoch).
  LocalDate local_date(int64_t unix_us) const;
  // The local time in this zone at `unix_us`, with its offset, to the
  // millisecond: "2026-11-30T07:20:23.831-05:00".
  std::string format_local(int64_t unix_us) const;

  friend bool operator==(const TimeZone&, const TimeZone&) = default;

 private:
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}
  const date::time_zone* zone_ = nullptr;  // null: UTC
};

}  // namespace comanda::engine
