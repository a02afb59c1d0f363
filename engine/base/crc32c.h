// CRC32C (Castagnoli), hardware-accelerated where the CPU has SSE4.2.
#pragma once

#include <cstdint>
#include <string_view>

namespace comanda::engine {

uint32_t crc32c(std::string_view data);

}  // namespace comanda::engine
