// The read models' costs, each beside its baseline in the same run:
//
// - Rebuild/raw_scan and Rebuild/read_models: a log of deliveries (64
//   restaurants, each with its driver: place, three kitchen steps, the offer
//   and the driver's accept, 20 pings, picked up, delivered; 31 events each;
//   COMANDA_BENCH_EVENTS events in all, 1,000,000 by default) read back.
//   raw_scan is RocksDB's iterator over the events, each checked (CRC32C)
//   and parsed (Protobuf) and nothing else; read_models is
//   ProjectionRegistry::rebuild, every model built from the same log.
//   items_per_second: events per second; the ratio is the rebuild's cost.
// - Memory/finished_orders/{in_memory,cold_tier}/N: the heap a registry of
//   read models grows by when it holds N finished orders (placed and
//   completed), per order; with the cold tier (views/ in process, its
//   memtables and caches counted) or without.
// - Query/kitchen_board/open:200, Query/page_of_50/orders:1M/..., and
//   Query/nearest_10/drivers:100k: p50/p99 over every call, in process.
//
//   build/comanda_bench --benchmark_filter='Rebuild|Memory|Query'
#include <benchmark/benchmark.h>
#include <jemalloc/jemalloc.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_util.h"
#include "bench/workloads.h"
#include "comanda/v1/events.pb.h"
#include "engine/base/crc32c.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "projections/drivers.h"
#include "projections/orders.h"
#include "projections/read_models.h"
#include "projections/registry.h"
#include "projections/view_store.h"

namespace comanda::bench {
namespace {

using namespace engine;
using projections::ProjectionRegistry;

constexpr size_t kSlots = 64;

size_t events_wanted() {
  const char* n = std::getenv("COMANDA_BENCH_EVENTS");
  return n && *n ? std::strtoull(n, nullptr, 10) : 1'000'000;
}

// Bytes the process has allocated and not freed (jemalloc's own count: RSS
// keeps pages an earlier benchmark freed, and would hide what a later one
// holds).
int64_t heap_bytes() {
  uint64_t epoch = 1;
  size_t size = sizeof(epoch);
  mallctl("epoch", &epoch, &size, &epoch, size);  // refreshes the statistics
  size_t allocated = 0;
  size = sizeof(allocated);
  if (mallctl("stats.allocated", &allocated, &size, nullptr, 0) != 0) return 0;
  return static_cast<int64_t>(allocated);
}

// Deliveries, one after another in each of kSlots slots (a restaurant and
// its driver each, 55 km apart), the slots' steps interleaved.
class Deliveries {
 public:
  Deliveries() {
    for (size_t i = 0; i < kSlots; ++i) {
      slots_.emplace_back(i);
      for (auto& [who, body] : slots_.back().setup()) run(who, std::move(body));
    }
  }

  // One step of every slot; false if a step was refused (then `error()`).
  bool round() {
    now_ += 100'000;
    for (DeliverySlot& s : slots_) {
      auto [who, body] = s.next();
      if (!run(who, std::move(body))) return false;
      if (++s.step == kDeliverySteps) s.step = 0;
    }
    return true;
  }

  // Every event so far, taken.
  std::vector<Event> take() { return std::exchange(events_, {}); }
  const std::string& error() const { return error_; }

 private:
  bool run(const Principal& who, CommandBody body) {
    std::string refused = domain_.run(who, std::move(body), now_);
    if (!refused.empty()) {
      error_ = refused;
      return false;
    }
    events_.insert(events_.end(), domain_.events().begin(), domain_.events().end());
    return true;
  }

  Domain domain_;
  std::vector<DeliverySlot> slots_;
  std::vector<Event> events_;
  int64_t now_ = kNowUs;
  std::string error_;
};

// The deliveries' log, written once per run (asynchronously: it is the
// reading that is measured) and shared by the rebuild benchmarks.
struct DeliveryLog {
  TempDir scratch{"rebuild"};
  // COMANDA_BENCH_DATA_DIR, if set: the log is written to <it>/log and kept
  // there, a data directory comandad can start on (docs/performance.md
  // times that start).
  std::filesystem::path dir = [this] {
    const char* keep = std::getenv("COMANDA_BENCH_DATA_DIR");
    return keep && *keep ? std::filesystem::path(keep) / "log" : scratch.path();
  }();
  std::unique_ptr<EventLog> log;
  std::string error;
};

// Fills `d`: deliveries until the log holds events_wanted() events. A kept
// log (COMANDA_BENCH_DATA_DIR) is used as it is, unless
// COMANDA_BENCH_APPEND=1: then events_wanted() more are appended to it, at
// the positions and times after its own (new restaurants and drivers: a
// tail after the snapshots a comandad wrote, to time a start from them).
void write_deliveries(DeliveryLog& d) {
  auto log = EventLog::open(d.dir, {Durability::kAsync, false});
  if (!log.ok()) {
    d.error = log.error().message;
    return;
  }
  d.log = std::move(log).value();
  const char* append = std::getenv("COMANDA_BENCH_APPEND");
  const uint64_t kept = d.log->last_position();
  if (kept != 0 && !(append && std::string_view(append) == "1")) return;
  int64_t later_us = 0;  // the kept log's last time, past which the new events go
  if (kept != 0)
    (void)d.log->scan(kept, kept, [&](const Event& e) {
      later_us = e.recorded_at_us - kNowUs + 1'000'000;
      return true;
    });
  Deliveries deliveries;
  const size_t wanted = events_wanted();
  while (d.log->last_position() < kept + wanted) {
    for (int i = 0; i < 8; ++i)
      if (!deliveries.round()) {
        d.error = deliveries.error();
        return;
      }
    std::vector<Event> events = deliveries.take();
    for (Event& e : events) {
      e.position += kept;
      e.recorded_at_us += later_us;
    }
    if (Status s = d.log->append(events); !s.ok()) {
      d.error = s.error().message;
      return;
    }
  }
}

DeliveryLog& delivery_log() {
  static DeliveryLog* made = [] {
    auto* d = new DeliveryLog;  // lives for the run
    write_deliveries(*d);
    return d;
  }();
  return *made;
}

void raw_scan(benchmark::State& state) {
  DeliveryLog& d = delivery_log();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  // The log's directory opened read-only beside the engine's handle.
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "streams", "meta", "idempotency"})
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), d.dir.string(), families, &handles, &raw);
  if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
  std::unique_ptr<rocksdb::DB> db(raw);
  uint64_t events = 0;
  v1::Envelope env;
  for (auto _ : state) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[1]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const rocksdb::Slice v = it->value();
      const std::string_view body(v.data() + 4, v.size() - 4);
      uint32_t expected = 0;
      for (int i = 0; i < 4; ++i)
        expected |= static_cast<uint32_t>(static_cast<uint8_t>(v.data()[i])) << (8 * i);
      if (crc32c(body) != expected ||
          !env.ParseFromArray(body.data(), static_cast<int>(body.size())))
        return state.SkipWithError("a stored event does not check or parse");
      ++events;
    }
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  state.SetItemsProcessed(static_cast<int64_t>(events));
}

void rebuild(benchmark::State& state) {
  DeliveryLog& d = delivery_log();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  uint64_t events = 0;
  for (auto _ : state) {
    auto models = std::make_unique<ProjectionRegistry>(projections::read_models());
    if (Status s = models->rebuild(*d.log); !s.ok())
      return state.SkipWithError(s.error().message.c_str());
    events += models->position();
    state.PauseTiming();
    models.reset();  // freed outside the measurement
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}

// The engine's own scan (EventLog::scan: the same, then each event decoded
// into the domain's Event), applying nothing: what of the rebuild is reading.
void decode_scan(benchmark::State& state) {
  DeliveryLog& d = delivery_log();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  uint64_t events = 0;
  for (auto _ : state) {
    Status s = d.log->scan(1, d.log->last_position(), [&](const Event& e) {
      benchmark::DoNotOptimize(e.position);
      ++events;
      return true;
    });
    if (!s.ok()) return state.SkipWithError(s.error().message.c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}

// What comandad's start does without a snapshot (api/node.cpp): one pass
// over the log into the sequencer's state, every event also applied to the
// read models.
void startup_replay(benchmark::State& state) {
  DeliveryLog& d = delivery_log();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  uint64_t events = 0;
  for (auto _ : state) {
    auto hot = std::make_unique<HotState>();
    auto models = std::make_unique<ProjectionRegistry>(projections::read_models());
    Status s = hot->load(*d.log, kNowUs, [&](const Event& e) { models->apply({&e, 1}); });
    if (!s.ok()) return state.SkipWithError(s.error().message.c_str());
    events += models->position();
    state.PauseTiming();
    hot.reset();
    models.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}

// ------------------------------------------------- memory and query latency

// An order as placed by the domain (sample_order at a registered
// restaurant): the template of the synthetic ones below.
struct Template {
  RestaurantRegistered restaurant =
      restaurant_at(kCityLat, kCityLng, DispatchSettings::Mode::kNone);
  OrderPlaced placed;
  Template() {
    Domain domain;
    const Uuid r = Uuid::v7();
    domain.run(kAdmin, RegisterRestaurant{r, restaurant});
    domain.run(kAdmin, sample_order(r));
    placed = std::get<OrderPlaced>(domain.events().back().payload);
  }
};

// Synthetic events, appended to the models in batches of 1,000, with
// positions from 1: restaurants, then orders at them.
class Feed {
 public:
  explicit Feed(ProjectionRegistry& models) : models_(models) {}

  Uuid restaurant(const Template& t, std::string owner) {
    RestaurantRegistered r = t.restaurant;
    r.owners = {std::move(owner)};
    const Uuid id = Uuid::v7();
    add(id, 1, id, r);
    return id;
  }
  // An order at `restaurant`; `steps` status changes after it, from `chain`.
  void order(const Template& t, const Uuid& restaurant, const std::string& payment,
             std::span<const OrderStatus> chain) {
    OrderPlaced p = t.placed;
    p.restaurant_id = restaurant;
    p.number = ++number_;
    p.reference = "A001-" + std::to_string(number_);
    p.customer.id = "u-cust-" + std::to_string(number_ % 5000);
    p.payment.method = payment;
    const Uuid id = Uuid::v7();
    add(id, 1, restaurant, p);
    OrderStatus from = OrderStatus::kPending;
    uint64_t version = 1;
    for (OrderStatus to : chain) {
      add(id, ++version, restaurant, OrderStatusChanged{from, to, "", 0});
      from = to;
    }
  }
  void driver(const Uuid& id, double lat, double lng, bool available) {
    add(id, 1, id, DriverRegistered{"Driver", "", "u-" + id.to_string(), "moto"});
    add(id, 2, id, ping_at(lat, lng));
    if (available) add(id, 3, id, DriverAvailabilityChanged{Availability::kAvailable, Uuid{}});
  }
  void flush() {
    if (!batch_.empty()) models_.apply(batch_);
    batch_.clear();
  }

 private:
  void add(const Uuid& stream, uint64_t version, const Uuid& partition, EventPayload payload) {
    Event e;
    e.position = ++position_;
    e.stream = stream;
    e.stream_version = version;
    e.partition = partition;
    e.recorded_at_us = kNowUs + static_cast<int64_t>(position_) * 1000;
    e.actor = kAdmin;
    e.payload = std::move(payload);
    batch_.push_back(std::move(e));
    if (batch_.size() == 1000) flush();
  }

  ProjectionRegistry& models_;
  std::vector<Event> batch_;
  uint64_t position_ = 0, number_ = 0;
};

constexpr OrderStatus kEatInDone[] = {OrderStatus::kAccepted, OrderStatus::kCompleted};

// `cold`: with the cold tier (views/ in a scratch directory, a window of
// 0: finished orders leave memory as the writer gets to them).
void finished_orders_memory(benchmark::State& state, bool cold) {
  const auto n = static_cast<size_t>(state.range(0));
  const Template t;
  // views/ takes about 400 bytes an order on disk (rows and index keys,
  // before compaction); a size the scratch disk cannot hold is skipped.
  const uint64_t wanted = cold ? n * 1024 : 0;
  std::error_code ec;
  const auto space = std::filesystem::space(std::filesystem::temp_directory_path(), ec);
  if (!ec && space.available < wanted + (uint64_t{1} << 30)) {
    const std::string why = "skipped: " + std::to_string(space.available >> 20) +
                            " MiB free on the scratch disk, " + std::to_string(wanted >> 20) +
                            " MiB wanted";
    return state.SkipWithError(why.c_str());
  }
  for (auto _ : state) {
    TempDir dir("views");
    auto views = projections::ViewStore::open(dir.path());
    if (!views.ok()) return state.SkipWithError(views.error().message.c_str());
    const int64_t empty = heap_bytes();
    auto models = std::make_unique<ProjectionRegistry>(projections::read_models());
    auto& orders = models->get<projections::OrdersModel>();
    if (cold) orders.use_cold_store(&(*views)->cold_orders(), 0);
    Feed feed(*models);
    std::vector<Uuid> restaurants;
    for (int i = 0; i < 10; ++i)
      restaurants.push_back(feed.restaurant(t, "u-owner-" + std::to_string(i)));
    for (size_t i = 0; i < n; ++i) feed.order(t, restaurants[i % 10], "card", kEatInDone);
    feed.flush();
    if (Status s = orders.flush_cold(); !s.ok())
      return state.SkipWithError(s.error().message.c_str());
    const int64_t full = heap_bytes();
    state.counters["orders_in_memory"] = static_cast<double>(orders.hot_orders());
    state.counters["heap_mib"] = static_cast<double>(full - empty) / (1 << 20);
    state.counters["bytes_per_order"] = static_cast<double>(full - empty) / static_cast<double>(n);
    state.PauseTiming();
    models.reset();
    views->reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

// What a background snapshot of the read models holds the publisher for
// (ProjectionRegistry::holding_still() around each model's first step,
// Projection::save_still()), with N open orders held: the orders' own rows
// are encoded after the publisher goes on. Milliseconds per snapshot; the
// rows counter counts those taken while it waits.
void snapshot_take(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  const Template t;
  ProjectionRegistry models{projections::read_models()};
  Feed feed(models);
  std::vector<Uuid> restaurants;
  for (int i = 0; i < 10; ++i)
    restaurants.push_back(feed.restaurant(t, "u-owner-" + std::to_string(i)));
  constexpr OrderStatus kOpen[] = {OrderStatus::kAccepted};
  for (size_t i = 0; i < n; ++i) feed.order(t, restaurants[i % 10], "card", kOpen);
  feed.flush();
  size_t rows = 0;
  for (auto _ : state) {
    std::vector<std::pair<std::string, std::string>> taken;
    std::vector<std::unique_ptr<projections::Projection::Later>> later;
    models.holding_still([&] {
      for (const auto& model : models.models()) {
        auto rest = model->save_still([&](std::string_view k, std::string_view v) -> Status {
          taken.emplace_back(k, v);
          return {};
        });
        if (rest.ok() && *rest) later.push_back(std::move(rest).value());
      }
    });
    rows = taken.size();
    state.PauseTiming();
    taken = {};
    later.clear();
    state.ResumeTiming();
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}

template <class Call>
void timed(benchmark::State& state, Call&& call) {
  Latencies latencies;
  for (auto _ : state) {
    const Clock::time_point begin = Clock::now();
    benchmark::DoNotOptimize(call());
    latencies.add(Clock::now() - begin);
  }
  latencies.report(state);
}

void kitchen_board(benchmark::State& state) {
  const Template t;
  ProjectionRegistry models{projections::read_models()};
  Feed feed(models);
  const Uuid r = feed.restaurant(t, "u-owner-1");
  constexpr OrderStatus kOpen[] = {OrderStatus::kAccepted};
  for (int i = 0; i < 5'000; ++i) feed.order(t, r, "card", kEatInDone);  // history
  for (int i = 0; i < 200; ++i) feed.order(t, r, "card", kOpen);
  feed.flush();
  const auto& orders = models.get<projections::OrdersModel>();
  timed(state, [&] { return orders.active_orders(r).size(); });
}

// 1M orders at 10 restaurants of 100k (at each, a twentieth paid in cash, a
// tenth still open); with `cold`, the finished ones are in a views/ of their own
// (a window of 0), as on a server with history.
ProjectionRegistry& million_orders(bool cold) {
  static const Template t;
  // Destroyed in the reverse order: the registry (its cold writer stopped)
  // before the store, the store before its directory.
  static TempDir dir("views");
  static std::unique_ptr<projections::ViewStore> views;
  const auto make = [&](bool with_cold) {
    auto m = std::make_unique<ProjectionRegistry>(projections::read_models());
    if (with_cold) {
      views = std::move(projections::ViewStore::open(dir.path())).value();
      m->get<projections::OrdersModel>().use_cold_store(&views->cold_orders(), 0);
    }
    Feed feed(*m);
    std::vector<Uuid> restaurants;
    for (int i = 0; i < 10; ++i)
      restaurants.push_back(feed.restaurant(t, "u-owner-" + std::to_string(i)));
    constexpr OrderStatus kOpen[] = {OrderStatus::kAccepted};
    // Each restaurant gets every tenth order; of its own, a twentieth are
    // paid in cash and a tenth still open.
    for (size_t i = 0; i < 1'000'000; ++i)
      feed.order(t, restaurants[i % 10], (i / 10) % 20 == 0 ? "cash" : "card",
                 (i / 10) % 10 == 1 ? std::span<const OrderStatus>(kOpen) : kEatInDone);
    feed.flush();
    if (with_cold) (void)m->get<projections::OrdersModel>().flush_cold();
    return m;
  };
  if (cold) {
    static std::unique_ptr<ProjectionRegistry> with_cold = make(true);
    return *with_cold;
  }
  static std::unique_ptr<ProjectionRegistry> in_memory = make(false);
  return *in_memory;
}

// A filtered page of 50 among 1M orders, all in memory or mostly in views/.
void page_of_50(benchmark::State& state, int filter, bool cold) {
  const auto& orders = million_orders(cold).get<projections::OrdersModel>();
  projections::OrderQuery q;
  q.viewer = Principal{"u-owner-0", Role::kOwner};
  q.limit = 50;
  if (filter == 1) q.statuses = {OrderStatus::kAccepted};
  if (filter == 2) q.payment_methods = {"cash"};
  if (filter == 3) q.customer_id = "u-cust-11";  // at restaurant 0
  if (filter == 4) q.statuses = {OrderStatus::kCompleted};
  uint64_t examined = 0, pages = 0, returned = 0;
  timed(state, [&] {
    const auto page = orders.list_orders(q);
    examined += page.rows_examined;
    returned += page.orders.size();
    ++pages;
    return page.orders.size();
  });
  state.counters["rows_examined"] = static_cast<double>(examined) / static_cast<double>(pages);
  state.counters["returned"] = static_cast<double>(returned) / static_cast<double>(pages);
  state.counters["orders_in_memory"] = static_cast<double>(orders.hot_orders());
}

void nearest_10(benchmark::State& state) {
  ProjectionRegistry models{projections::read_models()};
  Feed feed(models);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> spread(-0.18, 0.18);  // a 40 x 40 km city
  for (int i = 0; i < 100'000; ++i)
    feed.driver(Uuid::v7(), kCityLat + spread(rng), kCityLng + spread(rng), i % 2 == 0);
  feed.flush();
  const auto& drivers = models.get<projections::DriversModel>();
  timed(state, [&] {
    return drivers.nearest({kCityLat + spread(rng), kCityLng + spread(rng)}, 5000, true, 10).size();
  });
}

}  // namespace

void register_read_model_benchmarks() {
  const std::string events = std::to_string(events_wanted());
  benchmark::RegisterBenchmark(("Rebuild/raw_scan/events:" + events).c_str(), raw_scan)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2);
  benchmark::RegisterBenchmark(("Rebuild/decode_scan/events:" + events).c_str(), decode_scan)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2);
  benchmark::RegisterBenchmark(("Rebuild/read_models/events:" + events).c_str(), rebuild)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2);
  benchmark::RegisterBenchmark(("Startup/replay/events:" + events).c_str(), startup_replay)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2);
  for (const bool cold : {false, true}) {
    auto* memory = benchmark::RegisterBenchmark(
        cold ? "Memory/finished_orders/cold_tier" : "Memory/finished_orders/in_memory",
        finished_orders_memory, cold);
    memory->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);
    if (cold) memory->Arg(3'000'000);  // in memory, 3M would take ~4.5 GiB for nothing new
  }
  benchmark::RegisterBenchmark("Snapshot/read_models_take/open_orders", snapshot_take)
      ->Arg(10'000)
      ->Arg(100'000)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("Query/kitchen_board/open:200", kitchen_board);
  for (const bool cold : {false, true})
    for (const auto& [name, filter] :
         std::initializer_list<std::pair<const char*, int>>{{"owner_unfiltered", 0},
                                                            {"status_open", 1},
                                                            {"payment_cash", 2},
                                                            {"customer", 3},
                                                            {"status_completed", 4}})
      benchmark::RegisterBenchmark((std::string("Query/page_of_50/orders:1M/") +
                                    (cold ? "hot_and_cold/" : "in_memory/") + name)
                                       .c_str(),
                                   page_of_50, filter, cold);
  benchmark::RegisterBenchmark("Query/nearest_10/drivers:100k", nearest_10);
}

}  // namespace comanda::bench
