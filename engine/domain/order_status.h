// The order state machine: one table of canonical statuses (DESIGN.md "Order
// statuses"), their ordering.co codes, the seeds' aliases, and the rule that
// decides which step is allowed. Everything else (API errors, docs, the CLI's
// `statuses`) reads from here. Pure functions; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"

namespace comanda::engine {

enum class FulfillmentType : uint8_t { kDelivery, kPickup, kCurbside, kDriveThru, kEatIn };

std::string_view fulfillment_name(FulfillmentType type);
std::optional<FulfillmentType> parse_fulfillment(std::string_view name);

// Canonical statuses, ranked in table order. Values are stored in the log
// (schemas/comanda/v1/events.proto mirrors them): never renumber.
enum class OrderStatus : uint8_t {
  kScheduled,
  kPending,
  kRejected,
  kAccepted,
  kPreparing,
  kReady,
  kAwaitingDriver,
  kFleetAssigned,
  kDriverAssigned,
  kDriverNearRestaurant,
  kDriverAtRestaurant,
  kPickedUp,
  kPickupFailed,
  kOnTheWay,
  kDriverNearCustomer,
  kDelivered,
  kDeliveryFailed,
  kCustomerNearRestaurant,
  kCustomerArrived,
  kPickedUpByCustomer,
  kNotPickedUp,
  kCompleted,
  kCancelled,
};
inline constexpr size_t kStatusCount = 23;

// Who sets a status (StatusInfo::setters). Admins may set any but scheduled.
inline constexpr uint8_t kSetByRestaurant = 1;  // the restaurant's owners
inline constexpr uint8_t kSetByDriver = 2;      // the assigned driver (the owner while none is)
inline constexpr uint8_t kSetByCustomer = 4;    // the order's customer
inline constexpr uint8_t kSetByEngine = 8;      // the engine: scheduler, geofences

// One row of the table.
struct StatusInfo {
  OrderStatus status;
  std::string_view name;                      // canonical, snake_case
  int code;                                   // ordering.co code shown on output
  std::span<const int> input_codes;           // codes accepted on input (may be empty)
  std::span<const std::string_view> aliases;  // the seeds' names, matched case-insensitively
  uint8_t fulfillment_mask;                   // bit per FulfillmentType
  bool terminal;
  uint8_t setters;  // kSetBy* bits
};

std::span<const StatusInfo> status_table();
const StatusInfo& status_info(OrderStatus status);
inline std::string_view status_name(OrderStatus s) { return status_info(s).name; }
inline bool is_terminal(OrderStatus s) { return status_info(s).terminal; }
bool applies_to(OrderStatus status, FulfillmentType type);

// The groups list filters and daily counts use; every status is in exactly
// one: the open ones, and three kinds of end.
enum class StatusGroup : uint8_t { kActive, kCompleted, kCancelled, kFailed };
inline constexpr size_t kStatusGroupCount = 4;
StatusGroup status_group(OrderStatus status);

// The ordering.co code shown for `status`; a cancellation by the customer shows 16.
int status_code(OrderStatus status, bool cancelled_by_customer);

// Resolves a status given by name, alias or code (as text: "7" and 7 are the
// same input) for an order of `type`; names and aliases in any case. An alias naming several
// statuses (COMPLETADO, completed, 1) resolves by fulfillment type. Error: kInvalidArgument.
Result<OrderStatus> resolve_status(std::string_view input, FulfillmentType type);

// Whether an order of `type` may step from `from` to `to`: forward only (skips
// allowed), to a status of its fulfillment type; `rejected` only from
// scheduled or pending; `cancelled` from any non-terminal status; `scheduled`
// is set by the engine at placement, never by a step.
bool transition_allowed(OrderStatus from, OrderStatus to, FulfillmentType type);

// Every status reachable in one step, in rank order (for 409 problems).
std::vector<OrderStatus> allowed_targets(OrderStatus from, FulfillmentType type);

}  // namespace comanda::engine
