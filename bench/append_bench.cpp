// Append throughput: orders placed through the sequencer (decide + one
// WriteBatch + fsync per batch) against raw RocksDB WriteBatches that write
// the same keys (event + stream index) with the same sync setting, in one run.
//
//   build/comanda_bench --benchmark_filter=Append
//
// Arguments: commands in flight (engine) or events per batch (raw), and
// 1 = sync, 0 = async.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "engine/aggregates.h"
#include "engine/event_codec.h"
#include "engine/event_log.h"
#include "engine/sequencer.h"

namespace {

using namespace comanda::engine;
namespace fs = std::filesystem;

fs::path fresh_dir(const char* name) {
  fs::path dir = fs::temp_directory_path() / (std::string("comanda-bench-") + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

class NullListener final : public CommitListener {
 public:
  void on_commit(std::span<const Event>) override {}
};

PlaceOrder sample_order(const Uuid& restaurant) {
  PlaceOrder o;
  o.order_id = Uuid::v7();
  o.restaurant_id = restaurant;
  o.customer = {"u-cust-1", "Ana Pérez", "+51 999 888 777"};
  o.items.push_back({"BURGER", "Hamburguesa clásica", 2, 1550, {{"Extra cheese", 300}}, "bien cocida", 0});
  o.items.push_back({"SODA", "Inca Kola 500 ml", 1, 500, {}, "", 0});
  o.fulfillment = {FulfillmentType::kDelivery, "Calle Los Pinos 234, Miraflores", GeoPoint{-12.12, -77.03}};
  o.payment = {"cash", 5000};
  o.tip = 200;
  o.notes = "sin ají";
  return o;
}

// Keeps `in_flight` commands outstanding from one client thread.
void BM_EngineAppendOrders(benchmark::State& state) {
  const size_t in_flight = static_cast<size_t>(state.range(0));
  const bool sync = state.range(1) != 0;
  const fs::path dir = fresh_dir("engine");
  auto log = EventLog::open(dir, {sync ? Durability::kSync : Durability::kAsync, false});
  Aggregates aggregates;
  NullListener listener;
  Sequencer sequencer(**log, aggregates, listener, {});
  const Uuid restaurant = Uuid::v7();

  std::mutex mu;
  std::condition_variable cv;
  size_t outstanding = 0;
  auto submit = [&](CommandBody body) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return outstanding < in_flight; });
      ++outstanding;
    }
    Command c{{"bench", Role::kAdmin}, Uuid::v7(), std::nullopt, std::move(body), {}};
    c.done = [&](const CommandOutcome&) {
      std::lock_guard lock(mu);
      --outstanding;
      cv.notify_one();
    };
    while (!sequencer.submit(std::move(c))) {
    }
  };
  submit(RegisterRestaurant{restaurant, {"Bench", "", std::nullopt, "PEN", "UTC", {1800, true}, {}, "A001"}});

  for (auto _ : state) submit(sample_order(restaurant));
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return outstanding == 0; });
  }
  state.SetItemsProcessed(state.iterations());
  fs::remove_all(dir);
}

// The same keys per event, written directly, `per_batch` events a WriteBatch.
void BM_RawWriteBatch(benchmark::State& state) {
  const size_t per_batch = static_cast<size_t>(state.range(0));
  const bool sync = state.range(1) != 0;
  const fs::path dir = fresh_dir("raw");
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {{rocksdb::kDefaultColumnFamilyName, {}}, {"events", {}}, {"streams", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(options, dir.string(), cfs, &handles, &db).ok()) {
    state.SkipWithError("cannot open RocksDB");
    return;
  }
  rocksdb::WriteOptions wo;
  wo.sync = sync;

  // A stored order_placed event of realistic size.
  Event e;
  e.stream = Uuid::v7();
  e.partition = Uuid::v7();
  e.stream_version = 1;
  e.actor = {"bench", Role::kAdmin};
  const PlaceOrder o = sample_order(e.partition);
  OrderPlaced placed{e.partition, "A001-000001", 1, o.customer, o.items, o.fulfillment, o.payment, o.notes, "PEN", {1800, true}, {}, OrderStatus::kPending};
  e.payload = placed;
  std::string value;
  encode_event(e, value);

  uint64_t position = 0;
  rocksdb::WriteBatch batch;
  std::string key, skey;
  size_t in_batch = 0;
  for (auto _ : state) {
    key.clear();
    put_u64_be(key, ++position);
    skey.assign(e.stream.raw());
    put_u64_be(skey, position);
    batch.Put(handles[1], key, value);
    batch.Put(handles[2], skey, key);
    if (++in_batch == per_batch) {
      db->Write(wo, &batch);
      batch.Clear();
      in_batch = 0;
    }
  }
  if (in_batch) db->Write(wo, &batch);
  state.SetItemsProcessed(state.iterations());
  state.counters["event_bytes"] = static_cast<double>(value.size());
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  fs::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_EngineAppendOrders)->ArgsProduct({{1, 64, 512}, {1, 0}})->UseRealTime()->MinTime(1.0);
BENCHMARK(BM_RawWriteBatch)->ArgsProduct({{1, 64, 512}, {1, 0}})->UseRealTime()->MinTime(1.0);
