// The orders model's cold tier (projections/orders.h, use_cold_store()):
// finished orders leave memory for views/ after the window, and every
// answer stays what a model holding everything in memory gives: lists page
// by page with filters, orders by id, boards, day counts, panels; changes to
// cold orders (archive, delete, a line fulfilled) are read at once; and a
// snapshot with its cold orders loads back the same.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "projections/view_store.h"
#include "tests/support/models_under_test.h"
#include "tests/support/read_everything.h"
#include "tests/support/simulation.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using comanda::projections::OrderQuery;
using comanda::projections::OrdersModel;
using comanda::projections::ViewStore;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr size_t kCommands = 4'000;
#else
constexpr size_t kCommands = 25'000;
#endif
constexpr int64_t kWindowUs = 5 * 60 * kSecond;  // the simulation's clock: 1.5 s a command

TEST(ColdTier, EveryAnswerIsWhatAModelHoldingEverythingGives) {
  Simulation sim(property_seed());
  ASSERT_NO_FATAL_FAILURE(sim.setup());
  while (sim.commands() < kCommands) sim.step();
  const std::vector<Event>& events = sim.state().events();

  TempDir dir;
  auto views = ViewStore::open(dir.path() / "views");
  ASSERT_TRUE(views.ok());
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok());
  ModelsUnderTest everything, tiered;
  auto& cold = tiered.registry().get<OrdersModel>();
  cold.use_cold_store(&(*views)->cold_orders(), kWindowUs);
  const auto apply = [&](size_t begin, size_t end) {
    for (size_t from = begin; from < end; from += 25) {
      const std::vector<Event> batch(
          events.begin() + static_cast<ptrdiff_t>(from),
          events.begin() + static_cast<ptrdiff_t>(std::min(end, from + 25)));
      everything.apply(batch);
      tiered.apply(batch);
    }
  };
  // Seven tenths with the writer at work; the rest with it stopped, so that
  // changes to cold orders wait in the overlay and reads apply them.
  const size_t most = events.size() * 7 / 10;
  apply(0, most);
  ASSERT_TRUE(cold.flush_cold().ok());
  // A snapshot here: views/ runs ahead of it from now on, as after a crash
  // that follows a clean stop.
  ASSERT_TRUE((*log)->append({events.data(), most}).ok());
  ASSERT_TRUE((*log)->append({events.data() + most, events.size() - most}).ok());
  ASSERT_TRUE((*views)->save(tiered.registry(), **log).ok());
  cold.stop_cold();
  apply(most, events.size());
  const int64_t now = events.back().recorded_at_us;
  EXPECT_EQ(read_everything(tiered, sim, now), read_everything(everything, sim, now))
      << "the tiered model answers differently with changes waiting in the overlay";
  cold.use_cold_store(&(*views)->cold_orders(), kWindowUs);
  ASSERT_TRUE(cold.flush_cold().ok());
  const size_t all = everything.registry().get<OrdersModel>().hot_orders();
  const size_t hot = cold.hot_orders();
  std::cout << hot << " of " << all << " orders in memory\n";
  EXPECT_LT(hot * 2, all) << "finished orders did not leave memory";

  const std::string expected = read_everything(everything, sim, now);
  EXPECT_EQ(read_everything(tiered, sim, now), expected) << "the tiered model answers differently";

  // The earlier snapshot, with views/ ahead of it, and the log's tail
  // replayed over both.
  {
    ModelsUnderTest behind;
    auto& orders = behind.registry().get<OrdersModel>();
    orders.use_cold_store(&(*views)->cold_orders(), kWindowUs);
    auto checkpoint = (*views)->load(behind.registry(), **log);
    ASSERT_TRUE(checkpoint.ok());
    ASSERT_EQ(*checkpoint, events[most - 1].position);
    behind.apply({events.data() + most, events.size() - most});
    ASSERT_TRUE(orders.flush_cold().ok());
    EXPECT_EQ(read_everything(behind, sim, now), expected)
        << "a snapshot with views/ ahead of it, and the tail, answer differently";
  }

  // A snapshot at the end (its hot rows; the cold ones stay in views/), loaded.
  ASSERT_TRUE((*views)->save(tiered.registry(), **log).ok());
  cold.stop_cold();
  ModelsUnderTest loaded;
  loaded.registry().get<OrdersModel>().use_cold_store(&(*views)->cold_orders(), kWindowUs);
  auto checkpoint = (*views)->load(loaded.registry(), **log);
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_EQ(*checkpoint, events.back().position);
  const std::string from_snapshot = read_everything(loaded, sim, now);
  if (from_snapshot != expected) {
    size_t at = 0;
    while (at < expected.size() && at < from_snapshot.size() && expected[at] == from_snapshot[at])
      ++at;
    const size_t line =
        expected.rfind('\n', at) == std::string::npos ? 0 : expected.rfind('\n', at) + 1;
    ADD_FAILURE() << "the loaded tiered model answers differently from\n"
                  << expected.substr(line, 300) << "\n...as\n"
                  << from_snapshot.substr(line, 300) << "\n(at " << at << " of " << expected.size()
                  << " and " << from_snapshot.size() << ")";
  }
}

}  // namespace
