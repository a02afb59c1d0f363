// Commands: what a network thread asks the sequencer to decide. A command is
// parsed, validated and given its ids before it is submitted; deciding it
// against current state is the sequencer's job alone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/error.h"
#include "engine/events.h"
#include "engine/ids.h"
#include "engine/principal.h"

namespace comanda::engine {

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

using CommandBody = std::variant<RegisterRestaurant, PlaceOrder, ChangeOrderStatus>;

// What the caller learns once its command is decided and, if accepted, durable.
struct CommandResult {
  Uuid stream;
  uint64_t stream_version = 0;
  uint64_t position = 0;  // of the command's last event
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
};

}  // namespace comanda::engine
