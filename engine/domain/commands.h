// Commands: what a caller asks the engine to decide. A command is parsed,
// validated and given its ids before it is submitted; deciding it against
// current state is the sequencer's job alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/base/ids.h"
#include "engine/domain/events.h"

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

}  // namespace comanda::engine
