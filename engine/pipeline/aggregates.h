// The hot aggregate state (restaurants, orders and drivers) and the decision rules
// that turn a command into events or a refusal.
//
// Threads: owned by the sequencer thread; nothing else may touch it while the
// sequencer runs. Loading from the log happens before the sequencer starts or
// on its own thread after a failed write.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/domain/events.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/command.h"

namespace comanda::engine {

struct RestaurantState {
  uint64_t version = 0;
  std::vector<std::string> owners;
  std::string currency;
  TaxPolicy tax;
  std::string series;
  uint64_t last_order_number = 0;
};

struct DriverState {
  uint64_t version = 0;
  std::string user_id;  // the account that acts as this driver
};

// Everything decide() needs to stamp the events of one batch.
struct BatchContext {
  int64_t recorded_at_us = 0;  // read once per batch
  uint64_t next_position = 1;  // position of the next event decided
  // Where decide() puts the idempotency records of accepted commands, to be
  // written with the batch's events (may be null when none are expected).
  std::vector<IdempotencyRecord>* idempotency_out = nullptr;
};

class Aggregates {
 public:
  struct Options {
    // How long an idempotency key is remembered.
    int64_t idempotency_window_us = int64_t{24} * 3600 * 1'000'000;
    // How long a finished order stays in memory after its last change.
    int64_t hot_window_us = int64_t{15} * 60 * 1'000'000;
  };
  Aggregates() : Aggregates(Options{}) {}
  explicit Aggregates(Options options) : options_(options) {}

  // Decides `command`. On acceptance, appends its events to `out` (positions
  // from ctx.next_position, which advances), applies them to the state, and
  // returns where they landed. On refusal, returns the Error; state and `out`
  // are untouched. The command's body may be moved from (its data goes into
  // the event without a copy); its principal, ids and `done` are left alone.
  CommandOutcome decide(Command& command, BatchContext& ctx, std::vector<Event>& out);
  CommandOutcome decide(Command&& command, BatchContext& ctx, std::vector<Event>& out) {
    return decide(command, ctx, out);
  }

  // Applies one committed event (used when loading from the log).
  void apply(const Event& event);

  // Replaces the state with the one the log holds, with the idempotency
  // records within the window before `now_us` (all of them without it).
  // All or nothing: on the log's error the state is left as it was.
  // `also`, if given, sees every event of the scan too, so that a caller
  // rebuilding other state (the read models at start) reads the log once.
  Status load(const EventLog& log, std::optional<int64_t> now_us = std::nullopt,
              const std::function<void(const Event&)>& also = {});

  // Drops finished orders whose last change is older than the hot window and
  // is committed (at or before `committed_position`). Memory then holds the
  // live orders and a recent window of finished ones, not the history.
  void evict_finished(int64_t now_us, uint64_t committed_position);

  // An order's state rebuilt from its stream in the log, for a command on an
  // order that has left memory (Command::cold_order). Called on a network
  // thread; nullopt when the log has no such order.
  static Result<std::optional<OrderState>> load_order(const EventLog& log, const Uuid& id,
                                                      uint64_t committed_position = UINT64_MAX);

  // The newest recorded time applied, so that time never goes backwards.
  int64_t last_recorded_at_us() const { return last_recorded_at_us_; }

  const RestaurantState* restaurant(const Uuid& id) const;
  const OrderState* order(const Uuid& id) const;
  const DriverState* driver(const Uuid& id) const;

 private:
  // Each sets the event's stream, partition and the stream's current version.
  struct Target {
    Uuid stream;
    Uuid partition;
    uint64_t version = 0;
  };
  Result<EventPayload> decide_register(const Command& command, RegisterRestaurant& cmd,
                                       Target& target);
  Result<EventPayload> decide_place(const Command& command, PlaceOrder& cmd, Target& target);
  Result<EventPayload> decide_status(const Command& command, const ChangeOrderStatus& cmd,
                                     Target& target);
  Result<EventPayload> decide_register_driver(const Command& command, RegisterDriver& cmd,
                                              Target& target);
  Result<EventPayload> decide_location(const Command& command, const ReportLocation& cmd,
                                       Target& target);
  Status load_into(const EventLog& log, std::optional<int64_t> now_us,
                   const std::function<void(const Event&)>& also);  // on an empty state
  void remember(IdempotencyRecord record);
  void forget_expired(int64_t now_us);

  std::unordered_map<Uuid, RestaurantState, UuidHash> restaurants_;
  std::unordered_map<Uuid, OrderState, UuidHash> orders_;
  std::unordered_map<Uuid, DriverState, UuidHash> drivers_;
  std::unordered_map<std::string, Uuid> driver_by_user_;  // one driver per account
  int64_t last_recorded_at_us_ = 0;
  Options options_;
  // Finished orders by the time they finished, oldest first: (time, id).
  std::deque<std::pair<int64_t, Uuid>> finished_;
  std::unordered_map<std::string, IdempotencyRecord> idempotency_;
  std::deque<std::pair<int64_t, std::string>>
      idempotency_by_age_;  // (recorded_at, scope), oldest first
};

}  // namespace comanda::engine
