#include "bench/workloads.h"

#include <atomic>
#include <cmath>
#include <random>

#include "engine/base/bytes.h"
#include "engine/domain/handlers.h"
#include "engine/log/event_codec.h"
#include "engine/log/hash_chain.h"

namespace comanda::bench {

using namespace engine;

namespace {

constexpr size_t kValuePool = 1024;
constexpr size_t kDrivers = 1024;

class OrderWorkload final : public EngineWorkload {
 public:
  std::vector<CommandBody> setup() override {
    return {RegisterRestaurant{
        restaurant_, {"Bench", "", std::nullopt, "PEN", "UTC", {1800, true}, {}, "A001", {}}}};
  }
  CommandBody next() override { return sample_order(restaurant_); }

 private:
  const Uuid restaurant_ = Uuid::v7();
};

// An order_placed event as the engine decides it for sample_order(): priced
// (18 % tax included), numbered, stamped with an actor and a correlation id.
Event order_placed_event(uint64_t n) {
  Event e;
  e.position = n;
  e.stream = Uuid::v7();
  e.stream_version = 1;
  e.partition = Uuid::v7();
  e.recorded_at_us = 1'764'000'000'000'000 + static_cast<int64_t>(n) * 37;
  e.actor = {"bench", Role::kAdmin};
  e.correlation_id = Uuid::v7();
  PlaceOrder o = sample_order(e.partition);
  std::vector<OrderLine> lines = std::move(o.items.lines);
  lines[0].line_total = 3700;
  lines[1].line_total = 500;
  OrderPlaced placed{e.partition,
                     "A001-" + std::string(6 - std::to_string(n).size(), '0') + std::to_string(n),
                     n,
                     o.customer,
                     std::move(lines),
                     o.fulfillment,
                     o.payment,
                     o.notes,
                     "PEN",
                     {1800, true},
                     {4200, 0, 0, 3559, 641, 200, 4400},
                     OrderStatus::kPending,
                     "",
                     ""};
  e.payload = std::move(placed);
  return e;
}

// A GPS ping as a phone sends it: a position jittered around Lima, heading,
// speed and the device's time.
DriverLocationReported sample_ping(std::mt19937_64& rng, int64_t at_us) {
  std::uniform_int_distribution<int32_t> jitter(-500'000, 500'000);  // +-0.05 degrees
  DriverLocationReported ping;
  ping.lat_e7 = -121'200'000 + jitter(rng);
  ping.lng_e7 = -770'300'000 + jitter(rng);
  ping.heading_deg = static_cast<float>(rng() % 360);
  ping.speed_mps = static_cast<float>(rng() % 200) / 10.0f;
  ping.reported_at_us = at_us;
  return ping;
}

// Pings from kDrivers drivers, which setup() registers, in turn.
class GpsWorkload final : public EngineWorkload {
 public:
  GpsWorkload() {
    for (size_t i = 0; i < kDrivers; ++i) drivers_.push_back(Uuid::v7());
    std::mt19937_64 rng(7);
    for (size_t i = 0; i < kValuePool; ++i)
      pings_.push_back(sample_ping(rng, 1'764'000'000'000'000 + static_cast<int64_t>(i) * 1000));
  }
  std::vector<CommandBody> setup() override {
    std::vector<CommandBody> out;
    for (size_t i = 0; i < kDrivers; ++i)
      out.push_back(RegisterDriver{
          drivers_[i], {"Driver", "+51 900 000 000", "u-driver-" + std::to_string(i), "moto"}});
    return out;
  }
  CommandBody next() override {
    const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
    return ReportLocation{drivers_[n % kDrivers], pings_[n % kValuePool]};
  }

 private:
  std::vector<Uuid> drivers_;
  std::vector<DriverLocationReported> pings_;
  std::atomic<uint64_t> next_{0};
};

// A driver_location_reported event as the engine stores it.
Event location_event(uint64_t n, const Uuid& driver, std::mt19937_64& rng) {
  Event e;
  e.position = n;
  e.stream = e.partition = driver;
  e.stream_version = n / kDrivers + 2;
  e.recorded_at_us = 1'764'000'000'000'000 + static_cast<int64_t>(n) * 37;
  e.actor = {"bench", Role::kAdmin};
  e.correlation_id = Uuid::v7();
  e.payload = sample_ping(rng, e.recorded_at_us - 150'000);
  return e;
}

}  // namespace

PlaceOrder sample_order(const Uuid& restaurant) {
  PlaceOrder o;
  o.order_id = Uuid::v7();
  o.restaurant_id = restaurant;
  o.customer = {"u-cust-1", "Ana Pérez", "+51 999 888 777", "", ""};
  // The point of sale's prices, as the bench's admin sends them.
  o.items.add({"BURGER",
               "Hamburguesa clásica",
               2,
               1550,
               {{"Extra cheese", 300, false}},
               "bien cocida",
               0,
               PriceSource::kGiven},
              {true, 1});
  o.items.add({"SODA", "Inca Kola 500 ml", 1, 500, {}, "", 0, PriceSource::kGiven}, {true, 0});
  o.fulfillment = {FulfillmentType::kDelivery, "Calle Los Pinos 234, Miraflores",
                   GeoPoint{-12.12, -77.03}};
  o.payment = {"cash", 5000, {}};
  o.tip = 200;
  o.notes = "sin ají";
  return o;
}

std::unique_ptr<EngineWorkload> make_order_workload() { return std::make_unique<OrderWorkload>(); }

std::unique_ptr<EngineWorkload> make_gps_workload() { return std::make_unique<GpsWorkload>(); }

RawEvents RawEvents::orders() {
  RawEvents r;
  r.stream_per_event_ = true;
  r.streams_.push_back(Uuid::v7());
  for (size_t i = 0; i < kValuePool; ++i) {
    std::string value;
    encode_event(order_placed_event(i + 1), value);
    r.values_.push_back(std::move(value));
  }
  return r;
}

RawEvents RawEvents::gps_pings() {
  RawEvents r;
  std::mt19937_64 rng(42);
  for (size_t i = 0; i < kDrivers; ++i) r.streams_.push_back(Uuid::v7());
  for (size_t i = 0; i < kValuePool; ++i) {
    std::string value;
    encode_event(location_event(i + 1, r.streams_[i % kDrivers], rng), value);
    r.values_.push_back(std::move(value));
  }
  return r;
}

void RawEvents::put(uint64_t position, const RawLog& log, rocksdb::WriteBatch& batch,
                    Scratch& s) const {
  s.key.clear();
  put_u64_be(s.key, position);
  const uint64_t n = position - 1;
  if (stream_per_event_) {
    // A UUIDv7-like id unique to this event: the prefix's time bits, then the position.
    s.stream_key.assign(streams_[0].raw().substr(0, 8));
    put_u64_be(s.stream_key, position);
    put_u64_be(s.stream_key, 1);
  } else {
    s.stream_key.assign(streams_[n % streams_.size()].raw());
    put_u64_be(s.stream_key, n / streams_.size() + 1);
  }
  batch.Put(log.events(), s.key, values_[n % values_.size()]);
  batch.Put(log.streams(), s.stream_key, s.key);
}

void RawEvents::put_batch_link(uint64_t last_position, const RawLog& log,
                               rocksdb::WriteBatch& batch, Scratch& s) const {
  static constexpr char kLink[33] =
      "\x9f\x86\xd0\x81\x88\x4c\x7d\x65\x9a\x2f\xea\xa0\xc5\x5a\xd0\x15"
      "\xa3\xbf\x4f\x1b\x2b\x0b\x82\x2c\xd1\x5d\x6c\x15\xb0\xf0\x0a\x08";
  s.key = chain_key(last_position);
  batch.Put(log.meta(), s.key, rocksdb::Slice(kLink, 32));
}

double RawEvents::value_bytes() const {
  size_t total = 0;
  for (const auto& v : values_) total += v.size();
  return static_cast<double>(total) / static_cast<double>(values_.size());
}

Principal driver_principal(size_t i) {
  return {"bench-driver-" + std::to_string(i), Role::kDriver};
}

RestaurantRegistered restaurant_at(double lat, double lng, DispatchSettings::Mode mode) {
  RestaurantRegistered r;
  r.name = "Bench";
  r.address = "Av. Larco 101";
  r.location = GeoPoint{lat, lng};
  r.currency = "PEN";
  r.time_zone = "UTC";
  r.tax = {1800, true};
  r.series = "A001";
  r.settings.dispatch.mode = mode;
  return r;
}

DriverLocationReported ping_at(double lat, double lng) {
  DriverLocationReported p;
  p.lat_e7 = static_cast<int32_t>(std::llround(lat * 1e7));
  p.lng_e7 = static_cast<int32_t>(std::llround(lng * 1e7));
  return p;
}

DeliverySlot::DeliverySlot(size_t i)
    : restaurant(Uuid::v7()),
      driver(Uuid::v7()),
      driver_who(driver_principal(i)),
      lat(kCityLat + 0.5 * static_cast<double>(i / 8)),
      lng(kCityLng + 0.5 * static_cast<double>(i % 8)) {}

std::vector<std::pair<Principal, CommandBody>> DeliverySlot::setup() const {
  return {{kAdmin, RegisterRestaurant{restaurant,
                                      restaurant_at(lat, lng, DispatchSettings::Mode::kNearest)}},
          {driver_who, RegisterDriver{driver, {"Driver", "", "", "moto"}}},
          {driver_who, ReportLocation{driver, ping_at(lat + kDegreesPerKm, lng)}},
          {driver_who, SetAvailability{driver, Availability::kAvailable}}};
}

std::pair<Principal, CommandBody> DeliverySlot::next() {
  if (step == 0) {
    PlaceOrder placed = sample_order(restaurant);
    order = placed.order_id;
    return {kAdmin, std::move(placed)};
  }
  if (step <= 3) {
    static constexpr const char* kKitchen[] = {"accepted", "ready", "awaiting_driver"};
    return {kAdmin, ChangeOrderStatus{order, kKitchen[step - 1], ""}};
  }
  if (step == 4) return {driver_who, AcceptDelivery{order, std::nullopt}};
  if (step < 5 + kDeliveryPings) {
    const double north = (1.0 + 0.01 * (step - 5)) * kDegreesPerKm;  // no geofence crossed
    return {driver_who, ReportLocation{driver, ping_at(lat + north, lng)}};
  }
  return {driver_who,
          ChangeOrderStatus{order, step == 5 + kDeliveryPings ? "picked_up" : "delivered", ""}};
}

std::string Domain::run(const Principal& who, CommandBody body, int64_t now_us) {
  events_.clear();
  Decision decision(books_, who, std::nullopt, {}, {now_us, position_, correlation_}, events_);
  Status status = decide_command(body, decision);
  if (!status.ok()) return status.error().message;
  position_ = decision.next_position();
  for (const Event& e : events_) apply_event(books_, e);
  return "";
}

}  // namespace comanda::bench
