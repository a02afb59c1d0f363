// A per-caller rate limit: a token bucket per key (a principal, or the
// address of a caller without a valid token), refilled at `per_second` up to
// `burst`. A request takes one token; without one it is answered 429.
//
// Buckets that have refilled completely are the same as absent ones and are
// swept away as the table grows, so memory follows the callers of the last
// few seconds, not every caller ever seen.
//
// Threads: take() on any thread (engine/base/locked_shards.h: each shard
// locked for a few hundred nanoseconds).
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "engine/base/locked_shards.h"

namespace comanda::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    double per_second = 100;  // 0: no limit
    double burst = 200;       // the most taken at once after a quiet spell
  };

  // One request's verdict, and what the RateLimit-* headers say.
  struct Decision {
    bool allowed = true;
    uint32_t limit = 0;          // the burst: the most a quiet caller may send at once
    uint32_t remaining = 0;      // whole tokens left after this request
    uint32_t reset_s = 0;        // seconds until the bucket is full again
    uint32_t retry_after_s = 0;  // refused: seconds until a token is there
  };

  explicit RateLimiter(Options options);

  bool enabled() const { return options_.per_second > 0; }
  const Options& options() const { return options_; }

  Decision take(std::string_view key, Clock::time_point now = Clock::now());

  // Buckets held now (for tests).
  size_t buckets() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;  // when `tokens` was counted
  };
  // Per shard: it is swept when its table grows past this (0: 1,024).
  using Shards = engine::LockedShards<Bucket, size_t>;

  // Drops the buckets that are full again (the shard held).
  void sweep(Shards::Shard& shard, Clock::time_point now) const;
  double refilled(const Bucket& b, Clock::time_point now) const;

  Options options_;
  Shards buckets_;
};

}  // namespace comanda::api
