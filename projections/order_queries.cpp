// The orders read model's queries (projections/orders.h): orders by id,
// lists from the most selective index (in memory and, with the cold tier,
// their twins in views/), the kitchen board, drivers' panels and day
// counts. Every query holds the model's lock shared.
#include <algorithm>

#include "engine/domain/access.h"
#include "projections/orders.h"

namespace comanda::projections {

using namespace comanda::engine;

namespace {

// Several ascending lists, in memory or in views/, read as one, newest
// first, from below a cursor. An order in both (written to views/, not yet
// let go) comes out of each: the caller skips the repeat, which follows at
// once.
using Placement = ColdOrders::Placement;  // (placed position, order id), as OrdersModel's

class NewestFirst {
 public:
  using Placements = std::deque<Placement>;

  NewestFirst(const std::vector<const Placements*>& lists,
              std::vector<std::unique_ptr<ColdOrders::Walk>> walks, uint64_t before)
      : walks_(std::move(walks)) {
    heads_.reserve(lists.size() + walks_.size());
    for (const Placements* list : lists) {
      auto end = list->end();
      if (before != 0)
        end = std::lower_bound(list->begin(), end, before,
                               [](const auto& p, uint64_t pos) { return p.first < pos; });
      Head h{list, static_cast<size_t>(end - list->begin()), nullptr, {}};
      if (h.left > 0) heads_.push_back(h);
    }
    for (auto& w : walks_) {
      Head h{nullptr, 0, w.get(), {}};
      if (w->next(h.top)) heads_.push_back(h);
    }
    std::make_heap(heads_.begin(), heads_.end(), older);
  }

  // The newest entry not yet read; false when none is left.
  bool next(Placement& out) {
    if (heads_.empty()) return false;
    std::pop_heap(heads_.begin(), heads_.end(), older);
    Head& h = heads_.back();
    out = h.current();
    if (h.advance())
      std::push_heap(heads_.begin(), heads_.end(), older);
    else
      heads_.pop_back();
    return true;
  }

 private:
  struct Head {
    const Placements* list;  // in memory: entries [0, left) are still to read
    size_t left;
    ColdOrders::Walk* walk;  // in views/: `top` is the next
    Placement top;
    Placement current() const { return list ? (*list)[left - 1] : top; }
    bool advance() { return list ? --left > 0 : walk->next(top); }
  };
  static bool older(const Head& a, const Head& b) { return a.current() < b.current(); }

  std::vector<std::unique_ptr<ColdOrders::Walk>> walks_;
  std::vector<Head> heads_;  // a max-heap by current()
};

}  // namespace

std::vector<OrderView> OrdersModel::active_orders(const Uuid& restaurant_id,
                                                  uint64_t* position) const {
  auto lock = read_lock(position);
  std::vector<OrderView> out;
  auto it = restaurants_.find(restaurant_id);
  if (it == restaurants_.end()) return out;
  const Placements& open = it->second.by_group[static_cast<size_t>(StatusGroup::kActive)];
  out.reserve(open.size());
  for (auto p = open.rbegin(); p != open.rend(); ++p) {
    const OrderView& o = *orders_.find(p->second);
    if (o.status != OrderStatus::kScheduled) out.push_back(o);
  }
  return out;
}

DriverPanel OrdersModel::driver_panel(const Uuid& driver, int64_t now_us,
                                      uint64_t* position) const {
  auto lock = read_lock(position);
  const DriverWork::Lists lists = work_.of(driver);
  DriverPanel panel;
  const auto newest_first = [&](const std::vector<DriverWork::Placement>& from,
                                std::vector<OrderView>& to) {
    for (auto p = from.rbegin(); p != from.rend(); ++p) to.push_back(*orders_.find(p->second));
  };
  newest_first(lists.offers, panel.offers);
  newest_first(lists.delivering, panel.in_transit);
  for (auto c = lists.completed.rbegin(); c != lists.completed.rend(); ++c) {
    std::optional<OrderView> o = resolve(c->second);  // in views/ after the window
    if (!o || o->deleted) continue;
    auto r = restaurants_.find(o->placed.restaurant_id);
    const TimeZone zone = r == restaurants_.end() ? TimeZone() : r->second.zone;
    if (zone.local_date(o->completed_at_us) == zone.local_date(now_us))
      panel.completed_today.push_back(std::move(*o));
  }
  // Completions of one moment (one batch) newest placed first, however they
  // were loaded.
  std::stable_sort(panel.completed_today.begin(), panel.completed_today.end(),
                   [](const OrderView& a, const OrderView& b) {
                     return std::pair(a.completed_at_us, a.placed_position) >
                            std::pair(b.completed_at_us, b.placed_position);
                   });
  return panel;
}

DayStats OrdersModel::day_stats(const Uuid& restaurant_id, std::optional<LocalDate> date,
                                int64_t now_us, uint64_t* position) const {
  auto lock = read_lock(position);
  DayStats stats;
  auto r = restaurants_.find(restaurant_id);
  const TimeZone zone = r == restaurants_.end() ? TimeZone() : r->second.zone;
  stats.date = date ? *date : zone.local_date(now_us);
  if (r == restaurants_.end()) return stats;
  Walks day;
  auto hot = r->second.by_date.find(stats.date);
  add_walk(day, hot == r->second.by_date.end() ? nullptr : &hot->second,
           ColdOrders::Keys::date(restaurant_id, stats.date));
  std::vector<std::unique_ptr<ColdOrders::Walk>> cold;
  for (std::string& prefix : day.cold) cold.push_back(cold_->walk(std::move(prefix), 0));
  NewestFirst walk(day.lists, std::move(cold), 0);
  Placement last{0, Uuid{}};
  for (Placement p; walk.next(p);) {
    if (p == last) continue;  // in memory and in views/ both
    last = p;
    const OrderView* in_memory = orders_.find(p.second);
    std::optional<OrderView> from_views;
    if (!in_memory) from_views = cold_view(p.second);
    const OrderView* found = in_memory ? in_memory : from_views ? &*from_views : nullptr;
    if (!found || found->deleted) continue;
    const OrderView& o = *found;
    ++stats.orders;
    ++stats.by_status[static_cast<size_t>(o.status)];
    const StatusGroup group = status_group(o.status);
    ++stats.by_group[static_cast<size_t>(group)];
    if (group == StatusGroup::kCompleted) stats.revenue += o.placed.totals.total;
    stats.currency = o.placed.currency;
  }
  return stats;
}

std::optional<OrderView> OrdersModel::order(const Uuid& id) const {
  auto lock = read_lock();
  std::optional<OrderView> o = resolve(id);
  if (!o || o->deleted) return std::nullopt;
  return o;
}

bool OrdersModel::visible(const OrderView& order, const Principal& viewer) const {
  if (viewer.role == Role::kDriver) {
    auto it = driver_of_user_.find(viewer.subject);
    if (it == driver_of_user_.end()) return false;
    return order.driver == it->second ||
           std::find(order.offered.begin(), order.offered.end(), it->second) != order.offered.end();
  }
  auto r = restaurants_.find(order.placed.restaurant_id);
  static const std::vector<std::string> kNoOwners;
  return may_view_order(viewer, r == restaurants_.end() ? kNoOwners : r->second.owners,
                        order.placed.customer.id);
}

std::optional<OrderView> OrdersModel::order_for(const Uuid& id, const Principal& viewer,
                                                uint64_t* position) const {
  auto lock = read_lock(position);
  std::optional<OrderView> o = resolve(id);
  if (!o || o->deleted || !visible(*o, viewer)) return std::nullopt;
  return o;
}

std::string OrdersModel::customer_of(const Uuid& id) const {
  auto lock = read_lock();
  if (const OrderView* o = orders_.find(id)) return o->placed.customer.id;
  std::optional<OrderView> cold = cold_view(id);
  return cold ? cold->placed.customer.id : std::string();
}

Uuid OrdersModel::driver_of(const Uuid& id) const {
  auto lock = read_lock();
  if (const OrderView* o = orders_.find(id)) return o->driver;
  std::optional<OrderView> cold = cold_view(id);
  return cold ? cold->driver : Uuid{};
}

bool OrdersModel::matches(const OrderView& o, const OrderQuery& q) const {
  if (o.deleted || o.archived != q.archived) return false;
  if (q.restaurant_id && o.placed.restaurant_id != *q.restaurant_id) return false;
  if (!q.statuses.empty() &&
      std::find(q.statuses.begin(), q.statuses.end(), o.status) == q.statuses.end())
    return false;
  if (q.from_date && o.service_date < *q.from_date) return false;
  if (q.to_date && o.service_date > *q.to_date) return false;
  if (!q.payment_methods.empty() && std::find(q.payment_methods.begin(), q.payment_methods.end(),
                                              o.placed.payment.method) == q.payment_methods.end())
    return false;
  if (!q.fulfillment_types.empty() &&
      std::find(q.fulfillment_types.begin(), q.fulfillment_types.end(),
                o.placed.fulfillment.type) == q.fulfillment_types.end())
    return false;
  if (q.customer_id && o.placed.customer.id != *q.customer_id) return false;
  if (q.driver_id && o.driver != *q.driver_id) return false;
  if (!q.viewer) return true;
  // A driver's list is what is assigned to them (an offer is on the panel).
  if (q.viewer->role == Role::kDriver) {
    auto me = driver_of_user_.find(q.viewer->subject);
    return me != driver_of_user_.end() && o.driver == me->second;
  }
  return visible(o, *q.viewer);
}

void OrdersModel::add_walk(Walks& w, const Placements* list, std::string cold_prefix) const {
  if (list) w.lists.push_back(list);
  if (cold_) w.cold.push_back(std::move(cold_prefix));
}

size_t OrdersModel::size_of(const Walks& w) const {
  constexpr size_t kEnough = 5'000;
  size_t size = 0;
  for (const Placements* list : w.lists) size += list->size();
  for (const std::string& prefix : w.cold) {
    if (size >= kEnough) break;
    size += cold_->count(prefix, kEnough - size);
  }
  return size;
}

bool OrdersModel::scope_of(const OrderQuery& q, Role role, std::vector<Walks>& candidates,
                           std::vector<const RestaurantOrders*>& scope) const {
  using Keys = ColdOrders::Keys;
  if (role == Role::kCustomer) {  // their own orders: filters narrow them as predicates
    Walks mine;
    add_walk(mine, by_customer_.find(q.viewer->subject), Keys::customer(q.viewer->subject));
    candidates.push_back(std::move(mine));
    return true;
  }
  if (role == Role::kDriver) {  // the orders assigned to them
    Walks mine;
    if (auto me = driver_of_user_.find(q.viewer->subject); me != driver_of_user_.end()) {
      auto list = by_driver_.find(me->second);
      add_walk(mine, list == by_driver_.end() ? nullptr : &list->second, Keys::driver(me->second));
    }
    candidates.push_back(std::move(mine));
    return true;
  }
  if (q.restaurant_id) {
    auto it = restaurants_.find(*q.restaurant_id);
    if (it == restaurants_.end()) return false;
    // Another tenant's restaurant lists nothing, without walking its orders.
    if (role == Role::kOwner && std::find(it->second.owners.begin(), it->second.owners.end(),
                                          q.viewer->subject) == it->second.owners.end())
      return false;
    scope.push_back(&it->second);
  } else if (role == Role::kOwner) {
    if (auto it = restaurants_of_.find(q.viewer->subject); it != restaurants_of_.end())
      for (const Uuid& id : it->second)
        if (auto r = restaurants_.find(id); r != restaurants_.end()) scope.push_back(&r->second);
  } else {  // an admin's: every order
    Walks all;
    add_walk(all, &all_orders_, Keys::all());
    candidates.push_back(std::move(all));
    for (const auto& [_, r] : restaurants_) scope.push_back(&r);
    return true;
  }
  Walks all;
  for (const RestaurantOrders* r : scope) add_walk(all, &r->all, Keys::restaurant(r->id));
  candidates.push_back(std::move(all));
  return true;
}

void OrdersModel::narrower_walks(const OrderQuery& q,
                                 const std::vector<const RestaurantOrders*>& scope,
                                 std::vector<Walks>& candidates) const {
  using Keys = ColdOrders::Keys;
  constexpr size_t kMaxLists = 4096;  // beyond, merging costs more than it saves
  if (scope.size() > kMaxLists) return;
  if (!q.statuses.empty()) {
    std::array<bool, kStatusGroupCount> groups{};
    for (OrderStatus s : q.statuses) groups[static_cast<size_t>(status_group(s))] = true;
    Walks w;
    for (const RestaurantOrders* r : scope)
      for (size_t g = 0; g < kStatusGroupCount; ++g)
        if (groups[g]) add_walk(w, &r->by_group[g], Keys::group(r->id, static_cast<int>(g)));
    candidates.push_back(std::move(w));
  }
  if (q.from_date || q.to_date) {
    Walks w;
    size_t days = 0;
    for (const RestaurantOrders* r : scope) {
      auto from = q.from_date ? r->days.lower_bound(*q.from_date) : r->days.begin();
      auto to = q.to_date ? r->days.upper_bound(*q.to_date) : r->days.end();
      for (auto day = from; day != to && ++days <= kMaxLists; ++day) {
        auto hot = r->by_date.find(*day);
        add_walk(w, hot == r->by_date.end() ? nullptr : &hot->second, Keys::date(r->id, *day));
      }
    }
    if (days <= kMaxLists) candidates.push_back(std::move(w));
  }
  if (q.customer_id) {  // the customer's orders at each restaurant
    Walks w;
    for (const RestaurantOrders* r : scope) {
      auto theirs = r->by_customer.find(*q.customer_id);
      add_walk(w, theirs == r->by_customer.end() ? nullptr : &theirs->second,
               Keys::restaurant_customer(r->id, *q.customer_id));
    }
    candidates.push_back(std::move(w));
  }
}

OrdersModel::Walks OrdersModel::plan(const OrderQuery& q) const {
  using Keys = ColdOrders::Keys;
  if (q.from_date && q.to_date && *q.from_date > *q.to_date) return {};
  const Role role = q.viewer ? q.viewer->role : Role::kAdmin;
  std::vector<Walks> candidates;
  std::vector<const RestaurantOrders*> scope;
  if (!scope_of(q, role, candidates, scope)) return {};
  if (!scope.empty()) narrower_walks(q, scope, candidates);
  // A customer's or driver's list spans every restaurant: an admin's to
  // walk (an owner's walk would hand back cursors of other tenants' orders).
  if (role == Role::kAdmin && q.customer_id) {
    Walks w;
    add_walk(w, by_customer_.find(*q.customer_id), Keys::customer(*q.customer_id));
    candidates.push_back(std::move(w));
  }
  if (role == Role::kAdmin && q.driver_id) {
    Walks w;
    auto theirs = by_driver_.find(*q.driver_id);
    add_walk(w, theirs == by_driver_.end() ? nullptr : &theirs->second, Keys::driver(*q.driver_id));
    candidates.push_back(std::move(w));
  }
  if (candidates.empty()) return {};
  // The first is the widest (the scope's whole list): any other holds every
  // order the query can match too, in fewer entries.
  if (candidates.size() == 1) return std::move(candidates.front());
  if (candidates.size() == 2) return std::move(candidates.back());
  size_t best = 1, best_size = size_of(candidates[1]);
  for (size_t i = 2; i < candidates.size(); ++i)
    if (size_t size = size_of(candidates[i]); size < best_size) best = i, best_size = size;
  return std::move(candidates[best]);
}

OrderPage OrdersModel::list_orders(const OrderQuery& query) const {
  OrderPage page;
  auto lock = read_lock(&page.position);
  if (query.limit == 0) return page;
  Walks plan_ = plan(query);
  std::vector<std::unique_ptr<ColdOrders::Walk>> cold;
  for (std::string& prefix : plan_.cold)
    cold.push_back(cold_->walk(std::move(prefix), query.before_position));
  NewestFirst walk(plan_.lists, std::move(cold), query.before_position);
  const size_t budget = kRowsExaminedPerResult * query.limit;
  Placement last{0, Uuid{}};
  std::optional<OrderView> from_views;
  for (Placement next; walk.next(next);) {
    if (next == last) continue;  // in memory and in views/ both
    last = next;
    if (page.rows_examined == budget) {  // stop early: the next page starts here
      page.next_cursor = next.first + 1;
      break;
    }
    ++page.rows_examined;
    const OrderView* o = orders_.find(next.second);
    if (!o) {
      from_views = cold_view(next.second);
      if (!from_views) continue;
      o = &*from_views;
    }
    if (!matches(*o, query)) continue;
    if (page.orders.size() == query.limit) {
      page.next_cursor = page.orders.back().placed_position;
      break;
    }
    page.orders.push_back(*o);
  }
  return page;
}

}  // namespace comanda::projections
