// The orders model's snapshot rows (projections/projection.h), both ways.
//
// Saving while batches are applied: the rows that are few (restaurants'
// owners and days, driver accounts, recent completions, the overlay) and the
// ids of the orders held are taken while the publisher waits; the orders'
// own rows are encoded after it goes on, a chunk at a time under the read
// lock, each as it was at the snapshot's position: an order changed or let
// go meanwhile was copied first (preserve()), and the copy is what is saved.
#include <algorithm>

#include "projections/orders.h"
#include "projections/rows.h"

namespace comanda::projections {

using namespace comanda::engine;

namespace {

// Row keys: an order's, and a restaurant's owners'.
constexpr char kOrderRow = 'o';
constexpr char kOwnersRow = 'r';
constexpr char kDriverRow = 'u';
constexpr char kCompletionsRow = 'w';  // a driver's recent completions
constexpr char kOverlayRow = 'v';      // a cold order's events not yet in views/

std::string row_key(char kind, const Uuid& id) {
  std::string key(1, kind);
  key += id.raw();
  return key;
}

// Orders encoded per hold of the read lock: the publisher waits for at most
// one chunk, about 0.6 ms of CPU. Small, since the snapshot's thread runs in
// the background (engine/base/background.h): on a busy core it gets a
// fraction of it while holding the lock.
constexpr size_t kOrdersPerChunk = 256;

}  // namespace

// The orders' rows of a snapshot, after the publisher went on. While it
// lives, the model keeps a copy of every order of the snapshot before its
// first change.
class OrdersModel::OrderRows final : public Projection::Later {
 public:
  OrderRows(const OrdersModel& model, std::vector<Uuid> ids)
      : model_(model), ids_(std::move(ids)) {}
  ~OrderRows() override {
    auto lock = model_.write_lock();
    model_.preserved_.reset();
  }
  OrderRows(const OrderRows&) = delete;
  OrderRows& operator=(const OrderRows&) = delete;

  Status save(const RowSink& put) override {
    std::vector<std::pair<std::string, std::string>> chunk(kOrdersPerChunk);
    v1::ViewRow row;
    for (size_t from = 0; from < ids_.size(); from += kOrdersPerChunk) {
      const size_t n = std::min(kOrdersPerChunk, ids_.size() - from);
      {
        auto lock = model_.read_lock();
        for (size_t i = 0; i < n; ++i) {
          const Uuid& id = ids_[from + i];
          const OrderView* o = model_.as_preserved(id);
          if (!o) return Error::corruption("an order of the snapshot left memory unpreserved");
          to_row(*o, row);
          chunk[i].first = row_key(kOrderRow, id);
          row.SerializeToString(&chunk[i].second);
        }
      }
      for (size_t i = 0; i < n; ++i)
        if (auto s = put(chunk[i].first, chunk[i].second); !s.ok()) return s;
    }
    return {};
  }

 private:
  const OrdersModel& model_;
  const std::vector<Uuid> ids_;  // the orders of the snapshot (deleted ones aside)
};

void OrdersModel::preserve(const OrderView& o) {
  if (preserved_ && o.placed_position <= preserved_->position)
    preserved_->before.try_emplace(o.id, o);
}

const OrderView* OrdersModel::as_preserved(const Uuid& id) const {
  if (auto it = preserved_->before.find(id); it != preserved_->before.end()) return &it->second;
  return orders_.find(id);
}

Status OrdersModel::save(const RowSink& put) const {
  auto later = save_still(put);
  if (!later.ok()) return later.error();
  return (*later)->save(put);
}

Result<std::unique_ptr<Projection::Later>> OrdersModel::save_still(const RowSink& put) const {
  auto lock = write_lock();  // the cold writer may let orders go meanwhile
  if (preserved_) return Error::invalid("", "a snapshot of the orders is being taken already");
  v1::ViewRow row;
  std::string value;
  for (const auto& [id, r] : restaurants_) {
    row.Clear();
    for (const std::string& owner : r.owners) row.add_owners(owner);
    row.set_time_zone(std::string(r.zone.name()));
    for (LocalDate day : r.days) row.add_days(day);
    if (auto s = put_row(put, row_key(kOwnersRow, id), row, value); !s.ok()) return s.error();
  }
  for (const auto& [user, id] : driver_of_user_) {
    row.Clear();
    row.set_user_id(user);
    if (auto s = put_row(put, row_key(kDriverRow, id), row, value); !s.ok()) return s.error();
  }
  Status completions;
  work_.for_each_completed([&](const Uuid& driver, const DriverWork::Completions& list) {
    if (!completions.ok()) return;
    row.Clear();
    for (const auto& [at, order] : list) {
      row.add_completed_orders(order.raw().data(), 16);
      row.add_completed_at(at);
    }
    completions = put_row(put, row_key(kCompletionsRow, driver), row, value);
  });
  if (!completions.ok()) return completions.error();
  for (const auto& [id, events] : overlay_)
    if (auto s = put(row_key(kOverlayRow, id), encode_overlay(events)); !s.ok()) return s.error();
  // Every order held but the deleted ones (their events alone remember
  // them): the list of all, read in sequence.
  std::vector<Uuid> ids;
  ids.reserve(all_orders_.size());
  for (const Placement& p : all_orders_) ids.push_back(p.second);
  preserved_.emplace();
  preserved_->position = position_locked();
  return std::unique_ptr<Projection::Later>(std::make_unique<OrderRows>(*this, std::move(ids)));
}

engine::Status OrdersModel::load_row(std::string_view key, std::string_view value) {
  if (key.size() == 17 && key[0] == kOwnersRow) return load_owners(key, value);
  if (key.size() == 17 && key[0] == kOrderRow) return load_order(value);
  if (key.size() == 17 && key[0] == kDriverRow) return load_driver(key, value);
  if (key.size() == 17 && key[0] == kCompletionsRow) return load_completions(key, value);
  if (key.size() == 17 && key[0] == kOverlayRow) return load_overlay(key, value);
  return bad_row(kName, "has an unknown key");
}

engine::Status OrdersModel::load_owners(std::string_view key, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto zone = TimeZone::find(row.time_zone());
  if (!zone) return bad_row(kName, "names an unknown time zone");
  auto lock = write_lock();
  const Uuid id = *Uuid::from_raw(key.substr(1));
  set_owners(id, {row.owners().begin(), row.owners().end()});
  RestaurantOrders& r = restaurant_orders(id);
  r.zone = *zone;
  r.days.insert(row.days().begin(), row.days().end());
  return {};
}

engine::Status OrdersModel::load_completions(std::string_view key, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  if (row.completed_orders_size() != row.completed_at_size())
    return bad_row(kName, "has completions without their times");
  const Uuid driver = *Uuid::from_raw(key.substr(1));
  auto lock = write_lock();
  for (int i = 0; i < row.completed_orders_size(); ++i) {
    auto order = Uuid::from_raw(row.completed_orders(i));
    if (!order) return bad_row(kName, "has a malformed completed order id");
    work_.load_completed(driver, row.completed_at(i), *order);
  }
  return {};
}

engine::Status OrdersModel::load_driver(std::string_view key, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  auto lock = write_lock();
  driver_of_user_[parsed->user_id()] = *Uuid::from_raw(key.substr(1));
  return {};
}

engine::Status OrdersModel::load_order(std::string_view value) {
  auto view = from_row(value);
  if (!view.ok()) return view.error();
  auto lock = write_lock();
  OrderView& o = orders_[view->id];
  o = std::move(view).value();
  index_order(o, false);
  if (status_group(o.status) != StatusGroup::kActive) finished_.emplace_back(o.updated_at_us, o.id);
  work_.load({o.placed_position, o.id}, DriverWork::ties_of(o));
  return {};
}

void OrdersModel::finish_load() {
  // Rows come in key order, not placement order.
  auto lock = write_lock();
  const auto sort = [](Placements& list) { std::sort(list.begin(), list.end()); };
  sort(all_orders_);
  for (auto& [_, r] : restaurants_) {
    sort(r.all);
    for (Placements& list : r.by_group) sort(list);
    for (auto& [_, list] : r.by_date) sort(list);
    for (auto& [_, list] : r.by_customer) sort(list);
  }
  by_customer_.for_each([&](const std::string&, Placements& list) { sort(list); });
  for (auto& [_, list] : by_driver_) sort(list);
  work_.finish_load();
  std::sort(finished_.begin(), finished_.end());  // loaded in id order
}

}  // namespace comanda::projections
