#include "bench/workloads.h"

#include <cstring>
#include <random>

#include "engine/event_codec.h"
#include "engine/hash_chain.h"

namespace comanda::bench {

using namespace engine;

namespace {

constexpr size_t kValuePool = 1024;
constexpr size_t kDrivers = 1024;

class OrderWorkload final : public EngineWorkload {
 public:
  std::vector<CommandBody> setup() override {
    return {RegisterRestaurant{
        restaurant_, {"Bench", "", std::nullopt, "PEN", "UTC", {1800, true}, {}, "A001"}}};
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
  o.items[0].line_total = 3700;
  o.items[1].line_total = 500;
  OrderPlaced placed{e.partition,
                     "A001-" + std::string(6 - std::to_string(n).size(), '0') + std::to_string(n),
                     n,
                     o.customer,
                     o.items,
                     o.fulfillment,
                     o.payment,
                     o.notes,
                     "PEN",
                     {1800, true},
                     {4200, 0, 0, 3559, 641, 200, 4400},
                     OrderStatus::kPending};
  e.payload = std::move(placed);
  return e;
}

// 60 bytes: CRC-like word, lat, lng, heading, speed, device time, recorded
// time, correlation id.
std::string gps_ping_value(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> jitter(-0.05, 0.05);
  const double lat = -12.12 + jitter(rng), lng = -77.03 + jitter(rng);
  const float heading = static_cast<float>(rng() % 360),
              speed = static_cast<float>(rng() % 200) / 10.0f;
  const uint32_t check = static_cast<uint32_t>(rng());
  const int64_t at = 1'764'000'000'000'000 + static_cast<int64_t>(rng() % 1'000'000'000);
  const int64_t recorded = at + 150'000;
  const Uuid correlation = Uuid::v7();
  std::string v;
  v.append(reinterpret_cast<const char*>(&check), 4);
  v.append(reinterpret_cast<const char*>(&lat), 8);
  v.append(reinterpret_cast<const char*>(&lng), 8);
  v.append(reinterpret_cast<const char*>(&heading), 4);
  v.append(reinterpret_cast<const char*>(&speed), 4);
  v.append(reinterpret_cast<const char*>(&at), 8);
  v.append(reinterpret_cast<const char*>(&recorded), 8);
  v.append(correlation.raw());
  return v;
}

}  // namespace

PlaceOrder sample_order(const Uuid& restaurant) {
  PlaceOrder o;
  o.order_id = Uuid::v7();
  o.restaurant_id = restaurant;
  o.customer = {"u-cust-1", "Ana Pérez", "+51 999 888 777"};
  o.items.push_back(
      {"BURGER", "Hamburguesa clásica", 2, 1550, {{"Extra cheese", 300}}, "bien cocida", 0});
  o.items.push_back({"SODA", "Inca Kola 500 ml", 1, 500, {}, "", 0});
  o.fulfillment = {FulfillmentType::kDelivery, "Calle Los Pinos 234, Miraflores",
                   GeoPoint{-12.12, -77.03}};
  o.payment = {"cash", 5000};
  o.tip = 200;
  o.notes = "sin ají";
  return o;
}

std::unique_ptr<EngineWorkload> make_order_workload() { return std::make_unique<OrderWorkload>(); }

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
  for (size_t i = 0; i < kValuePool; ++i) r.values_.push_back(gps_ping_value(rng));
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

}  // namespace comanda::bench
