#include <iomanip>
#include <ostream>

#include "engine/base/time_text.h"
#include "engine/log/event_log.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;

// Every event of an order, oldest first, with its position, time, version,
// actor, type and (for status changes) the canonical status from -> to; the
// exit code (1 when the log cannot be read or has no such order, 2 for a
// malformed id).
int print_history(const std::filesystem::path& data, const std::string& order_id, std::ostream& out,
                  std::ostream& err) {
  auto id = Uuid::parse(order_id);
  if (!id) {
    err << "comanda history: '" << order_id << "' is not an order id\n";
    return 2;
  }
  auto log = EventLog::open(data / "log", {Durability::kSync, true});
  if (!log.ok()) {
    err << "comanda history: " << log.error().message << "\n";
    return 1;
  }
  size_t count = 0;
  Status status = (*log)->read_stream(*id, [&](const Event& e) {
    if (count++ == 0)
      out << std::left << std::setw(10) << "POSITION" << std::setw(26) << "RECORDED AT"
          << std::setw(8) << "VERSION" << std::setw(28) << "ACTOR"
          << "EVENT\n";
    out << std::left << std::setw(10) << e.position << std::setw(26) << format_utc(e.recorded_at_us)
        << std::setw(8) << e.stream_version << std::setw(28)
        << (std::string(role_name(e.actor.role)) + ":" + e.actor.subject)
        << event_type_name(e.payload);
    if (auto* placed = std::get_if<OrderPlaced>(&e.payload))
      out << "  " << placed->reference << " -> " << status_name(placed->status);
    if (auto* changed = std::get_if<OrderStatusChanged>(&e.payload)) {
      out << "  " << status_name(changed->from) << " -> " << status_name(changed->to);
      if (!changed->reason.empty()) out << " (" << changed->reason << ")";
    }
    if (auto* ping = std::get_if<DriverLocationReported>(&e.payload))
      out << "  " << ping->lat_e7 / 1e7 << "," << ping->lng_e7 / 1e7;
    out << "\n";
    return true;
  });
  if (!status.ok()) {
    err << "comanda history: " << status.error().message << "\n";
    return 1;
  }
  if (count == 0) {
    err << "comanda history: no events for " << order_id << " in " << data.string() << "\n";
    return 1;
  }
  return 0;
}

class History final : public Subcommand {
 public:
  std::string_view name() const override { return "history"; }
  std::string_view summary() const override { return "every event of an order"; }
  void configure(CLI::App& app) override {
    app.add_option("ORDER_ID", order_id_, "the order's id")->required();
    add_data_flag(app, data_);
  }
  int run(std::ostream& out, std::ostream& err) override {
    return print_history(data_, order_id_, out, err);
  }

 private:
  std::string order_id_;
  std::filesystem::path data_;
};

}  // namespace

std::unique_ptr<Subcommand> history_command() { return std::make_unique<History>(); }

}  // namespace comanda::tools
