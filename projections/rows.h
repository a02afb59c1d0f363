// Helpers for the models' snapshot rows (schemas/comanda/v1/views.proto): a
// row keeps the event that founded its view exactly as the log stores it (so
// the codec, not the views, owns the format of every payload), plus what
// later events changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "comanda/v1/views.pb.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "projections/projection.h"

namespace comanda::projections {

// An event founding a view of `stream` (version 1), in its stored form.
std::string founding_event(const engine::Uuid& stream, const engine::Uuid& partition,
                           uint64_t position, int64_t recorded_at_us, engine::EventPayload payload);

// A stored event read back; kCorruption when it does not decode.
engine::Result<engine::Event> stored_event(std::string_view stored);

// Serializes `row` into `buffer` (reused) and hands it to `put` under `key`.
engine::Status put_row(const RowSink& put, std::string_view key, const v1::ViewRow& row,
                       std::string& buffer);

// Parses a row; kCorruption naming `model` when it does not parse.
engine::Result<v1::ViewRow> parse_row(std::string_view model, std::string_view value);

// A row that does not read back: the snapshot is not used.
engine::Error bad_row(std::string_view model, std::string_view why);

}  // namespace comanda::projections
