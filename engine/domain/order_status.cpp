#include "engine/domain/order_status.h"

#include <array>
#include <charconv>

#include "engine/base/text.h"

namespace comanda::engine {
namespace {

constexpr uint8_t bit(FulfillmentType t) { return static_cast<uint8_t>(1u << static_cast<int>(t)); }
constexpr uint8_t kAll = 0x1F;
constexpr uint8_t kDelivery = bit(FulfillmentType::kDelivery);
constexpr uint8_t kCollect = bit(FulfillmentType::kPickup) | bit(FulfillmentType::kCurbside) |
                             bit(FulfillmentType::kDriveThru);
constexpr uint8_t kEatIn = bit(FulfillmentType::kEatIn);

using SV = std::string_view;
constexpr uint8_t R = kSetByRestaurant, D = kSetByDriver, C = kSetByCustomer, E = kSetByEngine;

constexpr int c13[] = {13}, c0[] = {0}, c5[] = {5}, c7[] = {7}, c4[] = {4}, c22[] = {22},
              c25[] = {25}, c8[] = {8}, c18[] = {18}, c3_24[] = {3, 24}, c9[] = {9}, c10[] = {10},
              c23[] = {23}, c19[] = {19}, c11[] = {11}, c12[] = {12}, c20[] = {20}, c21[] = {21},
              c15[] = {15}, c17[] = {17}, c1[] = {1}, c2_16[] = {2, 16};

constexpr SV a_pending[] = {"pendiente", "PENDIENTE"};
constexpr SV a_accepted[] = {"aceptado"};
constexpr SV a_preparing[] = {"preparando", "PROCESANDO"};
constexpr SV a_awaiting[] = {"enviado"};
constexpr SV a_on_the_way[] = {"en_camino"};
constexpr SV a_delivered[] = {"entregado"};
constexpr SV a_cancelled[] = {"cancelado", "CANCELADO", "canceled"};

const std::array<StatusInfo, kStatusCount> kTable = {{
    {OrderStatus::kScheduled, "scheduled", 13, c13, {}, kAll, false, E},
    {OrderStatus::kPending, "pending", 0, c0, a_pending, kAll, false, E},
    {OrderStatus::kRejected, "rejected", 5, c5, {}, kAll, true, R | E},
    {OrderStatus::kAccepted, "accepted", 7, c7, a_accepted, kAll, false, R},
    {OrderStatus::kPreparing, "preparing", 7, {}, a_preparing, kAll, false, R},
    {OrderStatus::kReady, "ready", 4, c4, {}, kAll, false, R},
    {OrderStatus::kAwaitingDriver, "awaiting_driver", 22, c22, a_awaiting, kDelivery, false, R},
    {OrderStatus::kFleetAssigned, "fleet_assigned", 25, c25, {}, kDelivery, false, R},
    // Set by assignments (accept-delivery, an admin naming the driver), not by a step.
    {OrderStatus::kDriverAssigned, "driver_assigned", 8, c8, {}, kDelivery, false, 0},
    {OrderStatus::kDriverNearRestaurant,
     "driver_near_restaurant",
     18,
     c18,
     {},
     kDelivery,
     false,
     D | E},
    {OrderStatus::kDriverAtRestaurant, "driver_at_restaurant", 3, c3_24, {}, kDelivery, false, D},
    {OrderStatus::kPickedUp, "picked_up", 9, c9, {}, kDelivery, false, D},
    {OrderStatus::kPickupFailed, "pickup_failed", 10, c10, {}, kDelivery, true, D},
    {OrderStatus::kOnTheWay, "on_the_way", 23, c23, a_on_the_way, kDelivery, false, D},
    {OrderStatus::kDriverNearCustomer,
     "driver_near_customer",
     19,
     c19,
     {},
     kDelivery,
     false,
     D | E},
    {OrderStatus::kDelivered, "delivered", 11, c11, a_delivered, kDelivery, true, D},
    {OrderStatus::kDeliveryFailed, "delivery_failed", 12, c12, {}, kDelivery, true, D},
    {OrderStatus::kCustomerNearRestaurant,
     "customer_near_restaurant",
     20,
     c20,
     {},
     kCollect,
     false,
     C | E},
    {OrderStatus::kCustomerArrived, "customer_arrived", 21, c21, {}, kCollect, false, C},
    {OrderStatus::kPickedUpByCustomer, "picked_up_by_customer", 15, c15, {}, kCollect, true, R},
    {OrderStatus::kNotPickedUp, "not_picked_up", 17, c17, {}, kCollect, true, R},
    {OrderStatus::kCompleted, "completed", 1, c1, {}, kEatIn, true, R},
    {OrderStatus::kCancelled, "cancelled", 2, c2_16, a_cancelled, kAll, true, R | C | E},
}};

// Inputs that name "the order is done" and resolve by fulfillment type.
constexpr SV kCompletionAliases[] = {"completed", "COMPLETADO", "completado", "1"};

OrderStatus completion_for(FulfillmentType type) {
  switch (type) {
    case FulfillmentType::kDelivery:
      return OrderStatus::kDelivered;
    case FulfillmentType::kEatIn:
      return OrderStatus::kCompleted;
    default:
      return OrderStatus::kPickedUpByCustomer;
  }
}

}  // namespace

std::string_view fulfillment_name(FulfillmentType type) {
  switch (type) {
    case FulfillmentType::kDelivery:
      return "delivery";
    case FulfillmentType::kPickup:
      return "pickup";
    case FulfillmentType::kCurbside:
      return "curbside";
    case FulfillmentType::kDriveThru:
      return "drive_thru";
    case FulfillmentType::kEatIn:
      return "eat_in";
  }
  return "unknown";
}

std::optional<FulfillmentType> parse_fulfillment(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(FulfillmentType::kEatIn); ++i) {
    auto t = static_cast<FulfillmentType>(i);
    if (name == fulfillment_name(t)) return t;
  }
  return std::nullopt;
}

std::span<const StatusInfo> status_table() { return kTable; }

const StatusInfo& status_info(OrderStatus status) { return kTable[static_cast<size_t>(status)]; }

StatusGroup status_group(OrderStatus status) {
  switch (status) {
    case OrderStatus::kDelivered:
    case OrderStatus::kPickedUpByCustomer:
    case OrderStatus::kCompleted:
      return StatusGroup::kCompleted;
    case OrderStatus::kCancelled:
    case OrderStatus::kRejected:
      return StatusGroup::kCancelled;
    case OrderStatus::kPickupFailed:
    case OrderStatus::kDeliveryFailed:
    case OrderStatus::kNotPickedUp:
      return StatusGroup::kFailed;
    default:
      return StatusGroup::kActive;
  }
}

bool applies_to(OrderStatus status, FulfillmentType type) {
  return (status_info(status).fulfillment_mask & bit(type)) != 0;
}

int status_code(OrderStatus status, bool cancelled_by_customer) {
  if (status == OrderStatus::kCancelled && cancelled_by_customer) return 16;
  return status_info(status).code;
}

Result<OrderStatus> resolve_status(std::string_view input, FulfillmentType type) {
  for (SV alias : kCompletionAliases)
    if (iequals(input, alias)) return completion_for(type);

  int code = -1;
  auto [end, ec] = std::from_chars(input.data(), input.data() + input.size(), code);
  const bool numeric = !input.empty() && ec == std::errc() && end == input.data() + input.size();

  for (const StatusInfo& info : kTable) {
    if (numeric) {
      for (int c : info.input_codes)
        if (c == code) return info.status;
      continue;
    }
    if (iequals(input, info.name)) return info.status;
    for (SV alias : info.aliases)
      if (iequals(input, alias)) return info.status;
  }
  if (numeric && (code == 6 || code == 14))
    return Error::invalid("status", "code " + std::string(input) +
                                        " is an action, not a status (drop-delivery / not-ready)");
  return Error::invalid("status", "unknown status '" + std::string(input) + "'");
}

bool transition_allowed(OrderStatus from, OrderStatus to, FulfillmentType type) {
  if (is_terminal(from) || from == to) return false;
  if (to == OrderStatus::kScheduled) return false;
  if (to == OrderStatus::kCancelled) return true;
  if (to == OrderStatus::kRejected)
    return from == OrderStatus::kScheduled || from == OrderStatus::kPending;
  return static_cast<int>(to) > static_cast<int>(from) && applies_to(to, type);
}

std::vector<OrderStatus> allowed_targets(OrderStatus from, FulfillmentType type) {
  std::vector<OrderStatus> out;
  for (const StatusInfo& info : kTable)
    if (transition_allowed(from, info.status, type)) out.push_back(info.status);
  return out;
}

}  // namespace comanda::engine
