#include "bench/raw_log.h"

#include <rocksdb/options.h>
#include <rocksdb/table.h>

namespace comanda::bench {
namespace {

// A copy of engine/event_log.cpp's options, which are private to it: keep the
// two in step, or the comparison stops being like for like.
rocksdb::DBOptions db_options() {
  rocksdb::DBOptions o;
  o.create_if_missing = true;
  o.create_missing_column_families = true;
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  o.max_total_wal_size = 256 << 20;
  o.manual_wal_flush = false;
  o.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  o.keep_log_file_num = 4;
  return o;
}

rocksdb::ColumnFamilyOptions events_options() {
  rocksdb::ColumnFamilyOptions cf;
  cf.compression = rocksdb::kLZ4Compression;
  cf.bottommost_compression = rocksdb::kZSTD;
  cf.write_buffer_size = 64 << 20;
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 16 << 10;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

rocksdb::ColumnFamilyOptions index_options() {
  rocksdb::ColumnFamilyOptions cf;
  cf.compression = rocksdb::kLZ4Compression;
  cf.write_buffer_size = 32 << 20;
  return cf;
}

}  // namespace

rocksdb::Status RawLog::open(const std::filesystem::path& dir, bool sync, std::unique_ptr<RawLog>* out) {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"events", events_options()},
      {"streams", index_options()},
      {"meta", rocksdb::ColumnFamilyOptions()},
      {"idempotency", index_options()},
  };
  std::unique_ptr<RawLog> log(new RawLog);
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options(), dir.string(), cfs, &log->handles_, &db);
  if (!s.ok()) return s;
  log->db_.reset(db);
  log->write_options_.sync = sync;
  *out = std::move(log);
  return s;
}

RawLog::~RawLog() {
  if (!db_) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  db_->Close();
}

}  // namespace comanda::bench
