// Dispatch's cost, and a whole delivery through the engine:
//
// - Dispatch/nearest_of_100k: the decision that offers an order, among
//   100,000 available drivers spread over a 40 x 40 km city, from 1,000
//   restaurants (nearest mode: the 3 nearest within 5 km). Measured in
//   process, on the domain alone (decide and apply, what the sequencer thread
//   runs per command, without encoding or the log): p50/p99 of the R-tree
//   query per offer, and, per order taken from placement to awaiting_driver
//   (place, accepted, ready, awaiting_driver), the microseconds with the
//   offer and without it (a restaurant with dispatch mode none, the same
//   orders otherwise): offer_share is the offer's part of that time. And a
//   ping's decision by an available driver (which moves it in the R-tree)
//   beside an offline driver's.
// - Lifecycle/engine/sync/slots:K: K deliveries at once through the
//   Sequencer with a synced log, each one after the other in its slot: place,
//   accepted, ready, awaiting_driver (offered to the slot's driver), the
//   driver's accept-delivery, 20 pings, picked_up, delivered; 27 commands and
//   31 events per lifecycle. items_per_second is lifecycles per second;
//   events_per_second sits beside Append/engine/order/sync's in the same run.
//
//   build/comanda_bench --benchmark_filter='Dispatch|Lifecycle|Append/engine/order/sync'
#include <benchmark/benchmark.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "bench/bench_util.h"
#include "bench/workloads.h"
#include "engine/domain/handlers.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/sequencer.h"

namespace comanda::bench {
namespace {

using namespace engine;

constexpr double kLat = kCityLat, kLng = kCityLng;

// ------------------------------------------------------- the offer decision

void dispatch_nearest(benchmark::State& state) {
  constexpr size_t kDrivers = 100'000, kRestaurants = 1'000;
  constexpr double kCityKm = 40;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> offset(-kCityKm / 2 * kDegreesPerKm,
                                                kCityKm / 2 * kDegreesPerKm);
  Domain domain;
  auto must = [&](const Principal& who, CommandBody body) {
    if (std::string error = domain.run(who, std::move(body)); !error.empty())
      state.SkipWithError(error.c_str());
  };
  std::vector<Uuid> drivers;
  for (size_t i = 0; i <= kDrivers && !state.error_occurred(); ++i) {
    const Uuid id = Uuid::v7();
    const Principal who = driver_principal(i);
    must(who, RegisterDriver{id, {"Driver", "", "", "moto"}});
    must(who, ReportLocation{id, ping_at(kLat + offset(rng), kLng + offset(rng))});
    // The last one stays offline: its pings move no index.
    if (i < kDrivers) must(who, SetAvailability{id, Availability::kAvailable});
    drivers.push_back(id);
  }
  // Each spot has a restaurant that dispatches and one that does not.
  struct Spot {
    Uuid dispatching, own_riders;
    GeoPoint at;
  };
  std::vector<Spot> spots;
  for (size_t i = 0; i < kRestaurants && !state.error_occurred(); ++i) {
    Spot s{Uuid::v7(), Uuid::v7(), {kLat + offset(rng), kLng + offset(rng)}};
    must(kAdmin,
         RegisterRestaurant{s.dispatching,
                            restaurant_at(s.at.lat, s.at.lng, DispatchSettings::Mode::kNearest)});
    must(kAdmin, RegisterRestaurant{s.own_riders, restaurant_at(s.at.lat, s.at.lng,
                                                                DispatchSettings::Mode::kNone)});
    spots.push_back(s);
  }
  if (state.error_occurred()) return;

  // One order from placement to awaiting_driver, timed; then cancelled
  // (untimed), so that offers do not pile up on the same drivers.
  auto one_order = [&](const Uuid& restaurant) -> Clock::duration {
    PlaceOrder order = sample_order(restaurant);
    const Uuid id = order.order_id;
    const Clock::time_point begin = Clock::now();
    must(kAdmin, std::move(order));
    for (const char* step : {"accepted", "ready", "awaiting_driver"})
      must(kAdmin, ChangeOrderStatus{id, step, ""});
    const Clock::duration took = Clock::now() - begin;
    must(kAdmin, ChangeOrderStatus{id, "cancelled", ""});
    return took;
  };
  // A ping, decided and applied: an available driver's moves it in the
  // R-tree of offerable drivers (and may offer it waiting orders).
  auto one_ping = [&](size_t i) -> Clock::duration {
    const Clock::time_point begin = Clock::now();
    must(driver_principal(i),
         ReportLocation{drivers[i], ping_at(kLat + offset(rng), kLng + offset(rng))});
    return Clock::now() - begin;
  };
  Latencies queries;
  queries.reserve(1 << 20);
  Clock::duration with_offer{}, without_offer{}, ping_available{}, ping_offline{};
  uint64_t orders = 0;
  const auto& offerable = domain.books();
  for (auto _ : state) {
    const Spot& s = spots[orders % spots.size()];
    with_offer += one_order(s.dispatching);
    without_offer += one_order(s.own_riders);
    // The query alone, as offer() asks it.
    const Clock::time_point begin = Clock::now();
    auto found = std::get<DriverBook>(offerable).offerable().nearest(
        s.at, 3, 5000, [](const Uuid&) { return true; });
    queries.add(Clock::now() - begin);
    benchmark::DoNotOptimize(found);
    ping_available += one_ping(orders * 7919 % kDrivers);
    ping_offline += one_ping(kDrivers);
    ++orders;
    if (state.error_occurred()) break;
  }
  if (state.error_occurred()) return;
  queries.report(state);
  const double with_us = std::chrono::duration<double, std::micro>(with_offer).count() / orders;
  const double without_us =
      std::chrono::duration<double, std::micro>(without_offer).count() / orders;
  state.counters["us_per_order_offered"] = with_us;
  state.counters["us_per_order_not_offered"] = without_us;
  state.counters["offer_share"] = with_us > 0 ? (with_us - without_us) / with_us : 0;
  state.counters["us_per_ping_available"] =
      std::chrono::duration<double, std::micro>(ping_available).count() / orders;
  state.counters["us_per_ping_offline"] =
      std::chrono::duration<double, std::micro>(ping_offline).count() / orders;
  state.SetItemsProcessed(static_cast<int64_t>(orders));
}

// ---------------------------------------------------- a delivery's lifecycle

// Deliveries run one after another in each of K slots, each slot with its
// own restaurant and driver, 55 km from the next (so that each order is
// offered to its slot's driver alone).
class Lifecycles {
 public:
  Lifecycles(Sequencer& sequencer, CompletionMeter& meter, size_t slots)
      : sequencer_(sequencer), meter_(meter) {
    for (size_t i = 0; i < slots; ++i) slots_.emplace_back(i);
  }

  // The restaurants and drivers, each driver available 1 km from its restaurant.
  std::vector<std::pair<Principal, CommandBody>> setup() const {
    std::vector<std::pair<Principal, CommandBody>> out;
    for (const DeliverySlot& s : slots_)
      for (auto& step : s.setup()) out.push_back(std::move(step));
    return out;
  }

  void start() {
    for (size_t i = 0; i < slots_.size(); ++i) submit(i);
  }
  // Stops starting commands; waits for those in flight.
  void stop() {
    std::unique_lock lock(mu_);
    stopping_ = true;
    idle_.wait(lock, [&] { return in_flight_ == 0; });
  }
  const std::string& error() const { return error_; }
  uint64_t events() const { return events_.load(); }

  static constexpr int kSteps = kDeliverySteps;  // commands per lifecycle
  static constexpr int kEvents = kDeliveryEvents;

 private:
  Command next(DeliverySlot& s) {
    Command c;
    c.correlation_id = Uuid::v7();
    std::tie(c.principal, c.body) = s.next();
    return c;
  }

  void submit(size_t i) {
    DeliverySlot& s = slots_[i];
    {
      std::lock_guard lock(mu_);
      if (stopping_ || !error_.empty()) return;
      ++in_flight_;
    }
    Command c = next(s);
    c.done = [this, i](const CommandOutcome& outcome) { completed(i, outcome); };
    while (!sequencer_.submit(std::move(c))) std::this_thread::yield();
  }

  void completed(size_t i, const CommandOutcome& outcome) {
    DeliverySlot& s = slots_[i];
    if (!outcome.ok()) {
      std::lock_guard lock(mu_);
      if (error_.empty())
        error_ = "step " + std::to_string(s.step) + ": " + outcome.error().message;
      meter_.abort();
    } else if (++s.step == kSteps) {
      s.step = 0;
      events_.fetch_add(kEvents, std::memory_order_relaxed);
      meter_.add();
    }
    submit(i);
    std::lock_guard lock(mu_);
    if (--in_flight_ == 0) idle_.notify_all();
  }

  Sequencer& sequencer_;
  CompletionMeter& meter_;
  std::vector<DeliverySlot> slots_;
  std::mutex mu_;
  std::condition_variable idle_;
  size_t in_flight_ = 0;
  bool stopping_ = false;
  std::string error_;
  std::atomic<uint64_t> events_{0};
};

void lifecycle(benchmark::State& state, size_t slots) {
  TempDir dir("lifecycle");
  auto log = EventLog::open(dir.path(), {Durability::kSync, false});
  if (!log.ok()) {
    state.SkipWithError(log.error().message.c_str());
    return;
  }
  HotState hot;
  struct : CommitListener {
    void on_commit(std::span<const Event>) override {}
  } listener;
  CompletionMeter meter;
  std::optional<Lifecycles> runs;
  Sequencer sequencer(**log, hot, listener, {});
  runs.emplace(sequencer, meter, slots);
  // Setup, in order, waited for.
  {
    std::mutex mu;
    std::condition_variable cv;
    auto commands = runs->setup();
    size_t left = commands.size();
    std::string error;
    for (auto& [who, body] : commands) {
      Command c;
      c.principal = who;
      c.correlation_id = Uuid::v7();
      c.body = std::move(body);
      c.done = [&](const CommandOutcome& o) {
        std::lock_guard lock(mu);
        if (!o.ok() && error.empty()) error = "setup: " + o.error().message;
        if (--left == 0) cv.notify_one();
      };
      while (!sequencer.submit(std::move(c))) std::this_thread::yield();
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return left == 0; });
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      return;
    }
  }
  meter.start();
  const Clock::time_point begin = Clock::now();
  runs->start();
  meter.measure(state, std::max<uint64_t>(slots, 8));
  runs->stop();
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  if (!runs->error().empty()) {
    state.SkipWithError(runs->error().c_str());
    return;
  }
  state.counters["events_per_second"] = static_cast<double>(runs->events()) / seconds;
  state.counters["events_per_lifecycle"] = Lifecycles::kEvents;
}

}  // namespace

void register_dispatch_benchmarks() {
  benchmark::RegisterBenchmark("Dispatch/nearest_of_100k", dispatch_nearest)
      ->Unit(benchmark::kMicrosecond)
      ->MinTime(1.0);
  for (size_t slots : {8, 64})
    benchmark::RegisterBenchmark(("Lifecycle/engine/sync/slots:" + std::to_string(slots)).c_str(),
                                 [slots](benchmark::State& s) { lifecycle(s, slots); })
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.5);
}

}  // namespace comanda::bench
