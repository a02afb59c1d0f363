// The wall clock. The domain never reads it: the pipeline reads it once per
// batch and passes the time in.
#pragma once

#include <chrono>
#include <cstdint>

namespace comanda::engine {

// Microseconds since the Unix epoch, UTC.
inline int64_t utc_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace comanda::engine
