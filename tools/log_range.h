// Positions of the log named on a command line, shared by the subcommands
// that take `--until`.
#pragma once

#include <cstdint>
#include <string>

#include "engine/base/error.h"
#include "engine/log/event_log.h"

namespace comanda::tools {

// `text`: a position, or an RFC 3339 time, meaning the last event recorded
// at or before it (a binary search on the log's times, not a scan). Error:
// kInvalidArgument for anything else.
engine::Result<uint64_t> until_position(const engine::EventLog& log, const std::string& text);

}  // namespace comanda::tools
