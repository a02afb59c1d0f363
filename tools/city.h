// A seeded, deterministic city for `comanda seed` (docs/operations.md): its
// restaurants with menus, drivers who move along straight routes pinging
// every 3 to 5 s, and orders arriving with lunch and dinner peaks that go
// through every fulfillment's lifecycle with realistic timing, some rejected,
// cancelled or failed. The city hands out its commands moment by moment, in
// time order, each with who gives it; ids come from the seed, so the same
// options give the same commands.
//
// Not thread-safe: the seeding thread.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/domain/aggregates.h"
#include "engine/domain/principal.h"
#include "engine/pipeline/command.h"

namespace comanda::tools {

struct CityOptions {
  size_t restaurants = 20;
  size_t drivers = 60;
  size_t orders = 2'000;
  int days = 1;
  uint64_t seed = 1;
};

class City {
 public:
  // Local midnight (America/Lima) of the first day: 2026-11-02T05:00:00Z.
  static constexpr int64_t kStartUs = 1'793'595'600'000'000;

  explicit City(const CityOptions& options);

  using Step = std::pair<engine::Principal, engine::CommandBody>;
  // The commands of the next moment with any, in order; false when the city
  // is done. `at_us` receives the moment.
  bool next(int64_t& at_us, std::vector<Step>& out);
  // Tells the city whether the last moment's commands were accepted, in
  // order (a refused assignment is tried again later).
  void outcomes(const std::vector<bool>& accepted);

  // A fresh id, v7-shaped, from the seed and the moment.
  engine::Uuid mint(int64_t at_us);

 private:
  enum class Outcome : uint8_t { kDone, kRejected, kCancelled, kFailed };
  struct Restaurant {
    engine::Uuid id;
    double lat = 0, lng = 0;
    engine::Principal owner;
  };
  struct Driver {
    engine::Uuid id;
    engine::Principal who;
    double lat = 0, lng = 0;
    bool busy = false;
  };
  struct Order {
    engine::Uuid id;
    size_t restaurant = 0, driver = 0;
    engine::FulfillmentType type = engine::FulfillmentType::kDelivery;
    Outcome outcome = Outcome::kDone;
    engine::Principal customer;
    double lat = 0, lng = 0;  // where a delivery goes
    bool picked_up = false;   // a delivery's driver has it
  };
  enum class Kind : uint8_t {
    kPlace,
    kAccept,
    kCancel,
    kPrepare,
    kReady,
    kAwaitDriver,
    kAssign,
    kDrive,
    kPickUp,
    kDeliver,
    kArrive,
    kHandOver,
    kComplete,
  };
  struct Action {
    int64_t at_us;
    uint64_t seq;  // ties: in order of scheduling
    Kind kind;
    size_t order;
    friend bool operator>(const Action& a, const Action& b) {
      return a.at_us != b.at_us ? a.at_us > b.at_us : a.seq > b.seq;
    }
  };

  void found(std::vector<Step>& out);
  void schedule(int64_t at_us, Kind kind, size_t order);
  // The action's command, if it has one.
  std::optional<Step> command(const Action& a);
  // What follows an action, once its command was accepted or refused.
  void follow(const Action& a, bool accepted);
  // A driver's next position on its way (and whether it got there).
  bool advance(Order& o);
  engine::CommandBody place(const Order& o, int64_t at_us);
  int64_t seconds(double lo, double hi);  // a random span, in microseconds
  double uniform(double lo, double hi);
  int64_t arrival_us(int day);  // an order's moment on `day`, with the peaks

  CityOptions options_;
  std::mt19937_64 rng_;
  std::vector<Restaurant> restaurants_;
  std::vector<Driver> drivers_;
  std::vector<Order> orders_;
  std::priority_queue<Action, std::vector<Action>, std::greater<>> actions_;
  uint64_t seq_ = 0;
  bool founded_ = false;
  std::vector<Action> last_;  // the last moment's actions, one per command
};

}  // namespace comanda::tools
