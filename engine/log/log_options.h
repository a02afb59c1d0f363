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

// Compactions of every RocksDB instance of this process (the log's, views/)
// run at the lowest CPU priority: on a core shared with requests they take
// what requests leave. Flushes keep theirs (a writer waits for a flush when
// memtables fill). Once, by the server, before opening them.
void lower_compaction_priority();

// default, events, streams, meta, idempotency: in this order.
std::vector<rocksdb::ColumnFamilyDescriptor> log_column_families();

}  // namespace comanda::engine
