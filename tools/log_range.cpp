#include "tools/log_range.h"

#include <charconv>

#include "engine/base/time_text.h"

namespace comanda::tools {

engine::Result<uint64_t> until_position(const engine::EventLog& log, const std::string& text) {
  uint64_t position = 0;
  const char* end = text.data() + text.size();
  if (auto [p, ec] = std::from_chars(text.data(), end, position); ec == std::errc() && p == end)
    return position;
  auto at = engine::parse_rfc3339(text);
  if (!at) return engine::Error::invalid("until", "--until takes a position or an RFC 3339 time");
  return log.last_position_at(*at);
}

}  // namespace comanda::tools
