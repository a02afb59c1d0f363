// Helpers shared by the unit tests: a temporary directory per test, and
// builders for the commands and events most tests start from.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>
#include <system_error>

#include "engine/base/ids.h"
#include "engine/domain/events.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/aggregates.h"
#include "engine/pipeline/command.h"

namespace comanda::test_support {

// A fresh directory under the system's temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<uint64_t> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "comanda-test-" + std::to_string(::getpid()) + "-" + std::to_string(now) +
                       "-" + std::to_string(counter++);
    if (info) name += std::string("-") + info->name();
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline engine::Principal owner(std::string subject = "u-owner-1") {
  return {std::move(subject), engine::Role::kOwner};
}
inline engine::Principal customer(std::string subject = "u-cust-1") {
  return {std::move(subject), engine::Role::kCustomer};
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

inline engine::Command register_restaurant(
    const engine::Uuid& id, engine::RestaurantRegistered details = restaurant_details()) {
  engine::Command c;
  c.principal = {"u-admin", engine::Role::kAdmin};
  c.correlation_id = engine::Uuid::v7();
  c.body = engine::RegisterRestaurant{id, std::move(details)};
  return c;
}

// One line of 2 x (1550 + 0 + 300) = 3700 minor units.
inline std::vector<engine::OrderLine> burger_line() {
  engine::OrderLine line;
  line.sku = "BURGER";
  line.name = "Hamburguesa";
  line.quantity = 2;
  line.unit_price = 1550;
  line.modifiers = {{"No onion", 0}, {"Extra cheese", 300}};
  line.notes = "bien cocida";
  return {line};
}

inline engine::PlaceOrder order_body(
    const engine::Uuid& order_id, const engine::Uuid& restaurant_id,
    engine::FulfillmentType type = engine::FulfillmentType::kDelivery) {
  engine::PlaceOrder p;
  p.order_id = order_id;
  p.restaurant_id = restaurant_id;
  p.customer = {"u-cust-1", "Ana Pérez", "+51 999 888 777"};
  p.items = burger_line();
  p.fulfillment.type = type;
  p.fulfillment.address = type == engine::FulfillmentType::kDelivery ? "Calle 1 234" : "";
  p.payment.method = "card";
  p.notes = "sin ají";
  return p;
}

inline engine::Command place_order(const engine::Uuid& order_id, const engine::Uuid& restaurant_id,
                                   engine::Principal principal = customer()) {
  engine::Command c;
  c.principal = std::move(principal);
  c.correlation_id = engine::Uuid::v7();
  c.body = order_body(order_id, restaurant_id);
  return c;
}

inline engine::Command place_order(engine::PlaceOrder body,
                                   engine::Principal principal = customer()) {
  engine::Command c;
  c.principal = std::move(principal);
  c.correlation_id = engine::Uuid::v7();
  c.body = std::move(body);
  return c;
}

inline engine::Command change_status(const engine::Uuid& order_id, std::string status,
                                     engine::Principal principal = owner(),
                                     std::optional<uint64_t> expected_version = std::nullopt) {
  engine::Command c;
  c.principal = std::move(principal);
  c.correlation_id = engine::Uuid::v7();
  c.expected_version = expected_version;
  c.body = engine::ChangeOrderStatus{order_id, std::move(status), ""};
  return c;
}

inline engine::Principal driver(std::string subject = "u-driver-1") {
  return {std::move(subject), engine::Role::kDriver};
}

// A driver signing themself up (their account is the principal's subject).
inline engine::Command register_driver(const engine::Uuid& id,
                                       engine::Principal principal = driver()) {
  engine::Command c;
  c.principal = std::move(principal);
  c.correlation_id = engine::Uuid::v7();
  c.body = engine::RegisterDriver{id, {"Luis Rojas", "+51 988 777 666", "", "moto ABC-123"}};
  return c;
}

// A ping at (lat, lng), heading 90, 8.5 m/s, taken at `at_us` by the device.
inline engine::Command report_location(const engine::Uuid& driver_id, double lat, double lng,
                                       int64_t at_us = 0, engine::Principal principal = driver()) {
  engine::Command c;
  c.principal = std::move(principal);
  c.correlation_id = engine::Uuid::v7();
  engine::DriverLocationReported ping;
  ping.lat_e7 = static_cast<int32_t>(std::llround(lat * 1e7));
  ping.lng_e7 = static_cast<int32_t>(std::llround(lng * 1e7));
  ping.heading_deg = 90;
  ping.speed_mps = 8.5f;
  ping.reported_at_us = at_us;
  c.body = engine::ReportLocation{driver_id, ping};
  return c;
}

// A log in a temporary directory, the aggregates over it and one registered
// restaurant: for tests that decide and write commands batch by batch, as the
// sequencer does, without its threads.
class DecidingTest : public ::testing::Test {
 protected:
  static constexpr int64_t kNow = 1'795'000'000'000'000;

  void SetUp() override {
    auto log = engine::EventLog::open(dir_.path() / "log", {engine::Durability::kAsync, false});
    ASSERT_TRUE(log.ok()) << log.error().message;
    log_ = std::move(log).value();
    restaurant_ = engine::Uuid::v7();
    ASSERT_TRUE(commit(register_restaurant(restaurant_), kNow).ok());
  }

  // Decides one command as a batch at `now` and writes what it produced.
  engine::CommandOutcome commit(engine::Command command, int64_t now) {
    std::vector<engine::Event> events;
    std::vector<engine::IdempotencyRecord> records;
    engine::BatchContext ctx{now, log_->last_position() + 1, &records};
    engine::CommandOutcome outcome = state_.decide(command, ctx, events);
    EXPECT_TRUE(log_->append(events, records).ok());
    return outcome;
  }

  TempDir dir_;
  std::unique_ptr<engine::EventLog> log_;
  engine::Aggregates state_;  // default windows: idempotency 24 h, hot 15 min
  engine::Uuid restaurant_;
};

}  // namespace comanda::test_support
