// The read models' snapshot in views/ against a fresh rebuild of the log up
// to the snapshot's checkpoint, for `comanda verify`: every restaurant, its
// kitchen board, every driver and every order must answer alike (in the
// API's JSON). Read-only, beside a live server too, though a snapshot is
// only comparable once it stops changing (a stopped server, a copy).
#pragma once

#include <filesystem>
#include <string>

#include "engine/log/event_log.h"

namespace comanda::tools {

// The first difference ("" when none). `note` says what was compared, or
// why nothing was (no views/, no snapshot usable with this log).
std::string check_views(const std::filesystem::path& data, const engine::EventLog& log,
                        std::string& note);

}  // namespace comanda::tools
