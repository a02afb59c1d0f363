// The RocksDB options of the event log (`<data>/log`), in one place: the log
// opens with them, and the benchmarks' raw-RocksDB baselines open with the
// very same, so that their comparison stays like for like. docs/storage.md
// says why each is set. Includes RocksDB: for engine/event_log.cpp and bench/
// only, never for api/.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <vector>

namespace comanda::engine {

// `create`: create the directory and missing column families (not when
// opening read-only).
rocksdb::DBOptions log_db_options(bool create);

// default, events, streams, meta, idempotency: in this order.
std::vector<rocksdb::ColumnFamilyDescriptor> log_column_families();

}  // namespace comanda::engine
