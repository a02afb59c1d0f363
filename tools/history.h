// `comanda history ORDER`: every event of an order, oldest first, with its
// position, time, version, actor, type and (for status changes) the
// canonical status from -> to. Reads the log read-only.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace comanda::tools {

// Prints the history of `order_id` in `data`; the exit code (1 when the log
// cannot be read or has no such order, 2 for a malformed id).
int print_history(const std::filesystem::path& data, const std::string& order_id, std::ostream& out,
                  std::ostream& err);

}  // namespace comanda::tools
