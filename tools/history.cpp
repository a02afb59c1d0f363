// `comanda history ORDER_ID`: every event of an order from the log, oldest
// first: position, time in the restaurant's zone and in UTC, actor and role,
// the event, and what it changed (status from -> to, the lines added,
// removed or changed, the total before and after). `--json`: the events in
// the API's shape (GET /v1/orders/{id}/events), each with its local time.
#include <iomanip>
#include <map>
#include <ostream>

#include "api/json/event_json.h"
#include "api/json/json_writer.h"
#include "engine/base/time_text.h"
#include "engine/base/time_zone.h"
#include "engine/domain/money.h"
#include "engine/log/event_log.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;

// Where the order was placed: its zone and currency, as the restaurant's
// events in the log have them last.
struct Place {
  TimeZone zone;
  std::string currency;
};

Place place_of(const EventLog& log, const Uuid& restaurant) {
  Place place;
  std::string zone;
  (void)log.read_stream(restaurant, [&](const Event& e) {
    if (auto* r = std::get_if<RestaurantRegistered>(&e.payload)) {
      zone = r->time_zone;
      place.currency = r->currency;
    } else if (auto* u = std::get_if<RestaurantUpdated>(&e.payload); u && u->time_zone) {
      zone = *u->time_zone;
    }
    return true;
  });
  if (auto found = TimeZone::find(zone)) place.zone = *found;
  return place;
}

// What an event changed, in a few words, given the lines and total before.
class Changes {
 public:
  explicit Changes(const std::string& currency) : currency_(find_currency(currency)) {}

  std::string describe(const Event& e) {
    if (auto* p = std::get_if<OrderPlaced>(&e.payload)) {
      lines_ = p->items;
      total_ = p->totals.total;
      return p->reference + ", " + std::string(status_name(p->status)) + ", " +
             std::to_string(p->items.size()) + " line(s), total " + money(total_);
    }
    if (auto* c = std::get_if<OrderStatusChanged>(&e.payload))
      return std::string(status_name(c->from)) + " -> " + std::string(status_name(c->to)) +
             (c->reason.empty() ? "" : " (" + c->reason + ")");
    if (auto* c = std::get_if<OrderChanged>(&e.payload))
      return repriced(c->items ? &*c->items : nullptr, c->totals.total);
    if (auto* r = std::get_if<OrderReplaced>(&e.payload))
      return repriced(&r->items, r->totals.total);
    if (auto* f = std::get_if<OrderLineFulfilled>(&e.payload))
      return "line " + std::to_string(f->line + 1) + ": " + std::to_string(f->quantity) + " made";
    return "";
  }

 private:
  std::string money(int64_t amount) const {
    return currency_ ? format_money(amount, *currency_) : std::to_string(amount);
  }

  // The lines' differences by SKU (quantities), then the total's.
  std::string repriced(const std::vector<OrderLine>* items, int64_t total) {
    std::string out;
    if (items) {
      std::map<std::string, uint32_t> before, after;
      for (const OrderLine& l : lines_) before[l.sku] += l.quantity;
      for (const OrderLine& l : *items) after[l.sku] += l.quantity;
      for (const auto& [sku, n] : after) {
        auto was = before.find(sku);
        if (was == before.end())
          out += "+" + std::to_string(n) + " " + sku + ", ";
        else if (was->second != n)
          out += sku + " " + std::to_string(was->second) + "->" + std::to_string(n) + ", ";
      }
      for (const auto& [sku, n] : before)
        if (!after.contains(sku)) out += "-" + std::to_string(n) + " " + sku + ", ";
      lines_ = *items;
    }
    out += "total " + money(total_) + " -> " + money(total);
    total_ = total;
    return out;
  }

  std::optional<CurrencyInfo> currency_;
  std::vector<OrderLine> lines_;
  int64_t total_ = 0;
};

class History final : public Subcommand {
 public:
  std::string_view name() const override { return "history"; }
  std::string_view summary() const override {
    return "every event of an order: when, who, and what it changed";
  }
  void configure(CLI::App& app) override {
    app.add_option("ORDER_ID", order_id_, "the order's id")->required();
    add_data_flag(app, data_);
    app.add_flag("--json", json_, "the events in the API's shape, each with its local time");
  }
  int run(std::ostream& out, std::ostream& err) override {
    auto id = Uuid::parse(order_id_);
    if (!id) return fail(err, "'" + order_id_ + "' is not an order id", 2);
    auto log = EventLog::open(data_ / "log", {Durability::kSync, true});
    if (!log.ok()) return fail(err, log.error().message, 1);
    std::vector<Event> events;
    Status read = (*log)->read_stream(*id, [&](const Event& e) {
      events.push_back(e);
      return true;
    });
    if (!read.ok()) return fail(err, read.error().message, 1);
    if (events.empty()) return fail(err, "no events for " + order_id_ + " in " + data_.string(), 1);
    const Place place = place_of(**log, events.front().partition);
    if (json_) {
      api::JsonWriter w;
      w.begin_object().key("order").string(order_id_);
      w.key("time_zone").string(place.zone.name()).key("events").begin_array();
      for (const Event& e : events) {
        w.begin_object().key("local_time").string(place.zone.format_local(e.recorded_at_us));
        w.key("event");
        api::write_event(w, e, place.currency);
        w.end_object();
      }
      w.end_array().end_object();
      out << w.take() << "\n";
      return 0;
    }
    out << std::left << std::setw(10) << "POSITION" << std::setw(31)
        << "LOCAL TIME (" + std::string(place.zone.name()) + ")" << std::setw(26) << "UTC"
        << std::setw(8) << "VERSION" << std::setw(28) << "ACTOR" << std::setw(24) << "EVENT"
        << "CHANGE\n";
    Changes changes(place.currency);
    for (const Event& e : events)
      out << std::left << std::setw(10) << e.position << std::setw(31)
          << place.zone.format_local(e.recorded_at_us) << std::setw(26)
          << format_utc(e.recorded_at_us) << std::setw(8) << e.stream_version << std::setw(28)
          << (std::string(role_name(e.actor.role)) + ":" + e.actor.subject) << std::setw(24)
          << event_type_name(e.payload) << changes.describe(e) << "\n";
    return 0;
  }

 private:
  static int fail(std::ostream& err, const std::string& message, int code) {
    err << "comanda history: " << message << "\n";
    return code;
  }

  std::string order_id_;
  std::filesystem::path data_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Subcommand> history_command() { return std::make_unique<History>(); }

}  // namespace comanda::tools
