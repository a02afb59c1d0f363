// Fixed-width integers as bytes. Big-endian, so that RocksDB's bytewise key
// order is numeric order. Pure; safe on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace comanda::engine {

inline void put_u64_be(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

// The first eight bytes as a big-endian u64 (fewer bytes: as many as there are).
inline uint64_t get_u64_be(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) v = v << 8 | static_cast<uint8_t>(bytes[i]);
  return v;
}

}  // namespace comanda::engine
