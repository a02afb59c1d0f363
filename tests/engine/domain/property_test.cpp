// The domain under many random commands (a seeded generator; the seed is
// printed, COMANDA_PROPERTY_SEED replays one): 100,000 commands (10,000 under
// the sanitizers, COMANDA_PROPERTY_COMMANDS to change) over 120 restaurants,
// 150 drivers, 150 customer accounts and the orders they make, by the roles
// that make each step and now and then by one that may not. Printed: how many
// were accepted, and how often each status and event type was reached.
//
// Held throughout (checked every few thousand commands and at the end):
// - credit balances are never negative;
// - a driver is busy exactly when an open order has it assigned;
// - each restaurant's order numbers run 1, 2, 3... with no gap;
// - every stream's versions run 1, 2, 3... and log positions have no gap;
// - no order is in a status of another fulfillment type;
// - a delivery the engine dispatches, from its restaurant's offer_on status
//   until a driver is assigned, always has an offer standing or waits;
// - replaying the log into fresh state gives exactly the same state.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "engine/domain/handlers.h"
#include "tests/engine/domain/domain_state.h"
#include "tests/support/simulation.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

size_t env_or(const char* name, size_t fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::strtoull(value, nullptr, 10) : fallback;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr size_t kDefaultCommands = 10'000;
#else
constexpr size_t kDefaultCommands = 100'000;
#endif

// Every event type's name, from the payload variant.
template <size_t... I>
std::vector<std::string_view> event_types(std::index_sequence<I...>) {
  return {std::variant_alternative_t<I, EventPayload>::kType...};
}
std::vector<std::string_view> all_event_types() {
  return event_types(std::make_index_sequence<std::variant_size_v<EventPayload>>());
}

// ---- the invariants ----

void expect_invariants(const Simulation& sim) {
  const DomainState& s = sim.state();
  for (const Uuid& a : sim.accounts())
    for (const auto& [currency, amount] : s.find<Account>(a)->balances)
      ASSERT_GE(amount, 0) << "a negative balance on account " << a.to_string();
  for (const Uuid& d : sim.drivers()) {
    const DriverState* driver = s.find<Driver>(d);
    const bool busy = driver->availability == Availability::kBusy;
    ASSERT_EQ(busy, !driver->order.is_nil()) << "busy without a delivery, or the reverse";
    if (busy) {
      const OrderState* o = s.find<Order>(driver->order);
      ASSERT_TRUE(o && o->driver == d && !is_terminal(o->status) && !o->deleted)
          << "a busy driver whose delivery is not theirs or not open";
    }
  }
  for (const Uuid& id : sim.orders()) {
    const OrderState* o = s.find<Order>(id);
    ASSERT_TRUE(applies_to(o->status, o->fulfillment))
        << status_name(o->status) << " on a " << fulfillment_name(o->fulfillment) << " order";
    if (!o->driver.is_nil() && !is_terminal(o->status) && !o->deleted) {
      ASSERT_EQ(s.find<Driver>(o->driver)->order, id) << "an assigned driver not busy with it";
    }
    const RestaurantRegistered& at = s.find<Restaurant>(o->restaurant_id)->details;
    const DispatchSettings& dispatch = at.settings.dispatch;
    const bool awaiting =
        o->fulfillment == FulfillmentType::kDelivery && !o->deleted && at.location.has_value() &&
        dispatch.mode != DispatchSettings::Mode::kNone && o->driver.is_nil() &&
        static_cast<int>(o->status) >= static_cast<int>(dispatch.offer_on) &&
        static_cast<int>(o->status) < static_cast<int>(OrderStatus::kDriverAssigned) &&
        o->status != OrderStatus::kFleetAssigned;  // a fleet delivers it
    if (awaiting) {
      ASSERT_TRUE(!o->offered.empty() || o->waiting_radius_m > 0)
          << status_name(o->status) << " order " << id.to_string()
          << " neither offered nor waiting: nothing will find it a driver";
    }
  }
}

void expect_log_is_contiguous(const DomainState& s) {
  std::map<Uuid, uint64_t> versions;
  std::map<Uuid, uint64_t> numbers;
  uint64_t position = 0;
  for (const Event& e : s.events()) {
    ASSERT_EQ(e.position, ++position) << "a gap in log positions";
    uint64_t& v = versions[e.stream];
    ASSERT_EQ(e.stream_version, ++v) << "a gap in a stream's versions";
    if (const auto* placed = std::get_if<OrderPlaced>(&e.payload)) {
      uint64_t& n = numbers[placed->restaurant_id];
      ASSERT_EQ(placed->number, ++n) << "a gap in a restaurant's references";
    }
  }
}

void expect_replay_equal(const Simulation& sim) {
  DomainState replayed;
  for (const Event& e : sim.state().events()) replayed.apply(e);
  const DomainState& s = sim.state();
  for (const Uuid& id : sim.orders()) {
    const OrderState& a = *s.find<Order>(id);
    const OrderState& b = *replayed.find<Order>(id);
    ASSERT_EQ(std::tie(a.version, a.status, a.driver, a.deleted, a.archived, a.not_ready,
                       a.offer_expires_at_us, a.waiting_radius_m, a.credit_account),
              std::tie(b.version, b.status, b.driver, b.deleted, b.archived, b.not_ready,
                       b.offer_expires_at_us, b.waiting_radius_m, b.credit_account));
    ASSERT_TRUE(std::equal(a.offered.begin(), a.offered.end(), b.offered.begin(), b.offered.end()));
    ASSERT_EQ(a.totals.total, b.totals.total);
  }
  for (const Uuid& id : sim.drivers()) {
    const DriverState& a = *s.find<Driver>(id);
    const DriverState& b = *replayed.find<Driver>(id);
    ASSERT_EQ(std::tie(a.version, a.availability, a.active, a.order, a.position),
              std::tie(b.version, b.availability, b.active, b.order, b.position));
    const auto ao = s.book<Order>().offers_of(id), bo = replayed.book<Order>().offers_of(id);
    ASSERT_TRUE(std::equal(ao.begin(), ao.end(), bo.begin(), bo.end()));
  }
  for (const Uuid& id : sim.accounts()) {
    const AccountState& a = *s.find<Account>(id);
    const AccountState& b = *replayed.find<Account>(id);
    ASSERT_EQ(a.version, b.version);
    ASSERT_TRUE(
        std::equal(a.balances.begin(), a.balances.end(), b.balances.begin(), b.balances.end()));
  }
  for (const Uuid& id : sim.restaurants()) {
    ASSERT_EQ(s.find<Restaurant>(id)->version, replayed.find<Restaurant>(id)->version);
    ASSERT_EQ(s.find<Restaurant>(id)->paused, replayed.find<Restaurant>(id)->paused);
  }
  ASSERT_EQ(s.book<Order>().waiting().size(), replayed.book<Order>().waiting().size());
  ASSERT_EQ(s.book<Driver>().offerable().size(), replayed.book<Driver>().offerable().size());
}

TEST(DomainProperties, HoldUnderManyRandomCommands) {
  const size_t n = env_or("COMANDA_PROPERTY_COMMANDS", kDefaultCommands);
  const uint64_t seed = env_or("COMANDA_PROPERTY_SEED", std::random_device{}());
  std::cout << "seed " << seed << " (COMANDA_PROPERTY_SEED=" << seed << " replays it), " << n
            << " commands\n";
  Simulation sim(seed);
  ASSERT_NO_FATAL_FAILURE(sim.setup());
  while (sim.commands() < n) {
    sim.step();
    if (sim.commands() % 5000 == 0) {
      ASSERT_NO_FATAL_FAILURE(expect_invariants(sim));
    }
  }
  ASSERT_NO_FATAL_FAILURE(expect_invariants(sim));
  ASSERT_NO_FATAL_FAILURE(expect_log_is_contiguous(sim.state()));
  ASSERT_NO_FATAL_FAILURE(expect_replay_equal(sim));

  // What was reached, printed; at least half accepted, and every status and
  // event type reached: 100 times in a run of 100,000 (the bar; the
  // rarest come about 200 times), at least once in a shorter one.
  std::map<std::string_view, size_t> events, statuses;
  for (const Event& e : sim.state().events()) {
    ++events[event_type_name(e.payload)];
    if (const auto* c = std::get_if<OrderStatusChanged>(&e.payload)) ++statuses[status_name(c->to)];
    if (const auto* p = std::get_if<OrderPlaced>(&e.payload)) ++statuses[status_name(p->status)];
  }
  std::cout << sim.accepted() << " of " << sim.commands() << " commands accepted, "
            << sim.state().events().size() << " events, " << sim.orders().size() << " orders\n";
  const size_t floor = n >= 100'000 ? 100 : 1;
  for (std::string_view type : all_event_types()) {
    std::cout << "  event " << type << ": " << events[type] << "\n";
    EXPECT_GE(events[type], floor) << type;
  }
  for (const StatusInfo& info : status_table()) {
    std::cout << "  status " << info.name << ": " << statuses[info.name] << "\n";
    EXPECT_GE(statuses[info.name], floor) << info.name;
  }
  EXPECT_GE(sim.accepted() * 2, sim.commands());
}

}  // namespace
