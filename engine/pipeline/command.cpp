#include "engine/pipeline/command.h"

namespace comanda::engine {

const Error& CommandOutcome::error() const {
  if (const Error* refusal = std::get_if<Error>(&v_)) return *refusal;
  static const Error kNeedsLoad =
      Error::unavailable("the command names a stream that must be loaded from the log first");
  return kNeedsLoad;
}

uint64_t request_hash(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace comanda::engine
