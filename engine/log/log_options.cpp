#include "engine/log/log_options.h"

#include <rocksdb/env.h>
#include <rocksdb/table.h>

namespace comanda::engine {
namespace {

rocksdb::ColumnFamilyOptions events_options() {
  // Append-only, never updated: compress every level, large memtables.
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

rocksdb::DBOptions log_db_options(bool create) {
  rocksdb::DBOptions o;
  o.create_if_missing = create;
  o.create_missing_column_families = create;
  // A torn tail write is cut off at the last whole batch; nothing after a
  // hole is replayed.
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // The index and meta families are written with every batch, so no family
  // pins old WAL files for long; this bounds the WAL all the same.
  o.max_total_wal_size = 256 << 20;
  o.manual_wal_flush = false;  // never: async mode would lose acknowledged events
  o.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  o.keep_log_file_num = 4;
  return o;
}

void lower_compaction_priority() {
  (void)rocksdb::Env::Default()->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW,
                                                            rocksdb::CpuPriority::kLow);
}

std::vector<rocksdb::ColumnFamilyDescriptor> log_column_families() {
  return {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"events", events_options()},
      {"streams", index_options()},
      {"meta", rocksdb::ColumnFamilyOptions()},
      {"idempotency", index_options()},
  };
}

}  // namespace comanda::engine
