// views/: the second RocksDB instance of the data directory (DESIGN.md
// "Storage"). Derived data only, never synced, rebuildable from log/ at any
// time; written off the hot path, never through log/.
//
// What it holds: the finished orders that left memory; the sequencer's
// snapshot, written in the background (engine/pipeline/checkpointer.h); and
// a snapshot of the read models, written in the background and when the server stops: each model's
// rows under its name (opaque here: each model writes and reads its own, projections/projection.h),
// with the checkpoint (the last log position applied) and the log's hash-chain link there. At start
// a snapshot that matches this build and this log is loaded and only the events after its
// checkpoint are applied; any other (another format or code version, a checkpoint the log does not
// reach, a link that differs: another or a restored log) is ignored and the read models are rebuilt
// from the log.
//
// Threads: one caller at a time for the read models' snapshot, one for the
// sequencer's; the two and the cold orders may be used side by side.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/base/error.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/state_snapshot.h"
#include "projections/cold_orders.h"
#include "projections/registry.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace comanda::projections {

class ViewStore final : public engine::StateStore {
 public:
  // Opens (creating if absent) the store under `dir`. `read_only`: without
  // its lock, beside a live server (tools); nothing may then be written.
  static engine::Result<std::unique_ptr<ViewStore>> open(const std::filesystem::path& dir,
                                                         bool read_only = false);
  ~ViewStore() override;
  ViewStore(const ViewStore&) = delete;
  ViewStore& operator=(const ViewStore&) = delete;

  // Replaces the snapshot with the registry's models as they stand at one
  // checkpoint, while batches may go on being applied: each model's first
  // step (Projection::save_still) is taken with the publisher paused
  // (ProjectionRegistry::holding_still), the rest of its rows as of the
  // same position after it went on, written as they come. `log` must hold
  // every event the models applied (for the checkpoint's chain link).
  // Models that skipped a position, or that are not at the checkpoint, are
  // not saved. Unsynced, unflushed: rebuildable.
  engine::Status save(const ProjectionRegistry& models, const engine::EventLog& log);
  // Flushes every family, so that the next start reads tables, not a WAL
  // (comandad's clean stop).
  engine::Status flush();

  // The same rows in memory, and written from there: for tests that make a
  // snapshot lie about where it stands.
  struct Snapshot {
    uint64_t checkpoint = 0;
    std::string link;  // the log's chain link at the checkpoint
    std::vector<std::pair<std::string, std::string>> rows;
  };
  engine::Result<Snapshot> take(const ProjectionRegistry& models,
                                const engine::EventLog& log) const;
  engine::Status write(const Snapshot& snapshot);

  // Loads the snapshot into the registry's models, which must be empty, if
  // it is usable with `log`. Returns its checkpoint, or 0 when there was
  // none usable (then `why`, if given, says why and the models are empty).
  engine::Result<uint64_t> load(ProjectionRegistry& models, const engine::EventLog& log,
                                std::string* why = nullptr);

  // Drops the snapshot (for tests and operators: the next start rebuilds).
  engine::Status clear();

  // The sequencer's snapshot (engine/pipeline/state_snapshot.h), apart
  // from the read models': each is replaced on its own.
  engine::Status write_state(
      engine::StateSnapshotHeader header,
      const std::function<engine::Status(const engine::RowSink&)>& write) override;
  engine::Result<std::optional<engine::StateSnapshotHeader>> state_header() override;
  engine::Status read_state(const engine::RowSink& row) override;

  // The finished orders that left memory (projections/cold_orders.h).
  ColdOrders& cold_orders() { return *cold_; }

 private:
  ViewStore() = default;
  class RowsWriter;
  // Hands every row of a snapshot of `models` to `put`, after setting
  // `header`'s checkpoint and link (its rows left empty) and, once the
  // models could be snapshotted, calling `before_rows`.
  engine::Status each_row(const ProjectionRegistry& models, const engine::EventLog& log,
                          Snapshot& header, const std::function<engine::Status()>& before_rows,
                          const engine::RowSink& put) const;

  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* rows_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* state_ = nullptr;
  std::unique_ptr<ColdOrders> cold_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace comanda::projections
