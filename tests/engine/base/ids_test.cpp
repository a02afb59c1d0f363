// Identifiers (engine/base/ids.h): UUIDv7 minting, the canonical text form, raw bytes.
#include "engine/base/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <unordered_set>

namespace {

using comanda::engine::Uuid;
using comanda::engine::UuidHash;

uint64_t unix_ms_now() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// The 48-bit Unix-millisecond prefix of a UUIDv7.
uint64_t timestamp_ms(const Uuid& id) {
  uint64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = ms << 8 | id.bytes[static_cast<size_t>(i)];
  return ms;
}

constexpr std::string_view kSample = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";

TEST(Uuid, RoundTripsThroughTheCanonicalText) {
  for (int i = 0; i < 100; ++i) {
    const Uuid id = Uuid::v7();
    const std::string text = id.to_string();
    auto parsed = Uuid::parse(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, id);
  }
}

TEST(Uuid, WritesLowercaseHexInEightFourFourFourTwelveGroups) {
  const std::string text = Uuid::v7().to_string();
  ASSERT_EQ(text.size(), 36u);
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(text[i], '-') << text;
    } else {
      EXPECT_TRUE((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')) << text;
    }
  }
  auto sample = Uuid::parse(kSample);
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->to_string(), kSample);
  EXPECT_EQ(sample->bytes[0], 0x01);
  EXPECT_EQ(sample->bytes[15], 0x2b);
}

TEST(Uuid, MintsVersionSevenWithTheRfcVariant) {
  for (int i = 0; i < 100; ++i) {
    const Uuid id = Uuid::v7();
    EXPECT_EQ(id.bytes[6] >> 4, 7);
    EXPECT_EQ(id.bytes[8] & 0xC0, 0x80);
    const std::string text = id.to_string();
    EXPECT_EQ(text[14], '7');
    EXPECT_NE(std::string_view("89ab").find(text[19]), std::string_view::npos) << text;
  }
}

TEST(Uuid, ParsesUppercaseText) {
  auto upper = Uuid::parse("0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(*upper, *Uuid::parse(kSample));
}

TEST(Uuid, RefusesTextOfTheWrongLength) {
  EXPECT_FALSE(Uuid::parse("").has_value());
  EXPECT_FALSE(Uuid::parse(kSample.substr(0, 35)).has_value());
  EXPECT_FALSE(Uuid::parse(std::string(kSample) + "0").has_value());
  EXPECT_FALSE(Uuid::parse("0190a1b2c3d47e5f8a6b7c8d9e0f1a2b").has_value());  // no dashes
  EXPECT_FALSE(Uuid::parse("{0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b}").has_value());
}

TEST(Uuid, RefusesNonHexCharactersAndMisplacedDashes) {
  std::string bad(kSample);
  bad[0] = 'g';
  EXPECT_FALSE(Uuid::parse(bad).has_value());
  bad = kSample;
  bad[35] = ' ';
  EXPECT_FALSE(Uuid::parse(bad).has_value());
  bad = kSample;
  bad[8] = '0';  // the dash moved one place right
  bad[9] = '-';
  EXPECT_FALSE(Uuid::parse(bad).has_value());
  bad = kSample;
  bad[13] = '_';
  EXPECT_FALSE(Uuid::parse(bad).has_value());
  bad = kSample;
  bad[2] = '+';
  EXPECT_FALSE(Uuid::parse(bad).has_value());
  EXPECT_FALSE(Uuid::parse("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz").has_value());
}

TEST(Uuid, TakesExactlySixteenRawBytes) {
  const Uuid id = Uuid::v7();
  auto back = Uuid::from_raw(id.raw());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, id);
  EXPECT_EQ(id.raw().size(), 16u);
  EXPECT_FALSE(Uuid::from_raw(id.raw().substr(0, 15)).has_value());
  EXPECT_FALSE(Uuid::from_raw(std::string(id.raw()) + "x").has_value());
  EXPECT_FALSE(Uuid::from_raw("").has_value());
}

TEST(Uuid, IsNilOnlyWhenEveryByteIsZero) {
  EXPECT_TRUE(Uuid{}.is_nil());
  EXPECT_FALSE(Uuid::v7().is_nil());
  Uuid one;
  one.bytes[15] = 1;
  EXPECT_FALSE(one.is_nil());
  EXPECT_EQ(Uuid{}.to_string(), "00000000-0000-0000-0000-000000000000");
}

TEST(Uuid, CarriesTheMintingMillisecondInItsPrefix) {
  const uint64_t before = unix_ms_now();
  const Uuid id = Uuid::v7();
  const uint64_t after = unix_ms_now();
  EXPECT_GE(timestamp_ms(id), before);
  EXPECT_LE(timestamp_ms(id), after);
}

TEST(Uuid, OrdersIdsMintedInDifferentMillisecondsByTime) {
  const Uuid first = Uuid::v7();
  // Mint until the clock has moved to a later millisecond; bounded by a deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  Uuid later = Uuid::v7();
  while (timestamp_ms(later) <= timestamp_ms(first) && std::chrono::steady_clock::now() < deadline)
    later = Uuid::v7();
  ASSERT_GT(timestamp_ms(later), timestamp_ms(first)) << "the clock did not move in 2 s";
  EXPECT_LT(first, later);
  EXPECT_LT(first.to_string(), later.to_string());  // text order agrees with byte order
}

TEST(Uuid, MintsDistinctIdsWithNonDecreasingPrefixes) {
  std::unordered_set<Uuid, UuidHash> seen;
  uint64_t previous = 0;
  for (int i = 0; i < 10000; ++i) {
    const Uuid id = Uuid::v7();
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id.to_string();
    EXPECT_GE(timestamp_ms(id), previous);
    previous = timestamp_ms(id);
  }
}

TEST(UuidHash, HashesEqualIdsEqually) {
  const Uuid a = *Uuid::parse(kSample);
  const Uuid b = *Uuid::parse(kSample);
  EXPECT_EQ(UuidHash{}(a), UuidHash{}(b));
}

}  // namespace
