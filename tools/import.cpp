#include <deque>
#include <iostream>
#include <system_error>

#include "engine/log/event_log.h"
#include "tools/log_lines.h"
#include "tools/new_log.h"
#include "tools/progress.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;
namespace fs = std::filesystem;

// Batches written per synced RocksDB write.
constexpr size_t kGroup = 512;

// Reads `in` into a new log at `target` (which must not exist); the exit
// code (write_new_log() removes what is left on failure).
int import_into(const fs::path& target, std::istream& in, std::ostream& err) {
  auto log = EventLog::open(target, {Durability::kSync, false});
  if (!log.ok()) {
    err << "comanda import: " << log.error().message << "\n";
    return 1;
  }
  LineImporter importer;
  std::deque<EncodedBatch> group;
  auto flush = [&]() -> Status {
    std::vector<const EncodedBatch*> batches;
    for (const EncodedBatch& b : group) batches.push_back(&b);
    Status written = (*log)->append(batches);
    group.clear();
    return written;
  };
  std::string line;
  uint64_t number = 0;
  Progress progress("import", 0);
  Status status;
  while (status.ok() && std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    status = importer.add(line, number);
    progress.at(importer.last_position(), number);
    if (status.ok() && importer.finished()) {
      group.push_back(*importer.finished());
      if (group.size() == kGroup) status = flush();
    }
  }
  progress.done();
  if (status.ok() && importer.inside_batch())
    status = Error::invalid(
        "", "line " + std::to_string(number) + ": the export ends inside a batch (cut short?)");
  if (status.ok() && importer.last_position() == 0)
    status = Error::invalid("", "no events to import");
  if (status.ok() && !group.empty()) status = flush();
  if (!status.ok()) {
    err << "comanda import: " << status.error().message << "; nothing imported\n";
    return 1;
  }
  err << "comanda import: " << importer.last_position() << " events\n";
  return 0;
}

class Import final : public Subcommand {
 public:
  std::string_view name() const override { return "import"; }
  std::string_view summary() const override {
    return "an export (JSON Lines on stdin) into an empty or absent data directory";
  }
  void configure(CLI::App& app) override { add_data_flag(app, data_); }
  int run(std::ostream&, std::ostream& err) override {
    return write_new_log("import", data_, err,
                         [&](const fs::path& aside) { return import_into(aside, std::cin, err); });
  }

 private:
  fs::path data_;
};

}  // namespace

std::unique_ptr<Subcommand> import_command() { return std::make_unique<Import>(); }

}  // namespace comanda::tools
