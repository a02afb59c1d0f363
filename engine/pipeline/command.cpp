#include "engine/pipeline/command.h"

namespace comanda::engine {

uint64_t request_hash(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace comanda::engine
