// Identifiers: 16-byte UUIDs, minted as UUIDv7 (time-ordered) on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace comanda::engine {

struct Uuid {
  std::array<uint8_t, 16> bytes{};

  bool is_nil() const;
  // The canonical text form: 8-4-4-4-12 lowercase hex.
  std::string to_string() const;
  // The 16 bytes as a string, for keys and the Protobuf `bytes` fields.
  std::string_view raw() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

  // Parses the canonical text form (either case). Returns nullopt otherwise.
  static std::optional<Uuid> parse(std::string_view text);
  // Takes exactly 16 raw bytes; nullopt for any other length.
  static std::optional<Uuid> from_raw(std::string_view raw);
  // A new UUIDv7: 48 bits of Unix milliseconds, then random bits. Thread-safe.
  static Uuid v7();

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

struct UuidHash {
  size_t operator()(const Uuid& id) const {
    uint64_t a, b;
    std::memcpy(&a, id.bytes.data(), 8);
    std::memcpy(&b, id.bytes.data() + 8, 8);
    return std::hash<uint64_t>{}(a ^ (b * 0x9E3779B97F4A7C15ull));
  }
};

}  // namespace comanda::engine
