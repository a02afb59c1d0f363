// The per-caller token buckets behind --rate-limit (api/http/rate_limiter.h).
#include "api/http/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using comanda::api::RateLimiter;
using namespace std::chrono_literals;

TEST(RateLimiter, AQuietCallerMaySendItsBurstThenIsRefused) {
  RateLimiter limiter({.per_second = 10, .burst = 5});
  const auto t0 = RateLimiter::Clock::time_point() + 1h;
  for (uint32_t i = 0; i < 5; ++i) {
    auto d = limiter.take("owner:ana", t0);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 5u);
    EXPECT_EQ(d.remaining, 4 - i);
  }
  auto refused = limiter.take("owner:ana", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.retry_after_s, 1u);  // a token every 100 ms: rounded up to whole seconds
  EXPECT_EQ(refused.reset_s, 1u);        // 5 tokens at 10/s
  // Another caller has its own bucket.
  EXPECT_TRUE(limiter.take("owner:bea", t0).allowed);
}

TEST(RateLimiter, RefillsAtItsRateUpToTheBurst) {
  RateLimiter limiter({.per_second = 2, .burst = 2});
  const auto t0 = RateLimiter::Clock::time_point() + 1h;
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  EXPECT_FALSE(limiter.take("k", t0).allowed);
  EXPECT_FALSE(limiter.take("k", t0 + 400ms).allowed);  // 0.8 of a token
  EXPECT_TRUE(limiter.take("k", t0 + 500ms).allowed);   // one token in 500 ms
  EXPECT_FALSE(limiter.take("k", t0 + 500ms).allowed);
  // A long quiet spell refills to the burst, not beyond.
  const auto later = t0 + 1h;
  EXPECT_TRUE(limiter.take("k", later).allowed);
  EXPECT_TRUE(limiter.take("k", later).allowed);
  EXPECT_FALSE(limiter.take("k", later).allowed);
}

TEST(RateLimiter, RefusedRequestsDoNotDigTheCallerDeeper) {
  RateLimiter limiter({.per_second = 1, .burst = 1});
  const auto t0 = RateLimiter::Clock::time_point() + 1h;
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.take("k", t0 + 10ms * i).allowed);
  // One second after the last allowed request, one more is allowed: the
  // hundred refusals cost nothing.
  EXPECT_TRUE(limiter.take("k", t0 + 1s).allowed);
}

TEST(RateLimiter, OffAllowsEverythingAndKeepsNothing) {
  RateLimiter limiter({.per_second = 0, .burst = 1});
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_EQ(limiter.buckets(), 0u);
}

TEST(RateLimiter, ForgetsCallersWhoseBucketsHaveRefilled) {
  RateLimiter limiter({.per_second = 100, .burst = 10});
  auto now = RateLimiter::Clock::time_point() + 1h;
  // Many callers, each seen once, a second apart in batches: the table is
  // swept as it grows, so it holds about the recent callers only.
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 2000; ++i) limiter.take("caller-" + std::to_string(round * 2000 + i), now);
    now += 1s;
  }
  // 200,000 callers seen; each of the 16 shards sweeps at 1,024.
  EXPECT_LE(limiter.buckets(), 16u * 1024);
  EXPECT_GE(limiter.buckets(), 2000u);  // the last round's callers are all held
}

}  // namespace
