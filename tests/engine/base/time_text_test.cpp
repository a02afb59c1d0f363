// Time as text both ways, and time zones (engine/base/time_text.h,
// engine/base/time_zone.h).
#include "engine/base/time_text.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <string>

#include "engine/base/time_zone.h"

namespace {

using namespace comanda::engine;

constexpr int64_t kNoon = 1'795'521'600'000'000;  // 2026-11-24T12:00:00Z

TEST(TimeText, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_utc(kNoon), "2026-11-24T12:00:00.000Z");
  EXPECT_EQ(format_utc(kNoon + 123'456), "2026-11-24T12:00:00.123Z");
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999Z");
}

// What the C library says of the same instant, for comparison.
std::string libc_utc(int64_t unix_us) {
  int64_t seconds = unix_us / 1'000'000, micros = unix_us % 1'000'000;
  if (micros < 0) micros += 1'000'000, --seconds;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(micros / 1000));
  return buf;
}

TEST(TimeText, FormatsAnyInstantAsTheCLibraryDoes) {
  std::mt19937_64 random(20261130);
  constexpr int64_t kYear1 = -62'135'596'800'000'000, kYear10000 = 253'402'300'800'000'000;
  std::uniform_int_distribution<int64_t> any(kYear1 - 1'000'000'000'000,
                                             kYear10000 + 1'000'000'000'000);
  for (int i = 0; i < 20'000; ++i) {
    const int64_t t = any(random);
    ASSERT_EQ(format_utc(t), libc_utc(t)) << t;
  }
  for (const int64_t t : {int64_t{0}, kYear1, kYear1 - 1, kYear10000 - 1, kYear10000,
                          int64_t{951'782'400'000'000} /* 2000-02-29 */})
    EXPECT_EQ(format_utc(t), libc_utc(t)) << t;
}

TEST(TimeText, ParsesRfc3339WithZoneOrOffset) {
  EXPECT_EQ(parse_rfc3339("2026-11-24T12:00:00Z"), kNoon);
  EXPECT_EQ(parse_rfc3339("2026-11-24t12:00:00z"), kNoon);
  EXPECT_EQ(parse_rfc3339("2026-11-24T07:00:00-05:00"), kNoon);
  EXPECT_EQ(parse_rfc3339("2026-11-24T12:00:00.25Z"), kNoon + 250'000);
  // Beyond microseconds the fraction is cut, not refused.
  EXPECT_EQ(parse_rfc3339("2026-11-24T12:00:00.123456789Z"), kNoon + 123'456);
  EXPECT_EQ(parse_rfc3339(format_utc(kNoon + 5'000)), kNoon + 5'000);
}

TEST(TimeText, RefusesWhatIsNotRfc3339) {
  for (const char* bad : {"", "2026-11-24", "2026-11-24 12:00:00Z", "2026-11-24T12:00:00",
                          "2026-11-24T12:00:00.Z", "2026-11-24T12:00:00+25:00",
                          "2026-11-24T12:00:00+05:60", "2026-13-24T12:00:00Z", "yesterday"})
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

TEST(TimeText, RefusesFieldsOfAnotherWidthOrSeparator) {
  // Found by fuzz/fuzz_request_body: a time of day or an offset cut short
  // had date::parse compute with fields it never read (undefined behaviour,
  // which clang's UBSan reports); and fields of one digit, which RFC 3339
  // does not have, were read ("2026-11-4" as the 4th).
  for (const char* bad :
       {"2026-11-17T08:50*00.250Z", "2026-12-24T20:00:00-+05:/0", "2026-12-24T20:00:00x+05:00",
        "2026-12-24T20:00:00+5:00", "2026-11-4T12:00:00.5Z", "2026-1-24T12:00:00.5Z",
        "2026-11-24T1:00:00.5Z", "2026-11-24T12:0:00.5Z", "2026-11-24T12:00:0.25Z"})
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

TEST(TimeZones, KnowsIanaNamesOnly) {
  EXPECT_TRUE(is_known_time_zone("America/Lima"));
  EXPECT_TRUE(is_known_time_zone("UTC"));
  EXPECT_FALSE(is_known_time_zone("Mars/Olympus_Mons"));
  EXPECT_FALSE(is_known_time_zone(""));
}

TEST(LocalDates, ReadAndWriteCalendarDates) {
  ASSERT_TRUE(parse_date("2026-11-24"));
  EXPECT_EQ(format_date(*parse_date("2026-11-24")), "2026-11-24");
  EXPECT_EQ(*parse_date("1970-01-01"), 0);
  EXPECT_EQ(*parse_date("1969-12-31"), -1);
  EXPECT_EQ(*parse_date("2024-02-29") + 1, *parse_date("2024-03-01"));
  for (std::string_view bad : {"2026-02-30", "2026-13-01", "2026-11-24T00:00:00Z", "2026-1-24",
                               "26-11-24", "", "2026-11-2x", "0000-01-01", "2026/11/24"})
    EXPECT_FALSE(parse_date(bad)) << bad;
}

TEST(LocalDates, FollowTheZoneOfTheRestaurant) {
  // 2026-11-24T02:00:00Z is still the 23rd in Lima (UTC-5), the 24th in UTC
  // and in Madrid (UTC+1).
  const int64_t early = kNoon - 10 * 3600 * 1'000'000LL;
  const auto lima = TimeZone::find("America/Lima");
  const auto madrid = TimeZone::find("Europe/Madrid");
  ASSERT_TRUE(lima && madrid);
  EXPECT_EQ(format_date(lima->local_date(early)), "2026-11-23");
  EXPECT_EQ(format_date(TimeZone().local_date(early)), "2026-11-24");
  EXPECT_EQ(format_date(madrid->local_date(early)), "2026-11-24");
  EXPECT_EQ(format_date(TimeZone().local_date(-1)), "1969-12-31");
  EXPECT_FALSE(TimeZone::find("Mars/Olympus_Mons"));
}

TEST(LocalDates, LocalTimesCarryTheirOffset) {
  // 2026-11-24T02:00:00.5Z: the 23rd at 21:00 in Lima, 03:00 in Madrid
  // (winter), and in summer Madrid is two hours ahead.
  const int64_t early = kNoon - 10 * 3600 * 1'000'000LL + 500'000;
  const auto lima = TimeZone::find("America/Lima");
  const auto madrid = TimeZone::find("Europe/Madrid");
  ASSERT_TRUE(lima && madrid);
  EXPECT_EQ(lima->format_local(early), "2026-11-23T21:00:00.500-05:00");
  EXPECT_EQ(madrid->format_local(early), "2026-11-24T03:00:00.500+01:00");
  EXPECT_EQ(TimeZone().format_local(early), "2026-11-24T02:00:00.500Z");
  const int64_t july = early - int64_t{136} * 24 * 3600 * 1'000'000;  // 2026-07-11
  EXPECT_EQ(madrid->format_local(july), "2026-07-11T04:00:00.500+02:00");
}

TEST(LocalDates, AZoneNamesItselfAndIsFoundByItsName) {
  EXPECT_EQ(TimeZone().name(), "UTC");
  for (const char* name : {"America/Lima", "Europe/Madrid", "UTC"}) {
    auto zone = TimeZone::find(name);
    ASSERT_TRUE(zone) << name;
    const std::string named(zone->name());
    EXPECT_EQ(named, name);
    EXPECT_TRUE(TimeZone::find(named)) << name;
  }
}

}  // namespace
