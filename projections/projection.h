// One read model (DESIGN.md "Read models"): built from committed events,
// queried by the API, snapshotted to views/. Each model owns its state, its
// lock and its queries, and writes its own snapshot rows; the registry
// (projections/registry.h) fans committed batches out to every model and
// keeps the checkpoint. A new read model is a class deriving from this one
// plus a line in projections/read_models.cpp.
//
// Threads: apply(), reset() and the snapshot's rows from one thread at a
// time (the pipeline's publisher stage, or start-up); queries, which each
// model adds, on any thread, seeing whole batches only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "engine/base/error.h"
#include "engine/base/row_sink.h"
#include "engine/domain/event.h"

namespace comanda::projections {

// Takes one snapshot row: a key unique within the model, and its value.
using engine::RowSink;

class Projection {
 public:
  virtual ~Projection() = default;

  // Its name; also the prefix of its rows in views/. Never changes.
  virtual std::string_view name() const = 0;

  // Applies one committed batch (never empty; dense positions beyond the
  // model's own), as one step that queries see whole. Events it has no use
  // for are ignored.
  virtual void apply(std::span<const engine::Event> events) = 0;

  // Forgets everything and stands at `position`: 0 before a rebuild, a
  // snapshot's checkpoint before its rows are loaded.
  virtual void reset(uint64_t position) = 0;

  // The last position it reflects (answers carry it as Comanda-Position).
  virtual uint64_t position() const = 0;

  // Its state as rows, each handed to `put`.
  virtual engine::Status save(const RowSink& put) const = 0;

  // The same in two steps, for a snapshot taken while batches are applied
  // (ViewStore::save): save_still() runs while no batch is (inside
  // ProjectionRegistry::holding_still), hands over what must be taken then
  // and returns the rest, if any, which hands over its rows as of that same
  // position after batches go on again. A model too big to copy while the
  // publisher waits keeps what batches change meanwhile as it was
  // (OrdersModel). By default everything goes in the first step.
  class Later {
   public:
    virtual ~Later() = default;
    virtual engine::Status save(const RowSink& put) = 0;
  };
  virtual engine::Result<std::unique_ptr<Later>> save_still(const RowSink& put) const {
    if (auto saved = save(put); !saved.ok()) return saved.error();
    return std::unique_ptr<Later>();
  }
  // One row, as save() wrote it. kCorruption when it does not read back.
  virtual engine::Status load_row(std::string_view key, std::string_view value) = 0;
  // After its last row is loaded.
  virtual void finish_load() {}
};

}  // namespace comanda::projections
