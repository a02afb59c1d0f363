// `comanda seed`: a deterministic, realistic city (tools/city.h) written into
// an empty data directory through the engine's own decisions and log: each
// moment's commands decided by the sequencer's HotState at the city's clock,
// and appended as one batch, so the log is one a server could have written
// (and `verify` passes). The same options give the same bytes.
#include <map>
#include <ostream>
#include <system_error>

#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "tools/city.h"
#include "tools/new_log.h"
#include "tools/progress.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;
namespace fs = std::filesystem;

// What was written: events by type, orders by how they ended.
struct Tally {
  uint64_t events = 0, commands = 0, refused = 0;
  std::map<std::string, uint64_t> by_type, endings;

  void add(const Event& e) {
    ++events;
    ++by_type[std::string(event_type_name(e.payload))];
    if (auto* c = std::get_if<OrderStatusChanged>(&e.payload); c && is_terminal(c->to))
      ++endings[std::string(status_name(c->to))];
  }
  void print(std::ostream& out) const {
    out << "seeded " << events << " events from " << commands << " commands (" << refused
        << " refused by the engine)\n";
    const uint64_t placed = by_type.contains("order_placed") ? by_type.at("order_placed") : 0;
    uint64_t unhappy = 0;
    for (const auto& [status, n] : endings) {
      out << "  orders " << status << ": " << n << "\n";
      if (status == "rejected" || status == "cancelled" || status.ends_with("failed") ||
          status == "not_picked_up")
        unhappy += n;
    }
    if (placed)
      out << "  placed " << placed << ", " << (100.0 * static_cast<double>(unhappy) / placed)
          << " % rejected, cancelled or failed\n";
    for (const auto& [type, n] : by_type) out << "  " << type << ": " << n << "\n";
  }
};

Status write_city(const CityOptions& options, const fs::path& dir, Tally& tally) {
  auto opened = EventLog::open(dir, {Durability::kAsync, false});
  if (!opened.ok()) return opened.error();
  EventLog& log = **opened;
  HotState state;
  City city(options);
  std::vector<City::Step> steps;
  std::vector<Event> events;
  std::vector<bool> accepted;
  uint64_t next = 1;
  int64_t at = 0, evicted_at = 0;
  Progress progress("seed", 0);
  while (city.next(at, steps)) {
    BatchContext ctx{at, next, nullptr};
    events.clear();
    accepted.clear();
    for (auto& [who, body] : steps) {
      Command c{who, city.mint(at), std::nullopt, std::move(body), {}, 0, {}, 0, {}};
      accepted.push_back(state.decide(c, ctx, events).ok());
      tally.refused += accepted.back() ? 0 : 1;
    }
    tally.commands += steps.size();
    next = ctx.next_position;
    if (!events.empty())
      if (Status written = log.append(events); !written.ok()) return written;
    for (const Event& e : events) tally.add(e);
    city.outcomes(accepted);
    if (at - evicted_at > int64_t{60} * 1'000'000) {  // as the sequencer lets finished orders go
      state.evict_finished(at, next - 1);
      evicted_at = at;
    }
    progress.at(next - 1, tally.commands);
  }
  return {};
}

class Seed final : public Subcommand {
 public:
  std::string_view name() const override { return "seed"; }
  std::string_view summary() const override {
    return "a realistic, deterministic city into an empty data directory";
  }
  void configure(CLI::App& app) override {
    add_data_flag(app, data_);
    app.add_option("--restaurants", options_.restaurants, "restaurants (default 20)")
        ->check(CLI::Range(1, 10'000));
    app.add_option("--drivers", options_.drivers, "drivers (default 60)")
        ->check(CLI::Range(1, 100'000));
    app.add_option("--orders", options_.orders, "orders in all (default 2000)")
        ->check(CLI::Range(0, 10'000'000));
    app.add_option("--days", options_.days, "days they spread over (default 1)")
        ->check(CLI::Range(1, 366));
    app.add_option("--seed", options_.seed, "the random seed (default 1)");
  }
  int run(std::ostream& out, std::ostream& err) override {
    Tally tally;
    const int code = write_new_log("seed", data_, err, [&](const fs::path& aside) {
      Status written = write_city(options_, aside, tally);
      if (!written.ok()) err << "comanda seed: " << written.error().message << "\n";
      return written.ok() ? 0 : 1;
    });
    if (code == 0) tally.print(out);
    return code;
  }

 private:
  fs::path data_;
  CityOptions options_;
};

}  // namespace

std::unique_ptr<Subcommand> seed_command() { return std::make_unique<Seed>(); }

}  // namespace comanda::tools
