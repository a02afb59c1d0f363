// What the benchmarks write and decide: the append benchmarks' commands
// (EngineWorkload) and their raw RocksDB side (RawEvents); a city of
// restaurants and drivers, and the domain deciding without the log (Domain),
// for the dispatch and read-model benchmarks.
//
// The append benchmarks' part: The engine side submits commands
// (EngineWorkload); the raw RocksDB side writes, per event, the same keys and
// a stored value of the same kind and size (RawEvents).
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench/raw_log.h"
#include "engine/domain/aggregates.h"
#include "engine/domain/decision.h"
#include "engine/pipeline/command.h"

namespace comanda::bench {

// A delivery order as a kitchen sees them: two lines, a modifier, notes, a
// customer and an address; 375 bytes once stored.
engine::PlaceOrder sample_order(const engine::Uuid& restaurant);

// The commands the engine benchmark's clients submit, one workload per event
// kind.
class EngineWorkload {
 public:
  virtual ~EngineWorkload() = default;
  // Commands submitted and made durable, in order, before measuring.
  virtual std::vector<engine::CommandBody> setup() = 0;
  // The next measured command. Called from up to two client threads at once.
  virtual engine::CommandBody next() = 0;
};

// Orders placed at one restaurant, which setup() registers.
std::unique_ptr<EngineWorkload> make_order_workload();
// GPS pings from 1024 drivers in turn, which setup() registers.
std::unique_ptr<EngineWorkload> make_gps_workload();

// What EventLog::append writes. Per event: in `events`, the big-endian
// position -> the stored value; in `streams`, the stream id + big-endian
// version -> the position. Per WriteBatch: in `meta`, the hash-chain key of
// the batch's last position -> 32 bytes (a fixed stand-in for the SHA-256
// link: hashing is the engine's work, the key is RocksDB's). No idempotency
// records: the benchmark's commands carry no idempotency key. Values cycle
// through a pool of distinct encodings, so that block compression sees
// realistic data rather than one repeated value. Immutable once built: safe
// on any thread.
class RawEvents {
 public:
  // order_placed envelopes encoded as the engine encodes them; each event
  // opens a new, time-ordered stream at version 1, as placing an order does.
  static RawEvents orders();
  // driver_location_reported envelopes encoded as the engine encodes them,
  // over 1024 driver streams, each ping its driver's next version.
  static RawEvents gps_pings();

  // Scratch buffers for put(), one set per writing thread.
  struct Scratch {
    std::string key;
    std::string stream_key;
  };
  // Adds the event at `position` (>= 1) to `batch`: its event and its index entry.
  void put(uint64_t position, const RawLog& log, rocksdb::WriteBatch& batch,
           Scratch& scratch) const;
  // Adds the batch's hash-chain entry, keyed by its last event's position.
  void put_batch_link(uint64_t last_position, const RawLog& log, rocksdb::WriteBatch& batch,
                      Scratch& scratch) const;

  // The mean size of a stored value, in bytes.
  double value_bytes() const;

 private:
  RawEvents() = default;

  bool stream_per_event_ = false;      // orders: a new stream each; pings: a driver's next version
  std::vector<engine::Uuid> streams_;  // orders: the prefix source; pings: the drivers
  std::vector<std::string> values_;
};

// ---- a city ----

inline constexpr double kCityLat = -12.12, kCityLng = -77.03;  // its centre
inline constexpr double kDegreesPerKm = 1 / 111.195;
inline constexpr int64_t kNowUs = 1'795'000'000'000'000;

inline const engine::Principal kAdmin{"bench", engine::Role::kAdmin};
engine::Principal driver_principal(size_t i);
engine::RestaurantRegistered restaurant_at(double lat, double lng,
                                           engine::DispatchSettings::Mode mode);
engine::DriverLocationReported ping_at(double lat, double lng);

// One delivery after another in a slot of its own: a restaurant and its
// driver, available 1 km north of it; slot i sits 55 km from the next, so
// that each order is offered to its slot's driver alone. A delivery is
// kDeliverySteps commands: place, accepted, ready, awaiting_driver (offered),
// the driver's accept, kDeliveryPings pings (no geofence crossed), picked_up,
// delivered.
inline constexpr int kDeliveryPings = 20;
inline constexpr int kDeliverySteps = 4 + 1 + kDeliveryPings + 2;
inline constexpr int kDeliveryEvents = 1 + 1 + 1 + 2 + 3 + kDeliveryPings + 1 + 2;
struct DeliverySlot {
  explicit DeliverySlot(size_t i);
  engine::Uuid restaurant, driver, order;
  engine::Principal driver_who;
  double lat = 0, lng = 0;
  int step = 0;  // the next command's, 0 to kDeliverySteps - 1

  // The restaurant and the driver, available.
  std::vector<std::pair<engine::Principal, engine::CommandBody>> setup() const;
  // The next step's command and who gives it (the kitchen's are the
  // admin's); remembers the order it places. Does not advance `step`.
  std::pair<engine::Principal, engine::CommandBody> next();
};

// The domain as the sequencer runs it, one command at a time, without the
// log: the events of each command get the next positions.
class Domain {
 public:
  // Decides and applies at `now_us`; the refusal's message, or "".
  std::string run(const engine::Principal& who, engine::CommandBody body, int64_t now_us = kNowUs);
  const engine::Books& books() const { return books_; }
  // The last command's events.
  const std::vector<engine::Event>& events() const { return events_; }

 private:
  engine::Books books_;
  std::vector<engine::Event> events_;
  uint64_t position_ = 1;
  engine::Uuid correlation_ = engine::Uuid::v7();
};

}  // namespace comanda::bench
