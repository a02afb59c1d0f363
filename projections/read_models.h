// The read models built from the log: restaurants, orders and drivers by id
// (a driver with its latest position), and orders per restaurant newest first. Applied batch by
// batch after each commit, rebuilt from the log at start.
//
// Threads: apply() and rebuild() from one thread at a time (the pipeline's
// publisher stage, through the commit listener, or start-up); the queries are safe on any thread
// and see whole batches only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/log/event_log.h"

namespace comanda::projections {

using engine::Uuid;

struct RestaurantView {
  Uuid id;
  uint64_t version = 0;
  int64_t registered_at_us = 0;
  engine::RestaurantRegistered details;
};

struct OrderView {
  Uuid id;
  uint64_t version = 0;
  uint64_t placed_position = 0;  // orders sort newest first by this
  int64_t placed_at_us = 0;
  int64_t updated_at_us = 0;
  engine::OrderPlaced placed;  // as placed (status there is the initial one)
  engine::OrderStatus status = engine::OrderStatus::kPending;
  bool cancelled_by_customer = false;
  std::string status_reason;  // of the latest status change, if one was given
};

// A driver's last reported position.
struct DriverPosition {
  engine::DriverLocationReported location;
  int64_t recorded_at_us = 0;  // when the engine recorded the ping
  uint64_t log_position = 0;   // of the ping's event
};

struct DriverView {
  Uuid id;
  uint64_t version = 0;
  int64_t registered_at_us = 0;
  engine::DriverRegistered details;
  // The newest ping by the device's time (by the engine's when the device
  // sent none): a ping that arrives late never moves the driver back.
  std::optional<DriverPosition> position;
};

struct OrderQuery {
  // Whose list this is: only orders this principal may see are listed
  // (engine/domain/access.h). nullopt: every order (tools, rebuild checks).
  std::optional<engine::Principal> viewer;
  std::optional<Uuid> restaurant_id;
  std::vector<engine::OrderStatus> statuses;  // empty: any status
  uint64_t before_position = 0;  // cursor: only orders placed before it; 0 = from the newest
  size_t limit = 50;
};

struct OrderPage {
  std::vector<OrderView> orders;  // newest first
  uint64_t next_cursor = 0;       // 0: no more
  uint64_t position = 0;          // the log position the page reflects
};

// Who may see an event: the owners of its restaurant and, for an order's
// events, the order's customer; for a driver's events, the driver's own
// account (admins see everything).
struct Audience {
  std::vector<std::string> owners;
  std::string customer_id;
  std::string driver_user;  // set for a driver's events only

  // Whether `principal` may see the event (engine/domain/access.h's rules).
  bool admits(const engine::Principal& principal) const;
};

class ReadModels {
 public:
  // Applies one committed batch, as one step visible to queries.
  void apply(std::span<const engine::Event> events);
  // Drops everything and replays the whole log.
  engine::Status rebuild(const engine::EventLog& log);

  std::optional<RestaurantView> restaurant(const Uuid& id) const;
  std::optional<OrderView> order(const Uuid& id) const;
  // The order if `viewer` may see it; nullopt when absent or not theirs (the
  // two are indistinguishable to the caller on purpose).
  // `position`, if given, receives the position the answer reflects.
  std::optional<OrderView> order_for(const Uuid& id, const engine::Principal& viewer,
                                     uint64_t* position = nullptr) const;
  OrderPage list_orders(const OrderQuery& query) const;
  // The driver if `viewer` may act as it (engine/domain/access.h); nullopt when
  // absent or not theirs, alike.
  std::optional<DriverView> driver_for(const Uuid& id, const engine::Principal& viewer,
                                       uint64_t* position = nullptr) const;
  Audience audience(const engine::Event& event) const;
  // The last position applied (the checkpoint).
  uint64_t position() const;
  // Whether a position was skipped since the start (an event type this build
  // does not know, or a lost write): such models are not snapshotted.
  bool has_gap() const;

 private:
  friend class ViewStore;  // snapshots the maps below, and loads them back
  void apply_one(const engine::Event& event);
  // Adds a new order to the lists (placements ascending, as apply() adds them).
  void index_order(const OrderView& order);
  // Sorts the lists after orders were added out of placement order.
  void sort_indexes();
  // Replaces everything with `other`'s state.
  void take(ReadModels&& other);
  bool visible(const OrderView& order, const engine::Principal& viewer) const;  // mu_ held

  using Placement = std::pair<uint64_t, Uuid>;  // (placed position, order id), ascending

  mutable std::shared_mutex mu_;
  std::unordered_map<Uuid, RestaurantView, engine::UuidHash> restaurants_;
  std::unordered_map<Uuid, OrderView, engine::UuidHash> orders_;
  std::unordered_map<Uuid, DriverView, engine::UuidHash> drivers_;
  std::vector<Placement> all_orders_;
  std::unordered_map<Uuid, std::vector<Placement>, engine::UuidHash> orders_by_restaurant_;
  std::unordered_map<std::string, std::vector<Placement>> orders_by_customer_;
  uint64_t position_ = 0;
  bool gap_ = false;
};

}  // namespace comanda::projections
