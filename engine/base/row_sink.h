// Where a snapshot's rows go (the read models' in projections/, the
// sequencer's in engine/pipeline/state_snapshot.h): each row a key unique
// within its snapshot and a value; a failed write stops the snapshot.
#pragma once

#include <functional>
#include <string_view>

#include "engine/base/error.h"

namespace comanda::engine {

using RowSink = std::function<Status(std::string_view key, std::string_view value)>;

}  // namespace comanda::engine
