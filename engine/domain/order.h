// The order aggregate: placing an order (priced by the engine, numbered per
// restaurant without gaps), moving it through the status table of
// engine/domain/order_status.h, and changing it: edits while it is pending
// or scheduled, the kitchen's line fulfilment, archiving and deleting
// (engine/domain/order_edits.cpp).
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"
#include "engine/domain/dispatch.h"
#include "engine/domain/geo.h"
#include "engine/domain/order_lines.h"
#include "engine/domain/order_status.h"
#include "engine/domain/pricing.h"
#include "engine/domain/spatial_index.h"

namespace comanda::engine {

struct Event;
class Decision;

// ---- values ----

struct Customer {
  std::string id;  // the account; empty for a guest (an order taken for someone without one)
  std::string name;
  std::string phone;
  std::string email;
  std::string locale;  // "es" (the default when empty) or "en": the notifications' language
  friend bool operator==(const Customer&, const Customer&) = default;
};

struct Fulfillment {
  FulfillmentType type = FulfillmentType::kDelivery;
  std::string address;
  std::optional<GeoPoint> location;
  // A preorder's time; 0: as soon as possible. An order placed more than the
  // restaurant's preorder_lead_s ahead of it is `scheduled` until then.
  int64_t scheduled_for_us = 0;
  friend bool operator==(const Fulfillment&, const Fulfillment&) = default;
};

struct Payment {
  std::string method;  // one of kPaymentMethods
  std::optional<int64_t> cash_tendered;
  Uuid account;  // credit: the customer account that pays (set by the engine); nil otherwise
  friend bool operator==(const Payment&, const Payment&) = default;
};

// The payment methods an order may name: list filters need a closed set.
// "credit" is paid from a customer account (engine/domain/order_credit.h).
inline constexpr std::string_view kPaymentMethods[] = {"cash",     "card",    "online", "wallet",
                                                       "transfer", "voucher", "credit", "other"};

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
  std::string app_id;         // the app it came from (the X-App-Id header), if it said
  std::string delivery_zone;  // the restaurant's name for the area, if given
  friend bool operator==(const OrderPlaced&, const OrderPlaced&) = default;
};

struct OrderStatusChanged {
  static constexpr std::string_view kType = "order_status_changed";
  OrderStatus from = OrderStatus::kPending;
  OrderStatus to = OrderStatus::kPending;
  std::string reason;
  // A step the engine took in consequence of another event (a geofence step
  // of a ping): that event's position; 0 otherwise.
  uint64_t caused_by = 0;
  friend bool operator==(const OrderStatusChanged&, const OrderStatusChanged&) = default;
};

// A change while pending or scheduled (PATCH): each field present was set
// whole; the totals are the order's, repriced.
struct OrderChanged {
  static constexpr std::string_view kType = "order_changed";
  std::optional<Customer> customer;
  std::optional<std::vector<OrderLine>> items;
  std::optional<Fulfillment> fulfillment;
  std::optional<Payment> payment;
  std::optional<std::string> notes;
  std::optional<std::string> delivery_zone;
  Totals totals;
  friend bool operator==(const OrderChanged&, const OrderChanged&) = default;
};

// The order replaced whole while pending or scheduled (PUT, Pedido's update);
// its reference, number, restaurant, currency and tax stay.
struct OrderReplaced {
  static constexpr std::string_view kType = "order_replaced";
  Customer customer;
  std::vector<OrderLine> items;
  Fulfillment fulfillment;
  Payment payment;
  std::string notes;
  std::string delivery_zone;
  Totals totals;
  friend bool operator==(const OrderReplaced&, const OrderReplaced&) = default;
};

// The kitchen's count of a line made (`line` indexes the order's items from
// 0; the API shows it from 1).
struct OrderLineFulfilled {
  static constexpr std::string_view kType = "order_line_fulfilled";
  uint32_t line = 0;
  uint32_t quantity = 0;  // of the line's quantity, now fulfilled
  friend bool operator==(const OrderLineFulfilled&, const OrderLineFulfilled&) = default;
};

// A finished order hidden from default lists.
struct OrderArchived {
  static constexpr std::string_view kType = "order_archived";
  friend bool operator==(const OrderArchived&, const OrderArchived&) = default;
};

// The restaurant says the order is not ready while its driver waits there
// (status code 14 while set), or that it is ready after all.
struct OrderNotReadyChanged {
  static constexpr std::string_view kType = "order_not_ready_changed";
  bool not_ready = false;
  friend bool operator==(const OrderNotReadyChanged&, const OrderNotReadyChanged&) = default;
};

// The tombstone: the order answers 404 from now on; its events stay.
struct OrderDeleted {
  static constexpr std::string_view kType = "order_deleted";
  friend bool operator==(const OrderDeleted&, const OrderDeleted&) = default;
};

// ---- commands ----

struct PlaceOrder {
  Uuid order_id;  // minted by the caller
  Uuid restaurant_id;
  Customer customer;
  RequestedLines items;  // priced by the menu, or at a point of sale as given
  Fulfillment fulfillment;
  Payment payment;
  int64_t tip = 0;
  int64_t discount = 0;  // the restaurant's to give (owners and admins)
  std::string notes;
  std::string app_id;
  std::string delivery_zone;
  // Totals a client sent, if any: the order is refused when they disagree.
  std::optional<int64_t> claimed_subtotal;
  std::optional<int64_t> claimed_total;
};

struct ChangeOrderStatus {
  Uuid order_id;
  std::string status;  // name, alias or code as given; resolved by fulfillment type
  std::string reason;
};

// A PATCH: each field present replaces the order's.
struct OrderPatch {
  std::optional<Customer> customer;
  std::optional<RequestedLines> items;
  std::optional<Fulfillment> fulfillment;
  std::optional<Payment> payment;
  std::optional<int64_t> tip;
  std::optional<int64_t> discount;
  std::optional<std::string> notes;
  std::optional<std::string> delivery_zone;
};

struct ChangeOrder {
  Uuid order_id;
  OrderPatch patch;
};

// A PUT: the order as POST takes it, replacing the one there (its
// restaurant, if named, must be the order's).
struct ReplaceOrder {
  Uuid order_id;
  PlaceOrder order;
};

struct FulfillLine {
  Uuid order_id;
  uint32_t line = 0;
  uint32_t quantity = 0;
};

struct ArchiveOrder {
  Uuid order_id;
};

struct SetNotReady {
  Uuid order_id;
  bool not_ready = true;
};

struct DeleteOrder {
  Uuid order_id;
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
  // What an edit reprices from and a payment is checked against: fixed-size,
  // so that placing an order allocates nothing here (an edit's new lines
  // are priced afresh; its untouched ones are summed in totals.subtotal).
  Totals totals;
  TaxPolicy tax;
  std::optional<int64_t> cash_tendered;
  Uuid credit_account;  // the account it debited (paid with credit); nil otherwise
  // Each line's quantity, for the kitchen's line fulfilment.
  boost::container::small_vector<uint32_t, 6> line_quantities;
  bool archived = false;
  bool deleted = false;
  bool not_ready = false;  // the flag (14), while a driver waits at the restaurant
  // Dispatch (engine/domain/dispatch.h).
  Uuid driver;                // assigned; nil otherwise
  std::vector<Uuid> offered;  // the standing offer's drivers (heap: only dispatched orders)
  // Drivers offered it earlier: skipped by the next offers (until no one
  // else is left); once it is taken, their accept is a conflict, not a 404.
  std::vector<Uuid> offered_before;
  int64_t offer_expires_at_us = 0;            // 0: no standing offer
  uint32_t waiting_radius_m = 0;              // > 0: waiting for a driver in range
  std::optional<GeoPoint> delivery_location;  // for the geofence near the customer
};

// The hot orders, and the last number given at each restaurant (which stays
// when its orders leave memory).
class OrderBook : public Book<OrderState> {
 public:
  const OrderState& apply(const Event& event, const OrderPlaced& placed);
  const OrderState& apply(const Event& event, const OrderStatusChanged& changed);
  const OrderState& apply(const Event& event, const OrderChanged& changed);
  const OrderState& apply(const Event& event, const OrderReplaced& replaced);
  const OrderState& apply(const Event& event, const OrderLineFulfilled& fulfilled);
  const OrderState& apply(const Event& event, const OrderArchived& archived);
  const OrderState& apply(const Event& event, const OrderNotReadyChanged& changed);
  const OrderState& apply(const Event& event, const OrderDeleted& deleted);
  const OrderState& apply(const Event& event, const DriverOffered& offered);
  const OrderState& apply(const Event& event, const OfferExpired& expired);
  const OrderState& apply(const Event& event, const OfferWithdrawn& withdrawn);
  const OrderState& apply(const Event& event, const DispatchWaiting& waiting);
  const OrderState& apply(const Event& event, const DriverAssigned& assigned);
  const OrderState& apply(const Event& event, const DriverUnassigned& unassigned);
  // The number of the restaurant's latest order (0 before the first).
  uint64_t last_number(const Uuid& restaurant_id) const;

  // What a snapshot keeps beside the orders: every restaurant's last number
  // and each driver's standing offers, in the order they were made.
  template <class Fn>
  void for_each_number(Fn&& fn) const {
    for (const auto& [restaurant, number] : last_number_) fn(restaurant, number);
  }
  template <class Fn>
  void for_each_offers(Fn&& fn) const {
    for (const auto& [driver, orders] : offers_by_driver_)
      fn(driver, std::span<const Uuid>(orders.data(), orders.size()));
  }
  // Puts back what a snapshot holds: an order (and where it is picked up
  // while it waits for a driver in range), a last number, a driver's offers.
  void restore(const Uuid& id, OrderState state, const std::optional<GeoPoint>& waiting_pickup);
  void restore_number(const Uuid& restaurant_id, uint64_t number);
  void restore_offers(const Uuid& driver, std::span<const Uuid> orders);
  // The orders with a standing offer to `driver`.
  std::span<const Uuid> offers_of(const Uuid& driver) const;
  // The orders waiting for a driver, where they are picked up.
  const SpatialIndex& waiting() const { return waiting_; }

 private:
  // Keeps the dispatch indexes (offers by driver, waiting orders) in step
  // with the order's state after an event.
  const OrderState& dispatch_indexed(const Uuid& id, OrderState& order);
  void drop_offers(const Uuid& id, OrderState& order);

  std::unordered_map<Uuid, uint64_t, UuidHash> last_number_;
  std::unordered_map<Uuid, boost::container::small_vector<Uuid, 2>, UuidHash> offers_by_driver_;
  SpatialIndex waiting_;
};

struct Order {
  using State = OrderState;
  using Book = OrderBook;
  using Commands =
      TypeList<PlaceOrder, ChangeOrderStatus, ChangeOrder, ReplaceOrder, FulfillLine, ArchiveOrder,
               SetNotReady, DeleteOrder, AcceptDelivery, DropDelivery, ExpireOffer>;
  using Events =
      TypeList<OrderPlaced, OrderStatusChanged, OrderChanged, OrderReplaced, OrderLineFulfilled,
               OrderArchived, OrderNotReadyChanged, OrderDeleted, DriverOffered, OfferExpired,
               OfferWithdrawn, DispatchWaiting, DriverAssigned, DriverUnassigned>;
  // A finished (or deleted) order leaves memory after the hot window.
  static bool finished(const OrderState& order) {
    return is_terminal(order.status) || order.deleted;
  }
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

// ---- changes to a placed order (engine/domain/order_edits.cpp) ----

// Who may change an order: its restaurant (owners, admins) and its customer,
// while it is pending or scheduled, at the expected version. New lines are
// priced as at placement (the menu, or the point of sale's prices); the
// order keeps its currency and tax, and takes the restaurant's delivery fee
// as it now is. A discount is the restaurant's to give (a customer's: 403).
// The customer's account cannot change (a guest stays a guest).
Status validate(ChangeOrder& command);
Status decide(ChangeOrder& command, Decision& decision);
Status validate(ReplaceOrder& command);
Status decide(ReplaceOrder& command, Decision& decision);

// The restaurant marks how many of a line (an index into the items; the
// API counts from 1) are made, 0 to its quantity, from acceptance until the
// order is finished.
Status decide(FulfillLine& command, Decision& decision);

// The restaurant archives a finished order (again: nothing recorded).
Status decide(ArchiveOrder& command, Decision& decision);

// The restaurant flags the order not ready, or ready again, while a driver
// waits at the restaurant (driver_near_restaurant, driver_at_restaurant);
// the flag ends when the order moves on.
Status decide(SetNotReady& command, Decision& decision);

// The restaurant deletes an order, in any status: the tombstone. What
// cancelling a live order undoes (a credit refund, a driver's release)
// happens in the same batch.
Status decide(DeleteOrder& command, Decision& decision);

}  // namespace comanda::engine
