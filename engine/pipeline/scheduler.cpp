#include "engine/pipeline/scheduler.h"

#include <algorithm>
#include <chrono>

namespace comanda::engine {
namespace {

constexpr int64_t kSecondUs = 1'000'000;
constexpr int64_t kRetryUs = kSecondUs;  // a command the pipeline did not take
constexpr int64_t kLongestSleepUs =
    1 * kSecondUs;  // the clock is looked at again at least this often

bool ends_order(const Event& e) {
  if (std::holds_alternative<OrderDeleted>(e.payload)) return true;
  const auto* changed = std::get_if<OrderStatusChanged>(&e.payload);
  return changed && is_terminal(changed->to);
}

}  // namespace

void Scheduler::observe(std::span<const Event> events) {
  bool earlier = false;
  {
    std::lock_guard lock(mu_);
    const int64_t before = heap_.empty() ? INT64_MAX : heap_.top().at_us;
    for (const Event& e : events) observe_one(e, true);
    earlier = !heap_.empty() && heap_.top().at_us < before;
  }
  if (earlier) poke();
}

void Scheduler::observe_loaded(const Event& e) {
  std::lock_guard lock(mu_);
  observe_one(e, false);
}

void Scheduler::finish_load() {
  std::lock_guard lock(mu_);
  orders_.for_each(
      [&](const Uuid& id, const Tracked& o) { arm(id, o, o.offer_expires_at_us != 0); });
}

Status Scheduler::save(const RowSink& put) const {
  std::lock_guard lock(mu_);
  Status status;
  std::string key, value;
  orders_.for_each([&](const Uuid& id, const Tracked& o) {
    if (!status.ok()) return;
    key.assign(1, kSnapshotTag).append(id.raw());
    value.clear();
    encode_state(o, value);
    status = put(key, value);
  });
  return status;
}

Status Scheduler::restore_row(std::string_view key, std::string_view value) {
  auto id = key.size() == 17 ? Uuid::from_raw(key.substr(1)) : std::nullopt;
  if (!id) return Error::corruption("a snapshot row of the scheduler has a bad key");
  Tracked o;
  if (Status decoded = decode_state(value, o); !decoded.ok()) return decoded;
  std::lock_guard lock(mu_);
  orders_[*id] = o;
  return {};
}

void Scheduler::restore_restaurants(const RestaurantBook& restaurants) {
  std::lock_guard lock(mu_);
  restaurants.for_each(
      [&](const Uuid& id, const RestaurantState& r) { restaurants_.restore(id, r); });
}

void Scheduler::clear() {
  std::lock_guard lock(mu_);
  restaurants_ = RestaurantBook();
  orders_ = {};
  heap_ = {};
}

void Scheduler::observe_one(const Event& e, bool arm_it) {
  std::visit(
      [&](const auto& payload) {
        if constexpr (requires { restaurants_.apply(e, payload); }) restaurants_.apply(e, payload);
      },
      e.payload);
  if (const auto* placed = std::get_if<OrderPlaced>(&e.payload)) {
    Tracked& o = orders_[e.stream];
    o.restaurant = placed->restaurant_id;
    o.status = placed->status;
    o.pending_since_us = e.recorded_at_us;
    o.scheduled_for_us = placed->fulfillment.scheduled_for_us;
  }
  Tracked* tracked = orders_.find(e.stream);
  if (!tracked) return;  // not an open order's event
  if (ends_order(e)) {
    orders_.erase(e.stream);
    return;
  }
  Tracked& o = *tracked;
  o.version = e.stream_version;
  if (const auto* changed = std::get_if<OrderStatusChanged>(&e.payload)) {
    if (changed->to == OrderStatus::kPending && o.status != OrderStatus::kPending)
      o.pending_since_us = e.recorded_at_us;
    o.status = changed->to;
  } else if (const auto* edit = std::get_if<OrderChanged>(&e.payload); edit && edit->fulfillment) {
    o.scheduled_for_us = edit->fulfillment->scheduled_for_us;
  } else if (const auto* whole = std::get_if<OrderReplaced>(&e.payload)) {
    o.scheduled_for_us = whole->fulfillment.scheduled_for_us;
  } else if (const auto* offered = std::get_if<DriverOffered>(&e.payload)) {
    o.offer_expires_at_us = offered->expires_at_us;
  } else if (std::holds_alternative<OfferExpired>(e.payload) ||
             std::holds_alternative<DriverAssigned>(e.payload) ||
             std::holds_alternative<DispatchWaiting>(e.payload)) {
    o.offer_expires_at_us = 0;
  }
  if (arm_it) arm(e.stream, o, std::holds_alternative<DriverOffered>(e.payload));
}

// After each event of an open order: what it makes due. Entries that the
// order outgrows stay in the heap and are dropped when they come up.
void Scheduler::arm(const Uuid& id, const Tracked& o, bool offer) {
  const RestaurantState* r = restaurants_.find(o.restaurant);
  if (!r) return;
  const RestaurantSettings& s = r->details.settings;
  const auto version = static_cast<int64_t>(o.version);
  if (o.status == OrderStatus::kScheduled)
    heap_.push({o.scheduled_for_us - int64_t{s.preorder_lead_s} * kSecondUs, Work::kOpenPreorder,
                id, version});
  if (o.status == OrderStatus::kPending && s.auto_reject_after_s > 0)
    heap_.push({o.pending_since_us + int64_t{s.auto_reject_after_s} * kSecondUs, Work::kAutoReject,
                id, version});
  if (offer && o.offer_expires_at_us != 0)
    heap_.push({o.offer_expires_at_us, Work::kExpireOffer, id, o.offer_expires_at_us});
}

std::optional<Command> Scheduler::command_for(const Due& due) {
  const Tracked* tracked = orders_.find(due.order);
  if (!tracked) return std::nullopt;
  const Tracked& o = *tracked;
  Command c;
  c.principal = kEnginePrincipal;
  c.correlation_id = Uuid::v7();
  // Refused when the order moved on: harmless. Not written (the log or the
  // pipeline failing): tried again a second later.
  c.done = [this, due](const CommandOutcome& outcome) {
    if (outcome.ok()) return;
    const ErrorCode code = outcome.error().code;
    if (code == ErrorCode::kUnavailable || code == ErrorCode::kIoError) retry_later(due, due.at_us);
  };
  switch (due.work) {
    case Work::kOpenPreorder:
    case Work::kAutoReject: {
      const bool open = due.work == Work::kOpenPreorder;
      if (static_cast<int64_t>(o.version) != due.token ||
          o.status != (open ? OrderStatus::kScheduled : OrderStatus::kPending))
        return std::nullopt;
      c.expected_version = o.version;
      c.body = ChangeOrderStatus{due.order, open ? "pending" : "rejected",
                                 open ? "preorder_window_open" : "not_accepted_in_time"};
      return c;
    }
    case Work::kExpireOffer:
      if (o.offer_expires_at_us != due.token) return std::nullopt;
      c.body = ExpireOffer{due.order, due.token};
      return c;
  }
  return std::nullopt;
}

void Scheduler::retry_later(Due due, int64_t now_us) {
  {
    std::lock_guard lock(mu_);
    due.at_us = std::max(due.at_us, now_us) + kRetryUs;
    heap_.push(due);
  }
  poke();
}

std::vector<Command> Scheduler::due(int64_t now_us) {
  std::lock_guard lock(mu_);
  std::vector<Command> out;
  while (!heap_.empty() && heap_.top().at_us <= now_us) {
    Due next = heap_.top();
    heap_.pop();
    if (auto command = command_for(next)) out.push_back(std::move(*command));
  }
  return out;
}

std::optional<int64_t> Scheduler::next_due() const {
  std::lock_guard lock(mu_);
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at_us;
}

size_t Scheduler::tracked() const {
  std::lock_guard lock(mu_);
  return orders_.size();
}

void Scheduler::start(Clock clock, Submit submit) {
  stop();
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread(
      [this, clock = std::move(clock), submit = std::move(submit)] { run(clock, submit); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  wake_.notify_all();
}

void Scheduler::run(Clock clock, Submit submit) {
  for (;;) {
    const int64_t now = clock();
    // Each due command is taken out with the lock held, submitted without it.
    for (;;) {
      std::optional<Command> command;
      Due taken{};
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        if (heap_.empty() || heap_.top().at_us > now) break;
        taken = heap_.top();
        heap_.pop();
        command = command_for(taken);
      }
      if (command && !submit(std::move(*command))) {
        std::lock_guard lock(mu_);
        taken.at_us = now + kRetryUs;
        heap_.push(taken);
        break;  // the pipeline is full: wait before the rest
      }
    }
    std::unique_lock lock(mu_);
    if (stopping_) return;
    int64_t sleep_us = kLongestSleepUs;
    if (!heap_.empty()) sleep_us = std::clamp<int64_t>(heap_.top().at_us - clock(), 0, sleep_us);
    wake_.wait_for(lock, std::chrono::microseconds(sleep_us),
                   [this] { return stopping_ || poked_; });
    poked_ = false;
  }
}

}  // namespace comanda::engine
