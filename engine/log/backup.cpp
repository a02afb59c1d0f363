#include "engine/log/backup.h"

#include <chrono>
#include <system_error>

namespace comanda::engine {

namespace fs = std::filesystem;

Result<BackupMade> write_backup(const EventLog& log, const fs::path& target) {
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  if (fs::exists(target, ec))
    return Error::conflict("name", "a backup is already at " + target.string());
  fs::create_directories(target, ec);
  if (ec) return Error::io("cannot create " + target.string() + ": " + ec.message());
  auto fail = [&](Error e) -> Result<BackupMade> {
    std::error_code ignored;
    fs::remove_all(target, ignored);
    return e;
  };
  if (Status made = log.checkpoint(target / "log"); !made.ok()) return fail(made.error());
  auto copy = EventLog::open(target / "log", {Durability::kSync, true});
  if (!copy.ok()) return fail(copy.error());
  BackupMade out;
  out.path = target;
  out.position = (*copy)->last_position();
  for (const auto& entry : fs::recursive_directory_iterator(target, ec))
    if (entry.is_regular_file(ec)) out.bytes += entry.file_size(ec);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace comanda::engine
