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
  const double tokens = buckets_.with(key, [&](Shards::Shard& shard) {
    auto it = shard.map.find(key);
    if (it == shard.map.end()) {
      if (shard.map.size() >= std::max<size_t>(1024, shard.extra)) sweep(shard, now);
      it = shard.map.emplace(std::string(key), Bucket{options_.burst, now}).first;
    }
    Bucket& b = it->second;
    b.tokens = refilled(b, now);
    b.at = now;
    d.allowed = b.tokens >= 1;
    if (d.allowed) b.tokens -= 1;
    return b.tokens;
  });
  d.limit = static_cast<uint32_t>(options_.burst);
  d.remaining = static_cast<uint32_t>(std::floor(tokens));
  d.reset_s = static_cast<uint32_t>(std::ceil((options_.burst - tokens) / options_.per_second));
  if (!d.allowed)
    d.retry_after_s =
        std::max<uint32_t>(1, static_cast<uint32_t>(std::ceil((1 - tokens) / options_.per_second)));
  return d;
}

void RateLimiter::sweep(Shards::Shard& shard, Clock::time_point now) const {
  std::erase_if(shard.map,
                [&](const auto& entry) { return refilled(entry.second, now) >= options_.burst; });
  // The next sweep once the table has doubled over what stayed: sweeping is
  // amortised over the insertions, however many callers are active.
  shard.extra = 2 * shard.map.size();
}

}  // namespace comanda::api
