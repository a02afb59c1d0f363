#include "api/http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace comanda::api {

RateLimiter::RateLimiter(Options options) : options_(options) {
  options_.burst = std::max(1.0, options_.burst);
}

double RateLimiter::refilled(const Bucket& b, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  return std::min(options_.burst, b.tokens + std::max(0.0, elapsed) * options_.per_second);
}

RateLimiter::Decision RateLimiter::take(std::string_view key, Clock::time_point now) {
  Decision d;
  if (!enabled()) return d;
  Shard& shard = shards_[std::hash<std::string_view>()(key) % shards_.size()];
  double tokens = 0;
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.buckets.find(key);
    if (it == shard.buckets.end()) {
      if (shard.buckets.size() >= shard.sweep_at) sweep(shard, now);
      it = shard.buckets.emplace(std::string(key), Bucket{options_.burst, now}).first;
    }
    Bucket& b = it->second;
    b.tokens = refilled(b, now);
    b.at = now;
    d.allowed = b.tokens >= 1;
    if (d.allowed) b.tokens -= 1;
    tokens = b.tokens;
  }
  d.limit = static_cast<uint32_t>(options_.burst);
  d.remaining = static_cast<uint32_t>(std::floor(tokens));
  d.reset_s = static_cast<uint32_t>(std::ceil((options_.burst - tokens) / options_.per_second));
  if (!d.allowed)
    d.retry_after_s =
        std::max<uint32_t>(1, static_cast<uint32_t>(std::ceil((1 - tokens) / options_.per_second)));
  return d;
}

void RateLimiter::sweep(Shard& shard, Clock::time_point now) const {
  std::erase_if(shard.buckets,
                [&](const auto& entry) { return refilled(entry.second, now) >= options_.burst; });
  // The next sweep once the table has doubled over what stayed: sweeping is
  // amortised over the insertions, however many callers are active.
  shard.sweep_at = std::max<size_t>(1024, 2 * shard.buckets.size());
}

size_t RateLimiter::buckets() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.buckets.size();
  }
  return n;
}

}  // namespace comanda::api
