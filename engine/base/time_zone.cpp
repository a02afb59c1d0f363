#include "engine/base/time_zone.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>

namespace comanda::engine {

namespace {

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

bool is_known_time_zone(const std::string& name) { return TimeZone::find(name).has_value(); }

std::optional<LocalDate> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(text.substr(0, 4));
  auto m = digits(text.substr(5, 2));
  auto d = digits(text.substr(8, 2));
  if (!y || !m || !d || *y < 1) return std::nullopt;
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<LocalDate>(date::sys_days{ymd}.time_since_epoch().count());
}

std::string format_date(LocalDate value) {
  const date::year_month_day ymd{date::sys_days{date::days{value}}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

std::optional<TimeZone> TimeZone::find(const std::string& name) {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    if (!zone) return std::nullopt;
    return TimeZone(zone);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string_view TimeZone::name() const {
  // Not a conditional expression: its type would be a temporary std::string,
  // and the view would outlive it.
  if (!zone_) return "UTC";
  return zone_->name();
}

LocalDate TimeZone::local_date(int64_t unix_us) const {
  using std::chrono::microseconds;
  const date::sys_time<microseconds> at{microseconds{unix_us}};
  if (!zone_)
    return static_cast<LocalDate>(std::chrono::floor<date::days>(at).time_since_epoch().count());
  const auto local = zone_->to_local(at);
  return static_cast<LocalDate>(std::chrono::floor<date::days>(local).time_since_epoch().count());
}

std::string TimeZone::format_local(int64_t unix_us) const {
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  const auto at =
      std::chrono::floor<milliseconds>(date::sys_time<microseconds>{microseconds{unix_us}});
  if (!zone_) return date::format("%FT%TZ", at);
  const auto info = zone_->get_info(at);
  const auto local = date::local_time<milliseconds>{at.time_since_epoch() + info.offset};
  const int offset_min =
      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
  char offset[16];  // "+05:30"; room for what the compiler cannot rule out
  std::snprintf(offset, sizeof offset, "%c%02d:%02d", offset_min < 0 ? '-' : '+',
                std::abs(offset_min) / 60, std::abs(offset_min) % 60);
  return date::format("%FT%T", local) + offset;
}

}  // namespace comanda::engine
