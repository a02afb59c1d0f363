// The domain events, as plain C++ structs. engine/event_codec.h converts them
// to and from the stored Protobuf envelope; nothing else sees Protobuf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/base/ids.h"
#include "engine/domain/order_status.h"
#include "engine/domain/principal.h"

namespace comanda::engine {

struct GeoPoint {
  double lat = 0;
  double lng = 0;
  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

struct TaxPolicy {
  uint32_t rate_bp = 0;  // basis points: 1800 = 18 %
  bool included = false;
  friend bool operator==(const TaxPolicy&, const TaxPolicy&) = default;
};

struct RestaurantRegistered {
  std::string name;
  std::string address;
  std::optional<GeoPoint> location;
  std::string currency;
  std::string time_zone;
  TaxPolicy tax;
  std::vector<std::string> owners;
  std::string series;
  friend bool operator==(const RestaurantRegistered&, const RestaurantRegistered&) = default;
};

struct Modifier {
  std::string name;
  int64_t price = 0;
  friend bool operator==(const Modifier&, const Modifier&) = default;
};

struct OrderLine {
  std::string sku;
  std::string name;
  uint32_t quantity = 0;
  int64_t unit_price = 0;
  std::vector<Modifier> modifiers;
  std::string notes;
  int64_t line_total = 0;
  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

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
  std::string method;
  std::optional<int64_t> cash_tendered;
  friend bool operator==(const Payment&, const Payment&) = default;
};

struct Totals {
  int64_t subtotal = 0;
  int64_t discount = 0;
  int64_t delivery_fee = 0;
  int64_t taxable_base = 0;
  int64_t tax = 0;
  int64_t tip = 0;
  int64_t total = 0;
  friend bool operator==(const Totals&, const Totals&) = default;
};

struct OrderPlaced {
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
  OrderStatus from = OrderStatus::kPending;
  OrderStatus to = OrderStatus::kPending;
  std::string reason;
  friend bool operator==(const OrderStatusChanged&, const OrderStatusChanged&) = default;
};

struct DriverRegistered {
  std::string name;
  std::string phone;
  std::string user_id;  // the `sub` of the driver's own account: who may act as this driver
  std::string vehicle;
  friend bool operator==(const DriverRegistered&, const DriverRegistered&) = default;
};

// A GPS ping. Coordinates are stored as degrees times 10^7 (about 1 cm).
struct DriverLocationReported {
  int32_t lat_e7 = 0;
  int32_t lng_e7 = 0;
  std::optional<float> heading_deg;  // 0..360, clockwise from north
  std::optional<float> speed_mps;
  std::optional<float> accuracy_m;
  int64_t reported_at_us = 0;  // the device's clock; 0 when it sent none
  friend bool operator==(const DriverLocationReported&, const DriverLocationReported&) = default;
};

using EventPayload = std::variant<RestaurantRegistered, OrderPlaced, OrderStatusChanged,
                                  DriverRegistered, DriverLocationReported>;

// The event's type name as clients see it ("order_placed").
std::string_view event_type_name(const EventPayload& payload);

struct Event {
  uint64_t position = 0;        // global, dense from 1
  Uuid stream;                  // the aggregate's id
  uint64_t stream_version = 0;  // dense from 1 per stream
  Uuid partition;               // the restaurant; a driver's events: the driver
  int64_t recorded_at_us = 0;   // UTC microseconds, never decreasing along the log
  Principal actor;
  Uuid correlation_id;
  EventPayload payload;
  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace comanda::engine
