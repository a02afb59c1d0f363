#include "engine/base/time_text.h"

#include <date/date.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace comanda::engine {

std::string format_utc(int64_t unix_us) {
  int64_t seconds = unix_us / 1'000'000;
  int64_t micros = unix_us % 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[80];  // room for any int the format could print
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(micros / 1000));
  return buf;
}

std::optional<int64_t> parse_rfc3339(std::string_view text) {
  if (text.size() < 20 || text.size() > 64) return std::nullopt;
  std::string trimmed(text);
  if (trimmed[10] == 't') trimmed[10] = 'T';  // RFC 3339 allows either case
  if (trimmed[19] == '.') {
    size_t end = 20;
    while (end < trimmed.size() && trimmed[end] >= '0' && trimmed[end] <= '9') ++end;
    if (end == 20) return std::nullopt;  // a dot without digits
    if (end > 26) trimmed.erase(26, end - 26);
  }
  const char last = trimmed.back();
  if (last != 'Z' && last != 'z') {
    // "+hh:mm": date::parse reads any two-digit hours.
    if (trimmed.size() < 6 || trimmed[trimmed.size() - 3] != ':') return std::nullopt;
    const int hours =
        (trimmed[trimmed.size() - 5] - '0') * 10 + (trimmed[trimmed.size() - 4] - '0');
    const int minutes = (trimmed[trimmed.size() - 2] - '0') * 10 + (last - '0');
    if (hours > 23 || minutes > 59) return std::nullopt;
  } else {
    trimmed.back() = 'Z';
  }
  for (const char* format : {"%FT%TZ", "%FT%T%Ez"}) {
    std::istringstream in{trimmed};
    date::sys_time<std::chrono::microseconds> t;
    in >> date::parse(format, t);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof())
      return t.time_since_epoch().count();
  }
  return std::nullopt;
}

}  // namespace comanda::engine
