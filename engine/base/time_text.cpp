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
  int64_t days = seconds / 86'400;
  int64_t in_day = seconds % 86'400;
  if (in_day < 0) {
    in_day += 86'400;
    --days;
  }
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {  // beyond four digits: printf's layout
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[80];  // room for any int the format could print
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(micros / 1000));
    return buf;
  }
  // Written digit by digit: this runs for every time in every answer.
  char text[] = "0000-00-00T00:00:00.000Z";
  const auto put = [&](int at, int digits, int64_t value) {
    for (int i = at + digits - 1; i >= at; --i, value /= 10)
      text[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, year);
  put(5, 2, static_cast<unsigned>(ymd.month()));
  put(8, 2, static_cast<unsigned>(ymd.day()));
  put(11, 2, in_day / 3600);
  put(14, 2, in_day / 60 % 60);
  put(17, 2, in_day % 60);
  put(20, 3, micros / 1000);
  return std::string(text, sizeof text - 1);
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The text is checked whole before date::parse reads it: when the text stops
// matching the format, date 3.0.1 goes on computing with the fields it never
// read (seconds left an uninitialized long double and converted to an
// integer; an offset left at INT64_MIN minutes and negated), which is
// undefined behaviour. Found by fuzz/fuzz_request_body; later versions of
// date fix the first.

// "YYYY-MM-DDTHH:MM:SS", the layout RFC 3339 fixes.
bool has_rfc3339_layout(std::string_view s) {
  constexpr std::string_view kLayout = "dddd-dd-ddTdd:dd:dd";
  if (s.size() < kLayout.size()) return false;
  for (size_t i = 0; i < kLayout.size(); ++i)
    if (kLayout[i] == 'd' ? !is_digit(s[i]) : s[i] != kLayout[i]) return false;
  return true;
}

// "Z" (either case) or "+hh:mm" / "-hh:mm" within a day (date::parse reads
// any two-digit hours).
bool is_offset(std::string_view s) {
  if (s == "Z" || s == "z") return true;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return false;
  if (!is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[4]) || !is_digit(s[5])) return false;
  const int hours = (s[1] - '0') * 10 + (s[2] - '0');
  const int minutes = (s[4] - '0') * 10 + (s[5] - '0');
  return hours <= 23 && minutes <= 59;
}

}  // namespace

std::optional<int64_t> parse_rfc3339(std::string_view text) {
  if (text.size() < 20 || text.size() > 64) return std::nullopt;
  std::string trimmed(text);
  if (trimmed[10] == 't') trimmed[10] = 'T';  // RFC 3339 allows either case
  if (!has_rfc3339_layout(trimmed)) return std::nullopt;
  size_t end = 19;  // of the seconds and their fraction
  if (trimmed[19] == '.') {
    end = 20;
    while (end < trimmed.size() && is_digit(trimmed[end])) ++end;
    if (end == 20) return std::nullopt;  // a dot without digits
    if (end > 26) {
      trimmed.erase(26, end - 26);
      end = 26;
    }
  }
  if (!is_offset(std::string_view(trimmed).substr(end))) return std::nullopt;
  if (trimmed.back() == 'z') trimmed.back() = 'Z';
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
