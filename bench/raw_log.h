// The raw RocksDB side of the append benchmarks: a database opened with the
// same options as the engine's EventLog (engine/log/event_log.cpp), written with
// plain WriteBatches and no engine code in between.
//
// Threads: write() is safe on any thread (RocksDB groups concurrent writers);
// open and destruction on one thread.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <memory>
#include <vector>

namespace comanda::bench {

class RawLog {
 public:
  // Creates a database under `dir` (which should be empty) with EventLog's
  // DB and column-family options, each write synced when `sync`.
  static rocksdb::Status open(const std::filesystem::path& dir, bool sync,
                              std::unique_ptr<RawLog>* out);
  ~RawLog();
  RawLog(const RawLog&) = delete;
  RawLog& operator=(const RawLog&) = delete;

  rocksdb::ColumnFamilyHandle* events() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* streams() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* meta() const { return handles_[3]; }

  // One atomic write: one WAL record, synced in sync mode.
  rocksdb::Status write(rocksdb::WriteBatch& batch) { return db_->Write(write_options_, &batch); }

 private:
  RawLog() = default;

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*>
      handles_;  // default, events, streams, meta, idempotency
  rocksdb::WriteOptions write_options_;
};

}  // namespace comanda::bench
