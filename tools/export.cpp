#include <ostream>

#include "engine/log/event_log.h"
#include "tools/log_lines.h"
#include "tools/log_range.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;

class Export final : public Subcommand {
 public:
  std::string_view name() const override { return "export"; }
  std::string_view summary() const override {
    return "the log as JSON Lines on stdout, one event a line (import reads it)";
  }
  void configure(CLI::App& app) override {
    add_data_flag(app, data_);
    app.add_option("--from", from_, "the first position (default 1)")->check(CLI::PositiveNumber);
    app.add_option("--until", until_,
                   "the last position, or a time (RFC 3339): the last event at or before it; "
                   "the batch it is in is exported whole");
  }
  int run(std::ostream& out, std::ostream& err) override {
    auto log = EventLog::open(data_ / "log", {Durability::kSync, true});
    if (!log.ok()) {
      err << "comanda export: " << log.error().message << "\n";
      return 1;
    }
    uint64_t until = (*log)->last_position();
    if (!until_.empty()) {
      auto position = until_position(**log, until_);
      if (!position.ok()) {
        err << "comanda export: " << position.error().message << "\n";
        return 2;
      }
      until = std::min(until, *position);
    }
    auto exported = export_lines(**log, from_, until, out);
    out.flush();
    if (!exported.ok()) {
      err << "comanda export: " << exported.error().message << "\n";
      return 1;
    }
    err << "comanda export: " << *exported << " events\n";
    return 0;
  }

 private:
  std::filesystem::path data_;
  uint64_t from_ = 1;
  std::string until_;
};

}  // namespace

std::unique_ptr<Subcommand> export_command() { return std::make_unique<Export>(); }

}  // namespace comanda::tools
