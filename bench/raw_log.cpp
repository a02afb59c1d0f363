#include "bench/raw_log.h"

#include "engine/log/log_options.h"

namespace comanda::bench {

rocksdb::Status RawLog::open(const std::filesystem::path& dir, bool sync,
                             std::unique_ptr<RawLog>* out) {
  // Exactly the event log's options (engine/log/log_options.h).
  const std::vector<rocksdb::ColumnFamilyDescriptor> cfs = engine::log_column_families();
  std::unique_ptr<RawLog> log(new RawLog);
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(engine::log_db_options(true), dir.string(), cfs, &log->handles_, &db);
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
