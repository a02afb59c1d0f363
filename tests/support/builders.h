// Builders for the commands and events most tests start from, at the
// domain's level: a Call is who asks what (a command body, a principal, an
// expected version). The pipeline's tests turn a Call into an
// engine::Command (tests/support/test_support.h); the domain's tests decide
// it directly (tests/engine/domain/domain_state.h).
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "engine/domain/aggregates.h"
#include "engine/domain/principal.h"

namespace comanda::engine {
struct Command;
}

namespace comanda::test_support {

struct Call {
  engine::Principal principal;
  engine::CommandBody body;
  std::optional<uint64_t> expected_version;
  // For the pipeline's tests (defined in tests/support/test_support.h).
  operator engine::Command() const;  // NOLINT: implicit by design
};

inline engine::Principal admin(std::string subject = "u-admin") {
  return {std::move(subject), engine::Role::kAdmin};
}
inline engine::Principal owner(std::string subject = "u-owner-1") {
  return {std::move(subject), engine::Role::kOwner};
}
inline engine::Principal customer(std::string subject = "u-cust-1") {
  return {std::move(subject), engine::Role::kCustomer};
}
inline engine::Principal driver(std::string subject = "u-driver-1") {
  return {std::move(subject), engine::Role::kDriver};
}

inline engine::RestaurantRegistered restaurant_details(std::string currency = "PEN",
                                                       engine::TaxPolicy tax = {1800, true}) {
  engine::RestaurantRegistered d;
  d.name = "Sede 1";
  d.address = "Av. Larco 101";
  d.location = engine::GeoPoint{-12.12, -77.03};
  d.currency = std::move(currency);
  d.time_zone = "America/Lima";
  d.tax = tax;
  d.owners = {"u-owner-1"};
  d.series = "A001";
  return d;
}

inline Call register_restaurant(const engine::Uuid& id,
                                engine::RestaurantRegistered details = restaurant_details()) {
  return {admin(), engine::RegisterRestaurant{id, std::move(details)}, std::nullopt};
}

inline Call update_restaurant(const engine::Uuid& id, engine::RestaurantPatch patch,
                              engine::Principal principal = admin(),
                              std::optional<uint64_t> expected_version = std::nullopt) {
  return {std::move(principal), engine::UpdateRestaurant{id, std::move(patch)}, expected_version};
}

// One line of 2 x (1550 + 0 + 300) = 3700 minor units, with its prices (as
// a point of sale sends them; a customer's must match burger_menu()).
// One requested line: a sku (or, with a unit_price, a name), a quantity,
// modifiers by name with a price only where one is sent.
struct LineSpec {
  std::string sku;
  uint32_t quantity = 1;
  std::vector<std::pair<std::string, std::optional<int64_t>>> modifiers = {};
  std::optional<int64_t> unit_price = std::nullopt;
  std::string name = {};
  std::string notes = {};
};

inline engine::RequestedLines lines(const std::vector<LineSpec>& specs) {
  engine::RequestedLines out;
  for (const LineSpec& s : specs) {
    engine::OrderLine line;
    engine::SentPrices sent;
    line.sku = s.sku;
    line.name = s.name;
    line.quantity = s.quantity;
    line.unit_price = s.unit_price.value_or(0);
    sent.unit_price = s.unit_price.has_value();
    line.notes = s.notes;
    for (const auto& [name, price] : s.modifiers) {
      if (price) sent.modifiers |= uint64_t{1} << line.modifiers.size();
      line.modifiers.push_back({name, price.value_or(0), false});
    }
    out.add(std::move(line), sent);
  }
  return out;
}

inline engine::RequestedLines burger_line() {
  return lines({{"BURGER",
                 2,
                 {{"No onion", std::nullopt}, {"Extra cheese", 300}},
                 1550,
                 "Hamburguesa",
                 "bien cocida"}});
}

// The menu burger_line() orders from: BURGER at 1550 (Extra cheese 300, no
// onion or ketchup) and SODA at 500.
inline std::vector<engine::MenuItem> burger_menu_items() {
  return {{"BURGER", "Hamburguesa", 1550, true, {{"Extra cheese", 300}}, {"onion", "ketchup"}},
          {"SODA", "Inca Kola 500 ml", 500, true, {}, {}}};
}

inline Call replace_menu(const engine::Uuid& restaurant_id,
                         std::vector<engine::MenuItem> items = burger_menu_items(),
                         engine::Principal principal = admin()) {
  return {std::move(principal), engine::ReplaceMenu{restaurant_id, std::move(items)}, std::nullopt};
}

inline engine::PlaceOrder order_body(
    const engine::Uuid& order_id, const engine::Uuid& restaurant_id,
    engine::FulfillmentType type = engine::FulfillmentType::kDelivery) {
  engine::PlaceOrder p;
  p.order_id = order_id;
  p.restaurant_id = restaurant_id;
  p.customer = {"u-cust-1", "Ana Pérez", "+51 999 888 777", "", ""};
  p.items = burger_line();
  p.fulfillment.type = type;
  p.fulfillment.address = type == engine::FulfillmentType::kDelivery ? "Calle 1 234" : "";
  p.payment.method = "card";
  p.notes = "sin ají";
  return p;
}

// By default the order is taken at the restaurant's point of sale (its
// owner, with the prices of burger_line()); a customer's order is priced by
// the restaurant's menu (replace_menu()).
inline Call place_order(const engine::Uuid& order_id, const engine::Uuid& restaurant_id,
                        engine::Principal principal = owner()) {
  return {std::move(principal), order_body(order_id, restaurant_id), std::nullopt};
}

inline Call place_order(engine::PlaceOrder body, engine::Principal principal = owner()) {
  return {std::move(principal), std::move(body), std::nullopt};
}

inline Call change_status(const engine::Uuid& order_id, std::string status,
                          engine::Principal principal = owner(),
                          std::optional<uint64_t> expected_version = std::nullopt) {
  return {std::move(principal), engine::ChangeOrderStatus{order_id, std::move(status), ""},
          expected_version};
}

// A driver signing themself up (their account is the principal's subject).
inline Call register_driver(const engine::Uuid& id, engine::Principal principal = driver()) {
  return {std::move(principal),
          engine::RegisterDriver{id, {"Luis Rojas", "+51 988 777 666", "", "moto ABC-123"}},
          std::nullopt};
}

// A ping at (lat, lng), heading 90, 8.5 m/s, taken at `at_us` by the device.
inline Call report_location(const engine::Uuid& driver_id, double lat, double lng,
                            int64_t at_us = 0, engine::Principal principal = driver()) {
  engine::DriverLocationReported ping;
  ping.lat_e7 = static_cast<int32_t>(std::llround(lat * 1e7));
  ping.lng_e7 = static_cast<int32_t>(std::llround(lng * 1e7));
  ping.heading_deg = 90;
  ping.speed_mps = 8.5f;
  ping.reported_at_us = at_us;
  return {std::move(principal), engine::ReportLocation{driver_id, ping}, std::nullopt};
}

}  // namespace comanda::test_support
