// `comanda replay`: the read models rebuilt from the log as of a moment (a
// position, or a time), printed for people or written as JSON in the API's
// own shapes: each restaurant with its kitchen board and its day's counts,
// every driver with its position.
#include <iomanip>
#include <ostream>

#include "api/json/driver_json.h"
#include "api/json/json_writer.h"
#include "api/json/order_json.h"
#include "api/json/restaurant_json.h"
#include "engine/base/time_text.h"
#include "engine/base/time_zone.h"
#include "engine/log/event_log.h"
#include "projections/drivers.h"
#include "projections/orders.h"
#include "projections/read_models.h"
#include "projections/registry.h"
#include "projections/restaurants.h"
#include "tools/log_range.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;
using projections::DriversModel;
using projections::OrdersModel;
using projections::RestaurantsModel;

// What the replay shows: the models as of `position`, recorded at `at_us`.
struct Moment {
  const projections::ProjectionRegistry& models;
  uint64_t position = 0;
  int64_t at_us = 0;
  std::vector<Uuid> restaurants;
};

// Boards show the steps an admin may take.
const Principal kAuditor{"comanda-replay", Role::kAdmin};

std::string replay_json(const Moment& m) {
  const auto& restaurants = m.models.get<RestaurantsModel>();
  const auto& orders = m.models.get<OrdersModel>();
  const auto& drivers = m.models.get<DriversModel>();
  api::JsonWriter w;
  w.begin_object().key("position").number(m.position);
  w.key("recorded_at").string(format_utc(m.at_us));
  w.key("restaurants").begin_array();
  for (const Uuid& id : m.restaurants) {
    auto r = restaurants.restaurant(id);
    w.begin_object().key("restaurant");
    api::write_restaurant(w, *r);
    w.key("active_orders").begin_array();
    for (const auto& o : orders.active_orders(id)) api::write_board_order(w, o, kAuditor, m.at_us);
    w.end_array().key("today");
    api::write_day_stats(w, orders.day_stats(id, std::nullopt, m.at_us), r->details.currency);
    w.end_object();
  }
  w.end_array().key("drivers").begin_array();
  for (const Uuid& id : drivers.ids()) api::write_driver(w, *drivers.driver_for(id, kAuditor));
  w.end_array().end_object();
  return w.take();
}

void print_text(const Moment& m, std::ostream& out) {
  const auto& restaurants = m.models.get<RestaurantsModel>();
  const auto& orders = m.models.get<OrdersModel>();
  const auto& drivers = m.models.get<DriversModel>();
  out << "as of position " << m.position << ", recorded at " << format_utc(m.at_us) << "\n";
  for (const Uuid& id : m.restaurants) {
    auto r = restaurants.restaurant(id);
    const auto day = orders.day_stats(id, std::nullopt, m.at_us);
    out << "\n"
        << r->details.name << " (" << id.to_string() << ")" << (r->paused ? ", paused" : "")
        << "\n  " << format_date(day.date) << ": " << day.orders << " orders";
    for (const auto& info : status_table())
      if (uint32_t n = day.by_status[static_cast<size_t>(info.status)])
        out << ", " << n << " " << info.name;
    out << "\n";
    const auto board = orders.active_orders(id);
    if (board.empty()) out << "  no open orders\n";
    for (const auto& o : board)
      out << "  " << std::left << std::setw(14) << o.placed.reference << std::setw(24)
          << status_name(o.status) << std::setw(24) << o.placed.customer.name << "waited "
          << std::max<int64_t>(0, (m.at_us - o.placed_at_us) / 1'000'000) << " s\n";
  }
  const auto ids = drivers.ids();
  out << "\ndrivers: " << ids.size() << "\n";
  for (const Uuid& id : ids) {
    auto d = drivers.driver_for(id, kAuditor);
    out << "  " << std::left << std::setw(24) << d->details.name << std::setw(11)
        << availability_name(d->availability);
    if (d->position)
      out << std::fixed << std::setprecision(7) << d->position->location.lat_e7 / 1e7 << ","
          << d->position->location.lng_e7 / 1e7 << std::defaultfloat << " at "
          << format_utc(d->position->recorded_at_us);
    else
      out << "no position yet";
    out << "\n";
  }
}

class Replay final : public Subcommand {
 public:
  std::string_view name() const override { return "replay"; }
  std::string_view summary() const override {
    return "the read models rebuilt as of a moment: boards, day counts, drivers";
  }
  void configure(CLI::App& app) override {
    add_data_flag(app, data_);
    app.add_option("--until", until_,
                   "a position, or a time (RFC 3339): the last event at or before it "
                   "(default: the whole log)");
    app.add_option("--restaurant", restaurant_, "only this restaurant (its id)");
    app.add_flag("--json", json_, "JSON in the API's shapes, not text");
  }
  int run(std::ostream& out, std::ostream& err) override {
    auto log = EventLog::open(data_ / "log", {Durability::kSync, true});
    if (!log.ok()) return fail(err, log.error().message, 1);
    uint64_t until = (*log)->last_position();
    if (!until_.empty()) {
      auto position = until_position(**log, until_);
      if (!position.ok()) return fail(err, position.error().message, 2);
      until = std::min(until, *position);
    }
    if (until == 0) return fail(err, "nothing to replay: no event at or before that", 1);
    projections::ProjectionRegistry models{projections::read_models()};
    if (Status rebuilt = models.rebuild(**log, until); !rebuilt.ok())
      return fail(err, rebuilt.error().message, 1);
    Moment m{models, until, 0, {}};
    (void)(*log)->scan(until, until, [&](Event& e) {
      m.at_us = e.recorded_at_us;
      return false;
    });
    if (restaurant_.empty()) {
      m.restaurants = models.get<RestaurantsModel>().ids();
    } else {
      auto id = Uuid::parse(restaurant_);
      if (!id || !models.get<RestaurantsModel>().restaurant(*id))
        return fail(err,
                    "no restaurant " + restaurant_ + " as of position " + std::to_string(until), 1);
      m.restaurants = {*id};
    }
    if (json_)
      out << replay_json(m) << "\n";
    else
      print_text(m, out);
    return 0;
  }

 private:
  static int fail(std::ostream& err, const std::string& message, int code) {
    err << "comanda replay: " << message << "\n";
    return code;
  }

  std::filesystem::path data_;
  std::string until_, restaurant_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Subcommand> replay_command() { return std::make_unique<Replay>(); }

}  // namespace comanda::tools
