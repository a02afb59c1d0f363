// Commands: what a network thread asks the sequencer to decide. A command is
// parsed, validated and given its ids before it is submitted; deciding it
// against current state is the sequencer's job alone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/error.h"
#include "engine/events.h"
#include "engine/ids.h"
#include "engine/principal.h"

namespace comanda::engine {

// An order as the sequencer holds it in memory.
struct OrderState {
  Uuid restaurant_id;
  uint64_t version = 0;
  OrderStatus status = OrderStatus::kPending;
  FulfillmentType fulfillment = FulfillmentType::kDelivery;
  std::string customer_id;
  uint64_t last_position = 0;  // of its latest event
  int64_t updated_at_us = 0;   // of its latest event
};

struct RegisterRestaurant {
  Uuid restaurant_id;  // minted by the caller
  RestaurantRegistered details;
};

struct PlaceOrder {
  Uuid order_id;  // minted by the caller
  Uuid restaurant_id;
  Customer customer;
  std::vector<OrderLine> items;  // line_total is computed by the engine
  Fulfillment fulfillment;
  Payment payment;
  int64_t tip = 0;
  std::string notes;
  // Totals a client sent, if any: the order is refused when they disagree.
  std::optional<int64_t> claimed_subtotal;
  std::optional<int64_t> claimed_total;
};

struct ChangeOrderStatus {
  Uuid order_id;
  std::string status;  // name, alias or code as given; resolved by fulfillment type
  std::string reason;
};

struct RegisterDriver {
  Uuid driver_id;  // minted by the caller
  DriverRegistered details;
};

// A GPS ping from a driver's app.
struct ReportLocation {
  Uuid driver_id;
  DriverLocationReported location;
};

using CommandBody =
    std::variant<RegisterRestaurant, PlaceOrder, ChangeOrderStatus, RegisterDriver, ReportLocation>;

// What the caller learns once its command is decided and, if accepted, durable.
struct CommandResult {
  Uuid stream;
  uint64_t stream_version = 0;
  uint64_t position = 0;  // of the command's last event
  bool replayed = false;  // a repeat of an idempotent command: nothing was appended
};

// An accepted command's idempotency key and what it produced, kept for the
// idempotency window (stored in the log's `idempotency` column family in the
// same WriteBatch as the command's events).
struct IdempotencyRecord {
  std::string scope;          // principal + route + key
  uint64_t request_hash = 0;  // of the request, to tell a repeat from a reuse
  CommandResult result;
  int64_t recorded_at_us = 0;
};
using CommandOutcome = Result<CommandResult>;

struct Command {
  Principal principal;
  Uuid correlation_id;
  std::optional<uint64_t> expected_version;  // optimistic concurrency
  CommandBody body;
  // Called exactly once, on the publisher thread, after the outcome is final
  // (for an accepted command: after its events are durable and applied to the
  // read models). Must not block: post the work elsewhere.
  std::function<void(const CommandOutcome&)> done;
  size_t bytes = 0;  // approximate size (the request body's), for the queue's byte bound
  // Idempotency: when `idempotency_scope` is set, a repeat of the same
  // request (same hash) within the window returns the first result and
  // appends nothing; another request under the same scope is a kConflict.
  std::string idempotency_scope;
  uint64_t request_hash = 0;
  // For a command on an order that has left the sequencer's memory: its state
  // as loaded from the log by a network thread. The sequencer uses it only if
  // the order is still not in memory (otherwise memory is newer).
  std::optional<OrderState> cold_order;
};

// A stable 64-bit hash (FNV-1a) of request bytes; stored, so never changed.
uint64_t request_hash(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ull);

}  // namespace comanda::engine
