// The orders read model: every order's summary by id, lists newest first
// (all, per restaurant, per customer) with status filters and a cursor, and
// who may see each order (the owners of its restaurant, kept here too).
//
// Threads: see projections/projection.h; the queries on any thread.
#pragma once

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/domain/order.h"
#include "engine/domain/principal.h"
#include "projections/read_model.h"

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
};

struct OrderQuery {
  // Whose list this is: only orders this principal may see are listed
  // (engine/domain/access.h). nullopt: every order (tools, rebuild checks).
  std::optional<engine::Principal> viewer;
  std::optional<Uuid> restaurant_id;
  std::vector<engine::OrderStatus> statuses;  // empty: any status
  bool archived = false;         // only archived orders; otherwise archived ones are left out
  uint64_t before_position = 0;  // cursor: only orders placed before it; 0 = from the newest
  size_t limit = 50;
};

struct OrderPage {
  std::vector<OrderView> orders;  // newest first
  uint64_t next_cursor = 0;       // 0: no more
  uint64_t position = 0;          // the log position the page reflects
};

class OrdersModel final : public ReadModel {
 public:
  static constexpr std::string_view kName = "orders";

  std::optional<OrderView> order(const Uuid& id) const;
  // The order if `viewer` may see it; nullopt when absent or not theirs (the
  // two are indistinguishable to the caller on purpose). `position`, if
  // given, receives the position the answer reflects.
  std::optional<OrderView> order_for(const Uuid& id, const engine::Principal& viewer,
                                     uint64_t* position = nullptr) const;
  OrderPage list_orders(const OrderQuery& query) const;
  // The customer an order was placed for ("" for an unknown order).
  std::string customer_of(const Uuid& id) const;
  // The kitchen board: the restaurant's open orders (not finished, not
  // deleted), newest first, in O(open orders). `position`, if given,
  // receives the position the answer reflects.
  std::vector<OrderView> active_orders(const Uuid& restaurant_id,
                                       uint64_t* position = nullptr) const;

  std::string_view name() const override { return kName; }
  engine::Status save(const RowSink& put) const override;
  engine::Status load_row(std::string_view key, std::string_view value) override;
  void finish_load() override;

 private:
  void apply_one(const engine::Event& e) override;
  void clear() override;
  using Placement = std::pair<uint64_t, Uuid>;  // (placed position, order id), ascending

  // Adds a new order to the lists (placements ascending, as apply() adds them).
  void index_order(const OrderView& order);
  bool visible(const OrderView& order, const engine::Principal& viewer) const;  // mu_ held
  engine::Status load_order(std::string_view value);
  engine::Status load_owners(std::string_view key, std::string_view value);
  engine::Status load_driver(std::string_view key, std::string_view value);

  // Every order, and the lists of them; none stops the publisher to grow
  // (a map grows a step at a time, a deque never moves its entries).
  engine::GrowingMap<Uuid, OrderView, engine::UuidHash> orders_;
  std::unordered_map<Uuid, std::vector<std::string>, engine::UuidHash> owners_;  // by restaurant
  using Placements = std::deque<Placement>;
  Placements all_orders_;
  std::unordered_map<Uuid, Placements, engine::UuidHash> by_restaurant_;
  engine::GrowingMap<std::string, Placements> by_customer_;
  // Each restaurant's open orders (the kitchen board), by placement.
  std::unordered_map<Uuid, std::set<Placement>, engine::UuidHash> active_;
  // Each owner's restaurants: an owner's list merges theirs, not everyone's.
  std::unordered_map<std::string, std::vector<Uuid>> restaurants_of_;
  void set_owners(const Uuid& restaurant, std::vector<std::string> owners);
  void track_active(const OrderView& o);
  // Which driver each driver account is: a driver sees the orders offered
  // or assigned to it.
  std::unordered_map<std::string, Uuid> driver_of_user_;
};

}  // namespace comanda::projections
