// The orders model's cold tier (projections/orders.h, use_cold_store()):
// finished orders leave memory for views/ after the window, written by a
// thread of the model's own, and are read back from there.
//
// The writer's round, and why it is safe:
// - Under the model's lock it takes the orders due (finished longer than the
//   window ago, by the log's time) and encodes their rows, and copies the
//   events of cold orders not yet written (the overlay).
// - Without the lock it reads those cold orders' rows, applies the events
//   (each at most once: an event is applied only over an older version, so
//   a replay after a crash, which brings them again, changes nothing), and
//   writes everything as one write.
// - Under the lock again it lets go of each order written, unless an event
//   changed it meanwhile (then its row is stale, and the order is due again
//   later: until then, reads take it from memory, which always wins), and
//   drops the overlay's events it wrote.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "comanda/v1/views.pb.h"
#include "engine/base/background.h"
#include "engine/log/event_codec.h"
#include "projections/orders.h"
#include "projections/rows.h"

namespace comanda::projections {

using namespace comanda::engine;

namespace {

// Orders (and cold orders' changes) per round: a round holds the model's
// lock for the encoding of this many at most.
constexpr size_t kPerRound = 1'000;

}  // namespace

OrdersModel::~OrdersModel() { stop_cold(); }

void OrdersModel::use_cold_store(ColdOrders* cold, int64_t window_us, bool writer) {
  stop_cold();
  cold_ = cold;
  window_us_ = window_us;
  {
    std::lock_guard lock(writer_mu_);
    stopping_ = false;
  }
  if (cold_ && writer)
    writer_ = std::thread([this] {
      engine::run_in_background();
      writer_loop();
    });
}

void OrdersModel::stop_cold() {
  {
    std::lock_guard lock(writer_mu_);
    stopping_ = true;
  }
  writer_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

engine::Status OrdersModel::flush_cold() {
  if (!cold_) return {};
  if (!writer_.joinable()) return Error::unavailable("the cold tier is read-only here");
  std::unique_lock lock(writer_mu_);
  if (stopping_) return Error::unavailable("the cold writer has stopped");
  const uint64_t ticket = ++flush_asked_;
  writer_cv_.notify_all();
  writer_cv_.wait(lock, [&] { return flush_done_ >= ticket || stopping_; });
  return writer_status_;
}

size_t OrdersModel::hot_orders() const {
  auto lock = read_lock();
  return orders_.size();
}

void OrdersModel::writer_loop() {
  std::unique_lock lock(writer_mu_);
  while (!stopping_) {
    const uint64_t asked = flush_asked_;
    lock.unlock();
    engine::Status status;
    for (;;) {  // rounds until nothing is left to write
      auto written = write_cold();
      if (!written.ok()) {
        status = written.error();
        break;
      }
      if (*written == 0) break;
    }
    lock.lock();
    writer_status_ = status;
    if (!status.ok())
      std::cerr << "comandad: cold orders not written (they stay in memory): "
                << status.error().message << "\n";
    flush_done_ = asked;
    writer_cv_.notify_all();
    writer_cv_.wait_for(lock, std::chrono::milliseconds(50),
                        [&] { return stopping_ || flush_asked_ != asked; });
  }
}

std::vector<std::string> OrdersModel::cold_keys(const OrderView& o) const {
  using Keys = ColdOrders::Keys;
  const Uuid& r = o.placed.restaurant_id;
  const std::string& customer = o.placed.customer.id;
  // Every list it is in by its status, whether deleted or not: a deleted
  // order's keys are the ones to remove.
  std::vector<std::string> keys = {Keys::all(),
                                   Keys::restaurant(r),
                                   Keys::group(r, static_cast<int>(status_group(o.status))),
                                   Keys::date(r, o.service_date),
                                   Keys::restaurant_customer(r, customer),
                                   Keys::customer(customer)};
  if (!o.driver.is_nil()) keys.push_back(Keys::driver(o.driver));
  return keys;
}

std::optional<OrderView> OrdersModel::cold_view(const Uuid& id) const {
  // A read error reads as absent: views/ is derived, and the next write or
  // restart repairs it (the writer reports its own errors).
  if (!cold_) return std::nullopt;
  auto stored = cold_->row(id);
  if (!stored.ok() || !*stored) return std::nullopt;
  auto view = from_row(**stored);
  if (!view.ok()) return std::nullopt;
  if (auto changes = overlay_.find(id); changes != overlay_.end())
    for (const Event& e : changes->second)
      if (e.stream_version > view->version) apply_change(*view, e);
  return std::move(view).value();
}

std::optional<OrderView> OrdersModel::resolve(const Uuid& id) const {
  if (const OrderView* o = orders_.find(id)) return *o;
  return cold_view(id);
}

void OrdersModel::take_cold_work(ColdRound& round) {
  auto lock = write_lock();
  v1::ViewRow row;
  while (!finished_.empty() && finished_.front().first <= now_us_ - window_us_ &&
         round.taken.size() < kPerRound) {
    const std::pair<int64_t, Uuid> entry = finished_.front();
    finished_.pop_front();
    const OrderView* o = orders_.find(entry.second);
    if (!o) continue;  // already gone
    ColdOrders::Change c;
    c.placement = {o->placed_position, o->id};
    // A deleted order keeps its row (its customer, for the live feed's
    // audience) and leaves every list.
    to_row(*o, row);
    c.row = row.SerializeAsString();
    (o->deleted ? c.unlisted : c.listed) = cold_keys(*o);
    round.changes.push_back(std::move(c));
    round.taken.push_back(entry);
    round.versions.push_back(o->version);
  }
  for (const auto& [id, events] : overlay_) {
    if (round.changed.size() == kPerRound) break;
    round.changed.emplace_back(id, events);
  }
}

engine::Status OrdersModel::rewrite_cold_rows(ColdRound& round) const {
  for (const auto& [id, events] : round.changed) {
    auto stored = cold_->row(id);
    if (!stored.ok()) return stored.error();
    if (!*stored) continue;  // not there: nothing is left to change
    auto view = from_row(**stored);
    if (!view.ok()) return view.error();
    const std::vector<std::string> before = cold_keys(*view);
    bool applied = false;
    for (const Event& e : events)
      if (e.stream_version > view->version) applied |= apply_change(*view, e);
    if (!applied) continue;
    ColdOrders::Change c;
    c.placement = {view->placed_position, id};
    v1::ViewRow row;
    to_row(*view, row);
    c.row = row.SerializeAsString();
    if (!view->deleted) c.listed = cold_keys(*view);
    for (const std::string& key : before)
      if (std::find(c.listed.begin(), c.listed.end(), key) == c.listed.end())
        c.unlisted.push_back(key);
    round.changes.push_back(std::move(c));
  }
  return {};
}

void OrdersModel::let_go(const ColdRound& round) {
  auto lock = write_lock();
  std::vector<std::pair<int64_t, Uuid>> again;
  for (size_t i = 0; i < round.taken.size(); ++i) {
    OrderView* o = orders_.find(round.taken[i].second);
    if (!o) continue;
    if (o->version != round.versions[i]) {
      // Changed while written (deleted, archived): its row is stale, and it
      // is written again at once, still due (a clean stop must not leave a
      // stale row behind an order it no longer snapshots).
      again.push_back(round.taken[i]);
      continue;
    }
    if (!o->deleted) unindex(*o, keys_of(*o));  // a deleted one left its lists already
    preserve(*o);
    orders_.erase(round.taken[i].second);
  }
  finished_.insert(finished_.begin(), again.begin(), again.end());
  for (const auto& [id, events] : round.changed) {
    auto it = overlay_.find(id);
    if (it == overlay_.end()) continue;
    // Events that came meanwhile stay, for the next round.
    it->second.erase(
        it->second.begin(),
        it->second.begin() + static_cast<ptrdiff_t>(std::min(events.size(), it->second.size())));
    if (it->second.empty()) overlay_.erase(it);
  }
}

engine::Result<size_t> OrdersModel::write_cold() {
  {
    // Nothing to do, the common case: a shared look, which holds up no reader.
    auto look = read_lock();
    if ((finished_.empty() || finished_.front().first > now_us_ - window_us_) && overlay_.empty())
      return 0;
  }
  ColdRound round;
  take_cold_work(round);
  engine::Status written = rewrite_cold_rows(round);
  if (written.ok() && !round.changes.empty()) written = cold_->write(round.changes);
  if (!written.ok()) {  // what was taken goes back: it is due still
    auto lock = write_lock();
    finished_.insert(finished_.begin(), round.taken.begin(), round.taken.end());
    return written.error();
  }
  let_go(round);
  return round.taken.size() + round.changed.size();
}

}  // namespace comanda::projections

namespace comanda::projections {

std::string OrdersModel::encode_overlay(std::span<const Event> events) {
  std::string out, stored;
  for (const Event& e : events) {
    stored.clear();
    encode_event(e, stored);
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>(stored.size() >> shift));
    out += stored;
  }
  return out;
}

Status OrdersModel::load_overlay(std::string_view key, std::string_view value) {
  auto id = Uuid::from_raw(key.substr(1));
  if (!id) return bad_row(kName, "has a bad key");
  std::vector<Event> events;
  while (!value.empty()) {
    if (value.size() < 4) return bad_row(kName, "has a truncated overlay");
    uint32_t size = 0;
    for (int i = 0; i < 4; ++i) size = size << 8 | static_cast<uint8_t>(value[i]);
    if (value.size() - 4 < size) return bad_row(kName, "has a truncated overlay");
    auto event = stored_event(value.substr(4, size));
    if (!event.ok()) return event.error();
    events.push_back(std::move(event).value());
    value.remove_prefix(4 + size);
  }
  auto lock = write_lock();
  overlay_[*id] = std::move(events);
  return {};
}

}  // namespace comanda::projections
