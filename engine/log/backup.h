// A backup of the log: a directory holding `log/`, an online RocksDB
// checkpoint of it (docs/operations.md). Written by comandad on an admin's
// request (POST /v1/admin/backup) or by `comanda backup` when no server
// holds the data directory; read back by `comanda restore`.
#pragma once

#include <cstdint>
#include <filesystem>

#include "engine/base/error.h"
#include "engine/log/event_log.h"

namespace comanda::engine {

struct BackupMade {
  std::filesystem::path path;  // the backup's directory
  uint64_t position = 0;       // the last position it holds
  uint64_t bytes = 0;          // of its files
  double seconds = 0;          // to write and check it
};

// Checkpoints `log` (its writer's instance) into `target`/log; `target` must
// not exist (kConflict). The copy is opened read-only afterwards and its
// last position read; on any failure nothing of `target` is left.
Result<BackupMade> write_backup(const EventLog& log, const std::filesystem::path& target);

}  // namespace comanda::engine
