// What clients could read from a set of read models after a simulated
// workload (tests/support/simulation.h), as comparable text: every
// restaurant's lists (a few filters, every page), board and days; every
// driver's panel and list; customers' lists; every order by id; the nearest
// drivers. Two sets of models that hold the same state give the same text.
#pragma once

#include <string>
#include <vector>

#include "engine/base/time_zone.h"
#include "projections/drivers.h"
#include "projections/orders.h"
#include "tests/support/models_under_test.h"
#include "tests/support/simulation.h"

namespace comanda::test_support {

inline std::string order_ids(const std::vector<projections::OrderView>& orders) {
  std::string out;
  for (const auto& o : orders)
    out += o.id.to_string() + " v" + std::to_string(o.version) + (o.archived ? " a" : "") + ",";
  return out;
}

inline std::string read_everything(const ModelsUnderTest& m, const Simulation& sim,
                                   int64_t now_us) {
  using projections::OrderQuery;
  const auto& orders = m.registry().get<projections::OrdersModel>();
  const auto& drivers = m.registry().get<projections::DriversModel>();
  std::string out;
  const auto pages = [&](OrderQuery q) {
    for (int guard = 0; guard < 10'000; ++guard) {
      const auto page = orders.list_orders(q);
      out += order_ids(page.orders) + "|";
      if (page.next_cursor == 0) break;
      q.before_position = page.next_cursor;
    }
    out += "\n";
  };
  OrderQuery all;
  all.limit = 41;
  pages(all);
  all.archived = true;
  pages(all);
  for (const engine::Uuid& r : sim.restaurants()) {
    OrderQuery q;
    q.restaurant_id = r;
    q.limit = 13;
    pages(q);
    q.statuses = {engine::OrderStatus::kDelivered, engine::OrderStatus::kCancelled,
                  engine::OrderStatus::kPending};
    pages(q);
    q.statuses.clear();
    q.payment_methods = {"credit"};
    pages(q);
    q.payment_methods.clear();
    q.from_date = engine::TimeZone().local_date(now_us) - 1;  // yesterday's and today's
    q.to_date = *q.from_date + 1;
    pages(q);
    out += order_ids(orders.active_orders(r)) + "\n";
    for (int64_t days_ago : {0, 1}) {
      const auto day = orders.day_stats(r, std::nullopt, now_us - days_ago * 86'400 * kSecond);
      out += std::to_string(day.orders) + " " + std::to_string(day.revenue) + "\n";
    }
  }
  for (const engine::Uuid& d : sim.drivers()) {
    const auto panel = orders.driver_panel(d, now_us);
    out += order_ids(panel.offers) + order_ids(panel.in_transit) +
           order_ids(panel.completed_today) + "\n";
    OrderQuery theirs;
    theirs.driver_id = d;
    pages(theirs);
  }
  for (size_t a = 0; a < 20; ++a) {
    OrderQuery mine;
    mine.viewer = customer("u-cust-" + std::to_string(a));
    pages(mine);
  }
  for (const engine::Uuid& id : sim.orders()) {
    auto o = orders.order(id);
    out += o ? order_ids({*o}) + std::to_string(o->fulfilled.size()) + "\n" : "absent\n";
  }
  for (double north : {0.0, 0.02, 0.5})
    for (const auto& near : drivers.nearest({kLat + north, kLng}, 20'000, north != 0.02, 25))
      out += near.driver.id.to_string() + " " + std::to_string(near.distance_m) + "\n";
  return out;
}

}  // namespace comanda::test_support
