// The orders read model: every order's summary by id; lists newest first
// with filters and a cursor, each page served from the most selective of a
// few indexes (per restaurant: all, by status group, by local service date;
// per customer; per driver) reading at most 10x its limit; the kitchen
// board; and who may see each order (its restaurant's owners, kept here too).
//
// Threads: see projections/projection.h; the queries on any thread.
#pragma once

#include <array>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/base/flat_growing_map.h"
#include "engine/base/growing_map.h"
#include "engine/base/time_zone.h"
#include "engine/domain/order.h"
#include "engine/domain/principal.h"
#include "projections/cold_orders.h"
#include "projections/driver_work.h"
#include "projections/read_model.h"

namespace comanda::v1 {
class ViewRow;
}

namespace comanda::projections {

using engine::Uuid;

struct OrderView {
  Uuid id;
  uint64_t version = 0;
  uint64_t placed_position = 0;  // orders sort newest first by this
  int64_t placed_at_us = 0;
  int64_t updated_at_us = 0;
  engine::OrderPlaced placed;  // as placed and edited since (status there is the initial one)
  engine::OrderStatus status = engine::OrderStatus::kPending;
  bool cancelled_by_customer = false;
  std::string status_reason;        // of the latest status change, if one was given
  std::vector<uint32_t> fulfilled;  // per line, the quantity made; empty: none yet
  bool archived = false;
  bool deleted = false;         // answered as absent
  int64_t canceled_at_us = 0;   // when it was cancelled or rejected; 0: not
  int64_t completed_at_us = 0;  // when it was delivered, picked up or completed; 0: not
  Uuid driver;                  // assigned; nil otherwise
  std::vector<Uuid> offered;    // the drivers of the standing offer
  bool not_ready = false;       // the restaurant's flag while a driver waits there
  // The local date it is served on: its scheduled time's, else its
  // placement's, in the zone its restaurant had when that time was set.
  engine::LocalDate service_date = 0;
};

struct OrderQuery {
  // Whose list this is: only orders this principal may see are listed
  // (engine/domain/access.h). nullopt: every order (tools, rebuild checks).
  std::optional<engine::Principal> viewer;
  std::optional<Uuid> restaurant_id;
  std::vector<engine::OrderStatus> statuses;  // empty: any status
  // The local service date, inclusive at both ends; nullopt: unbounded.
  std::optional<engine::LocalDate> from_date, to_date;
  std::vector<std::string> payment_methods;                // empty: any
  std::vector<engine::FulfillmentType> fulfillment_types;  // empty: any
  std::optional<std::string> customer_id;                  // the order's customer.id
  std::optional<Uuid> driver_id;                           // the assigned driver
  bool archived = false;         // only archived orders; otherwise archived ones are left out
  uint64_t before_position = 0;  // cursor: only orders placed before it; 0 = from the newest
  size_t limit = 50;
};

// A page reads at most this many times its limit; a sparse filter returns a
// short (even empty) page with a cursor to go on from.
inline constexpr size_t kRowsExaminedPerResult = 10;

struct OrderPage {
  std::vector<OrderView> orders;  // newest first
  uint64_t next_cursor = 0;       // 0: no more
  uint64_t position = 0;          // the log position the page reflects
  size_t rows_examined = 0;       // index entries read for it
};

// What a driver's panel shows, each list newest first.
struct DriverPanel {
  std::vector<OrderView> offers;           // offered to the driver now
  std::vector<OrderView> in_transit;       // assigned to it and not finished
  std::vector<OrderView> completed_today;  // completed with it on the local day of now
};

// A restaurant's local day: its orders (by service date; deleted ones
// aside) counted by current status, and the revenue of the completed ones.
struct DayStats {
  engine::LocalDate date = 0;
  std::array<uint32_t, engine::kStatusCount> by_status{};
  std::array<uint32_t, engine::kStatusGroupCount> by_group{};
  uint32_t orders = 0;
  int64_t revenue = 0;   // minor units, of the completed group's totals
  std::string currency;  // of the orders ("" when there are none)
};

class OrdersModel final : public ReadModel {
 public:
  static constexpr std::string_view kName = "orders";

  OrdersModel() = default;
  ~OrdersModel() override;

  // Finished (and deleted) orders leave memory `window_us` after they
  // finished, by the log's time, for `cold` (views/): a thread of the
  // model's own writes them there and only then lets them go. Queries read
  // them from there, and read changes to them (an archive, a delete) at
  // once, before their rows are rewritten. Without it (the models' tests,
  // rebuilds as of a moment) every order stays in memory. Call before the
  // first event. `writer` false: reads only (a tool on a read-only
  // views/): nothing leaves memory and the overlay is never rewritten.
  void use_cold_store(ColdOrders* cold, int64_t window_us, bool writer = true);
  // Writes what is due for views/ and every change to cold orders, and
  // waits until it is written: before a snapshot counts on views/.
  engine::Status flush_cold();
  // Stops the writer thread (the destructor does too).
  void stop_cold();
  // How many orders are held in memory.
  size_t hot_orders() const;

  std::optional<OrderView> order(const Uuid& id) const;
  // The order if `viewer` may see it; nullopt when absent or not theirs (the
  // two are indistinguishable to the caller on purpose). `position`, if
  // given, receives the position the answer reflects.
  std::optional<OrderView> order_for(const Uuid& id, const engine::Principal& viewer,
                                     uint64_t* position = nullptr) const;
  OrderPage list_orders(const OrderQuery& query) const;
  // The customer an order was placed for ("" for an unknown order).
  std::string customer_of(const Uuid& id) const;
  // The driver assigned to the order (nil when none, or an unknown order).
  Uuid driver_of(const Uuid& id) const;
  // The kitchen board: the restaurant's open orders (not finished, not
  // deleted, not scheduled), newest first, in O(open orders). `position`, if given,
  // receives the position the answer reflects.
  std::vector<OrderView> active_orders(const Uuid& restaurant_id,
                                       uint64_t* position = nullptr) const;

  // The driver's panel at `now_us`: "today" is the local day of each
  // order's restaurant. `position`, if given, receives the position the
  // answer reflects.
  DriverPanel driver_panel(const Uuid& driver, int64_t now_us, uint64_t* position = nullptr) const;

  // The restaurant's day `date`, or today in its zone at `now_us`.
  // `position`, if given, receives the position the answer reflects.
  DayStats day_stats(const Uuid& restaurant_id, std::optional<engine::LocalDate> date,
                     int64_t now_us, uint64_t* position = nullptr) const;

  std::string_view name() const override { return kName; }
  engine::Status save(const RowSink& put) const override;
  engine::Result<std::unique_ptr<Later>> save_still(const RowSink& put) const override;
  engine::Status load_row(std::string_view key, std::string_view value) override;
  void finish_load() override;

 private:
  void apply_one(const engine::Event& e) override;
  void clear() override;

  using Placement = std::pair<uint64_t, Uuid>;  // (placed position, order id), ascending
  // Sorted by placement: appended as orders come, inserted near the end
  // when an order joins a list later (it finished, got a driver).
  using Placements = std::deque<Placement>;

  // A restaurant: who may see its orders, its zone, and its indexes.
  struct RestaurantOrders {
    Uuid id;
    std::vector<std::string> owners;
    engine::TimeZone zone;
    Placements all;
    std::array<Placements, engine::kStatusGroupCount> by_group;  // deleted orders in none
    std::map<engine::LocalDate, Placements> by_date;             // by service date
    std::unordered_map<std::string, Placements> by_customer;     // by customer.id
    std::set<engine::LocalDate> days;  // every service date it had (cold ones too)
  };
  RestaurantOrders& restaurant_orders(const Uuid& id);

  // What places an order in the indexes that change after its placement.
  struct IndexKeys {
    int group = -1;  // its status group; -1: deleted
    engine::LocalDate date = 0;
    Uuid driver;
  };
  static IndexKeys keys_of(const OrderView& o);

  void place(const engine::Event& e, const engine::OrderPlaced& placed);
  // Moves the order between lists where its keys changed (and to its new
  // customer's list when `customer_was` is given).
  void reindex(const OrderView& o, const IndexKeys& was, const std::string* customer_was);
  // Takes a deleted order out of every list (it is answered as absent).
  void unindex(const OrderView& o, const IndexKeys& was);
  // Adds a new order to every list it belongs in; `sorted`: insert in order
  // (live), or append and leave the sort to finish_load (a snapshot's rows).
  void index_order(const OrderView& o, bool sorted);
  engine::LocalDate service_date(const OrderView& o) const;
  void set_owners(const Uuid& restaurant, std::vector<std::string> owners);
  bool visible(const OrderView& order, const engine::Principal& viewer) const;
  bool matches(const OrderView& o, const OrderQuery& query) const;
  // What a query walks, merged newest first: lists in memory and, with the
  // cold tier, their twins in views/ (by prefix).
  struct Walks {
    std::vector<const Placements*> lists;
    std::vector<std::string> cold;
  };
  // The narrowest of the candidates the query's filters allow. Each
  // candidate holds every order the query can match, so any narrower one
  // beats the scope's whole list; between narrower ones, the smaller.
  Walks plan(const OrderQuery& query) const;
  // How many entries `w` has: exact in memory, counted in views/ up to a cap
  // (enough to tell a narrow list from a wide one).
  size_t size_of(const Walks& w) const;
  // Whose orders the query may list: the caller's own list (a customer's, a
  // driver's; `scope` left empty), or restaurants' (`scope`, with their
  // whole lists as the first candidate). False: none at all.
  bool scope_of(const OrderQuery& q, engine::Role role, std::vector<Walks>& candidates,
                std::vector<const RestaurantOrders*>& scope) const;
  // The narrower lists within `scope` the query's filters name.
  void narrower_walks(const OrderQuery& q, const std::vector<const RestaurantOrders*>& scope,
                      std::vector<Walks>& candidates) const;
  // Adds a list and its twin in views/ to `w`.
  void add_walk(Walks& w, const Placements* list, std::string cold_prefix) const;
  engine::Status load_order(std::string_view value);
  // ---- a snapshot taken while batches are applied (orders_snapshot.cpp) ----
  class OrderRows;
  // Copies the order as it is, if a snapshot being taken lists it and has no
  // copy yet: before its first change or its leaving memory. The lock held
  // exclusively.
  void preserve(const OrderView& o);
  // The order as the snapshot being taken saw it. The lock held.
  const OrderView* as_preserved(const Uuid& id) const;
  // An order's snapshot row (also its row in views/), both ways.
  static void to_row(const OrderView& o, v1::ViewRow& row);
  static engine::Result<OrderView> from_row(std::string_view value);
  // Applies an event of the order's own; false if it changes nothing of its view.
  static bool apply_change(OrderView& o, const engine::Event& e);

  // ---- the cold tier (orders_cold.cpp) ----
  // The order as a query sees it: from memory, else from views/ with the
  // changes not yet written applied over it; nullopt when neither has it.
  // The lock held.
  std::optional<OrderView> resolve(const Uuid& id) const;
  // The same, from views/ only.
  std::optional<OrderView> cold_view(const Uuid& id) const;
  // The views/ prefixes of the lists the order is in.
  std::vector<std::string> cold_keys(const OrderView& o) const;
  // One round of the writer: the orders due leave memory, the changes to
  // cold orders are written. How many it handled.
  engine::Result<size_t> write_cold();
  struct ColdRound {
    std::vector<ColdOrders::Change> changes;      // to write, as one
    std::vector<std::pair<int64_t, Uuid>> taken;  // from finished_, with...
    std::vector<uint64_t> versions;               // ...each order's version as written
    std::vector<std::pair<Uuid, std::vector<engine::Event>>> changed;  // overlay copies
  };
  // The round's work, under the lock: the orders due, encoded; the overlay.
  void take_cold_work(ColdRound& round);
  // Cold orders' rows read, the overlay's events applied over them: views/
  // only, no lock.
  engine::Status rewrite_cold_rows(ColdRound& round) const;
  // After the write, under the lock: the orders written leave memory (an
  // order changed meanwhile stays, due at once), the events written leave
  // the overlay.
  void let_go(const ColdRound& round);
  void writer_loop();
  engine::Status load_owners(std::string_view key, std::string_view value);
  engine::Status load_driver(std::string_view key, std::string_view value);
  engine::Status load_completions(std::string_view key, std::string_view value);
  // The overlay in the snapshot (its checkpoint then needs no flush of the
  // cold writer): a cold order's events, each in its stored form after its
  // length, four bytes big-endian.
  static std::string encode_overlay(std::span<const engine::Event> events);
  engine::Status load_overlay(std::string_view key, std::string_view value);

  // Every order, and the lists of them; none stops the publisher to grow
  // (a map grows a step at a time, a deque never moves its entries).
  engine::FlatGrowingMap<Uuid, OrderView, engine::UuidHash> orders_;
  std::unordered_map<Uuid, RestaurantOrders, engine::UuidHash> restaurants_;
  Placements all_orders_;
  engine::GrowingMap<std::string, Placements> by_customer_;
  std::unordered_map<Uuid, Placements, engine::UuidHash> by_driver_;  // assigned, any status
  // Each owner's restaurants: an owner's list merges theirs, not everyone's.
  std::unordered_map<std::string, std::vector<Uuid>> restaurants_of_;
  // Which driver each driver account is: a driver sees the orders offered
  // or assigned to it.
  std::unordered_map<std::string, Uuid> driver_of_user_;
  DriverWork work_;  // each driver's offers, deliveries and recent completions

  // The cold tier (use_cold_store()), under the model's lock; the writer's
  // own state under writer_mu_.
  ColdOrders* cold_ = nullptr;
  int64_t window_us_ = 0;
  int64_t now_us_ = 0;                             // the latest event's time
  std::deque<std::pair<int64_t, Uuid>> finished_;  // (when it finished, order), in that order
  // Events of orders in views/ not yet written there.
  std::unordered_map<Uuid, std::vector<engine::Event>, engine::UuidHash> overlay_;
  std::thread writer_;
  std::mutex writer_mu_;
  std::condition_variable writer_cv_;
  bool stopping_ = false;                      // writer_mu_
  uint64_t flush_asked_ = 0, flush_done_ = 0;  // writer_mu_
  engine::Status writer_status_;               // writer_mu_: its last error

  // While a snapshot's order rows are taken (OrderRows): its position, and
  // the orders it lists as they were then, each copied before it changed.
  struct Preserved {
    uint64_t position = 0;
    std::unordered_map<Uuid, OrderView, engine::UuidHash> before;
  };
  mutable std::optional<Preserved> preserved_;  // the lock
};

}  // namespace comanda::projections
