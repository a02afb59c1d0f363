// The engine's work that falls due with time (DESIGN.md "Dispatch,
// geofences, the scheduler and notifications"): a preorder becomes pending
// at its time less the restaurant's preorder_lead_s; an order left pending
// for auto_reject_after_s is rejected (not_accepted_in_time); an offer
// expires.
//
// What is due is computed from the committed events, which the scheduler is
// fed (by the publisher, and at start by the pass over the log that rebuilds
// the sequencer's state: a restart loses nothing). It keeps the open orders
// it may act on and a min-heap of due times; due() hands out the commands,
// as the engine's actor, for the pipeline to decide like any other. Each is
// checked again when decided (the order's version, the offer's expiry), so a
// command whose moment passed is refused and harmless.
//
// Threads: observe(), due() and poke() are safe on any thread; start() runs
// a thread that submits what falls due by the injected clock.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <span>
#include <thread>
#include <vector>

#include "engine/base/flat_growing_map.h"
#include "engine/base/row_sink.h"
#include "engine/domain/aggregates.h"
#include "engine/log/state_codec.h"
#include "engine/pipeline/command.h"

namespace comanda::engine {

class Scheduler {
 public:
  using Clock = std::function<int64_t()>;         // microseconds since the epoch
  using Submit = std::function<bool(Command&&)>;  // false: not taken now (retried)

  Scheduler() = default;
  ~Scheduler() { stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Committed events, in log order.
  void observe(std::span<const Event> events);
  // At start, the log's events, in order (what is open is tracked; nothing is
  // armed yet); then finish_load() arms what the open orders have due.
  void observe_loaded(const Event& event);
  void finish_load();

  // Its open orders as snapshot rows (engine/pipeline/state_snapshot.h,
  // keys starting with kSnapshotTag), and back: restore_row() for each row
  // into an empty scheduler, then restore_restaurants() with the restored
  // hot state's, then finish_load() arms what is due.
  static constexpr char kSnapshotTag = 's';
  Status save(const RowSink& put) const;
  Status restore_row(std::string_view key, std::string_view value);
  void restore_restaurants(const RestaurantBook& restaurants);
  // Forgets every open order and restaurant (nothing armed; the thread stays).
  void clear();

  // Removes and returns the commands due at `now_us`, earliest first.
  std::vector<Command> due(int64_t now_us);
  // When the next command falls due, if any.
  std::optional<int64_t> next_due() const;
  // The open orders it keeps (for tests and stats).
  size_t tracked() const;

  // A thread that sleeps until the next due time by `clock` (or until
  // observe() or poke() wakes it) and submits what is due. A command the
  // pipeline does not take now (a full queue) is retried a second later.
  void start(Clock clock, Submit submit);
  void stop();
  // Wakes the thread to look at the clock again (a test's clock moved).
  void poke();

 private:
  enum class Work : uint8_t { kOpenPreorder, kAutoReject, kExpireOffer };
  struct Due {
    int64_t at_us;
    Work work;
    Uuid order;
    // kOpenPreorder, kAutoReject: the order's version when armed (the
    // command's expected version); kExpireOffer: the offer's expiry.
    int64_t token;
    bool operator>(const Due& other) const { return at_us > other.at_us; }
  };
  // What the scheduler knows of an open order.
  using Tracked = ScheduledOrder;

  // Tracks `e`; arms what it makes due unless loading.
  void observe_one(const Event& e, bool arm_it);
  // Pushes what `order` has due; its offer's expiry only when `offer`.
  void arm(const Uuid& id, const Tracked& order, bool offer);
  void retry_later(Due due, int64_t now_us);
  // The command for `due` if it still stands, else nullopt.
  std::optional<Command> command_for(const Due& due);
  void run(Clock clock, Submit submit);

  mutable std::mutex mu_;
  std::condition_variable wake_;
  RestaurantBook restaurants_;
  FlatGrowingMap<Uuid, Tracked, UuidHash> orders_;  // grows without stalling the publisher
  std::priority_queue<Due, std::vector<Due>, std::greater<>> heap_;
  bool stopping_ = false;
  bool poked_ = false;
  std::thread thread_;
};

}  // namespace comanda::engine
