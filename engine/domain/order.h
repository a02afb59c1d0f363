// The order aggregate: placing an order (priced by the engine, numbered per
// restaurant without gaps) and moving it through the status table of
// engine/domain/order_status.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"
#include "engine/domain/geo.h"
#include "engine/domain/order_lines.h"
#include "engine/domain/order_status.h"
#include "engine/domain/pricing.h"

namespace comanda::engine {

struct Event;
class Decision;

// ---- values ----

struct Customer {
  std::string id;
  std::string name;
  std::string phone;
  friend bool operator==(const Customer&, const Customer&) = default;
};

struct Fulfillment {
  FulfillmentType type = FulfillmentType::kDelivery;
  std::string address;
  std::optional<GeoPoint> location;
  friend bool operator==(const Fulfillment&, const Fulfillment&) = default;
};

struct Payment {
  std::string method;  // one of kPaymentMethods
  std::optional<int64_t> cash_tendered;
  friend bool operator==(const Payment&, const Payment&) = default;
};

// The payment methods an order may name: list filters need a closed set.
inline constexpr std::string_view kPaymentMethods[] = {"cash",     "card",    "online", "wallet",
                                                       "transfer", "voucher", "other"};

// ---- events ----

struct OrderPlaced {
  static constexpr std::string_view kType = "order_placed";
  Uuid restaurant_id;
  std::string reference;  // "A001-000123"
  uint64_t number = 0;    // per restaurant, gapless
  Customer customer;
  std::vector<OrderLine> items;
  Fulfillment fulfillment;
  Payment payment;
  std::string notes;
  std::string currency;
  TaxPolicy tax;
  Totals totals;
  OrderStatus status = OrderStatus::kPending;
  friend bool operator==(const OrderPlaced&, const OrderPlaced&) = default;
};

struct OrderStatusChanged {
  static constexpr std::string_view kType = "order_status_changed";
  OrderStatus from = OrderStatus::kPending;
  OrderStatus to = OrderStatus::kPending;
  std::string reason;
  friend bool operator==(const OrderStatusChanged&, const OrderStatusChanged&) = default;
};

// ---- commands ----

struct PlaceOrder {
  Uuid order_id;  // minted by the caller
  Uuid restaurant_id;
  Customer customer;
  std::vector<RequestedLine> items;  // priced by the menu, or at a point of sale as given
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

// ---- state ----

struct OrderState {
  Uuid restaurant_id;
  uint64_t version = 0;
  OrderStatus status = OrderStatus::kPending;
  FulfillmentType fulfillment = FulfillmentType::kDelivery;
  std::string customer_id;
  uint64_t last_position = 0;  // of its latest event
  int64_t updated_at_us = 0;   // of its latest event
};

// The hot orders, and the last number given at each restaurant (which stays
// when its orders leave memory).
class OrderBook : public Book<OrderState> {
 public:
  const OrderState& apply(const Event& event, const OrderPlaced& placed);
  const OrderState& apply(const Event& event, const OrderStatusChanged& changed);
  // The number of the restaurant's latest order (0 before the first).
  uint64_t last_number(const Uuid& restaurant_id) const;

 private:
  std::unordered_map<Uuid, uint64_t, UuidHash> last_number_;
};

struct Order {
  using State = OrderState;
  using Book = OrderBook;
  using Commands = TypeList<PlaceOrder, ChangeOrderStatus>;
  using Events = TypeList<OrderPlaced, OrderStatusChanged>;
  // A finished order leaves memory after the hot window.
  static bool finished(const OrderState& order) { return is_terminal(order.status); }
};

// "A001-000123": the series, then the number in at least six digits.
std::string format_reference(std::string_view series, uint64_t number);

// A delivery needs an address.
Status validate_fulfillment(const Fulfillment& fulfillment);
// A payment method of kPaymentMethods; cash tendered only with cash.
Status validate_payment(const Payment& payment);
// Both, for an order (request bodies check each part as they read it, so
// that a body's first error is named first).
Status validate(PlaceOrder& command);

// At a restaurant the caller may order from (a customer for themself, an
// owner at their own), priced with its tax and currency; claimed totals and
// cash tendered checked against the computed ones.
Status decide(PlaceOrder& command, Decision& decision);

// A step of the status table, by a role that makes it, from a status that
// allows it; a conflict lists the steps the caller could take instead.
Status decide(ChangeOrderStatus& command, Decision& decision);

}  // namespace comanda::engine
