#include "projections/driver_work.h"

#include <algorithm>

#include "projections/orders.h"

namespace comanda::projections {

using engine::Uuid;

namespace {

using Placement = DriverWork::Placement;
using PlacementMap = std::unordered_map<Uuid, std::vector<Placement>, engine::UuidHash>;

void add(PlacementMap& map, const Uuid& driver, const Placement& p) {
  std::vector<Placement>& list = map[driver];
  list.insert(std::upper_bound(list.begin(), list.end(), p), p);
}

void remove(PlacementMap& map, const Uuid& driver, const Placement& p) {
  auto it = map.find(driver);
  if (it == map.end()) return;
  std::erase(it->second, p);
  if (it->second.empty()) map.erase(it);
}

bool contains(const std::vector<Uuid>& ids, const Uuid& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

DriverWork::Ties DriverWork::ties_of(const OrderView& o) {
  Ties t;
  if (o.deleted) return t;
  t.offered = o.offered;
  const engine::StatusGroup group = engine::status_group(o.status);
  if (group == engine::StatusGroup::kActive) t.delivering = o.driver;
  if (group == engine::StatusGroup::kCompleted && !o.driver.is_nil()) {
    t.completed_by = o.driver;
    t.completed_at_us = o.completed_at_us;
  }
  return t;
}

void DriverWork::retie(const Placement& p, const Ties& was, const Ties& now) {
  for (const Uuid& d : was.offered)
    if (!contains(now.offered, d)) remove(offers_, d, p);
  for (const Uuid& d : now.offered)
    if (!contains(was.offered, d)) add(offers_, d, p);
  if (was.delivering != now.delivering) {
    if (!was.delivering.is_nil()) remove(delivering_, was.delivering, p);
    if (!now.delivering.is_nil()) add(delivering_, now.delivering, p);
  }
  if (was.completed_by != now.completed_by) {
    if (auto it = completed_.find(was.completed_by); it != completed_.end()) {
      std::erase_if(it->second, [&](const auto& c) { return c.second == p.second; });
      if (it->second.empty()) completed_.erase(it);
    }
    if (!now.completed_by.is_nil()) complete(now.completed_by, now.completed_at_us, p.second);
  }
}

void DriverWork::complete(const Uuid& driver, int64_t at_us, const Uuid& order) {
  Completions& list = completed_[driver];
  list.emplace_back(at_us, order);  // completions come in time order
  while (list.front().first < at_us - kRecentUs) list.pop_front();
}

void DriverWork::load(const Placement& p, const Ties& now) {
  for (const Uuid& d : now.offered) offers_[d].push_back(p);
  if (!now.delivering.is_nil()) delivering_[now.delivering].push_back(p);
}

void DriverWork::load_completed(const Uuid& driver, int64_t at_us, const Uuid& order) {
  completed_[driver].emplace_back(at_us, order);
}

void DriverWork::finish_load() {
  for (auto& [_, list] : offers_) std::sort(list.begin(), list.end());
  for (auto& [_, list] : delivering_) std::sort(list.begin(), list.end());
  // As live: what is within the window of each driver's latest completion.
  for (auto& [_, list] : completed_) {
    std::sort(list.begin(), list.end());
    const int64_t latest = list.back().first;
    while (list.front().first < latest - kRecentUs) list.pop_front();
  }
}

void DriverWork::clear() {
  offers_.clear();
  delivering_.clear();
  completed_.clear();
}

DriverWork::Lists DriverWork::of(const Uuid& driver) const {
  Lists out;
  if (auto it = offers_.find(driver); it != offers_.end()) out.offers = it->second;
  if (auto it = delivering_.find(driver); it != delivering_.end()) out.delivering = it->second;
  if (auto it = completed_.find(driver); it != completed_.end())
    out.completed.assign(it->second.begin(), it->second.end());
  return out;
}

}  // namespace comanda::projections
