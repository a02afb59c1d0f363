// DESIGN.md "Read models": rebuilding from the log gives exactly the state
// live updates gave. A long seeded random workload (tests/support/
// simulation.h; COMANDA_PROPERTY_SEED replays one) is applied live batch by
// batch and written to a log; the read models rebuilt from that log, and
// those loaded from a snapshot of the live ones, must hold the same rows,
// byte for byte, and answer the same lists, boards, panels and day counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "projections/view_store.h"
#include "tests/support/models_under_test.h"
#include "tests/support/read_everything.h"
#include "tests/support/simulation.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using comanda::projections::DriversModel;
using comanda::projections::OrderQuery;
using comanda::projections::OrdersModel;
using comanda::projections::ProjectionRegistry;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr size_t kCommands = 5'000;
#else
constexpr size_t kCommands = 40'000;
#endif

using Rows = std::vector<std::pair<std::string, std::string>>;

// Every model's snapshot rows, keyed by model, sorted (maps iterate in an
// order of their own history).
Rows rows_of(const ProjectionRegistry& models) {
  Rows out;
  for (const auto& model : models.models()) {
    const std::string prefix = std::string(model->name()) + "/";
    EXPECT_TRUE(model
                    ->save([&](std::string_view k, std::string_view v) -> Status {
                      out.emplace_back(prefix + std::string(k), std::string(v));
                      return {};
                    })
                    .ok());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_rows(const Rows& live, const Rows& other, const char* what) {
  EXPECT_EQ(live.size(), other.size()) << what;
  for (size_t i = 0; i < std::min(live.size(), other.size()); ++i)
    if (live[i] != other[i]) {
      ADD_FAILURE() << what << ": the first differing row is " << i << ", "
                    << (live[i].first == other[i].first ? "its value" : "its key") << " ("
                    << live[i].first.substr(0, live[i].first.find('/')) << ")";
      return;
    }
}

TEST(RebuildEquality, RebuildingAndLoadingASnapshotGiveTheLiveReadModelsExactly) {
  const uint64_t seed = property_seed();
  std::cout << kCommands << " commands\n";
  Simulation sim(seed);
  ASSERT_NO_FATAL_FAILURE(sim.setup());
  while (sim.commands() < kCommands) sim.step();
  const std::vector<Event>& events = sim.state().events();

  TempDir dir;
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok()) << log.error().message;
  ModelsUnderTest live;
  // Batches of uneven sizes, as the sequencer's groups are.
  std::mt19937 sizes(static_cast<uint32_t>(seed));
  for (size_t from = 0; from < events.size();) {
    const size_t n = std::min(events.size() - from, size_t{1} + sizes() % 40);
    const std::vector<Event> batch(events.begin() + static_cast<ptrdiff_t>(from),
                                   events.begin() + static_cast<ptrdiff_t>(from + n));
    ASSERT_TRUE((*log)->append(batch).ok());
    live.apply(batch);
    from += n;
  }
  ASSERT_EQ(live.position(), events.back().position);
  ASSERT_FALSE(live.has_gap());

  ModelsUnderTest rebuilt;
  ASSERT_TRUE(rebuilt.rebuild(**log).ok());
  EXPECT_EQ(rebuilt.position(), live.position());

  auto views = comanda::projections::ViewStore::open(dir.path() / "views");
  ASSERT_TRUE(views.ok());
  ASSERT_TRUE((*views)->save(live.registry(), **log).ok());
  ModelsUnderTest loaded;
  auto checkpoint = (*views)->load(loaded.registry(), **log);
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_EQ(*checkpoint, live.position());

  const Rows expected = rows_of(live.registry());
  ASSERT_GT(expected.size(), kCommands / 10);
  expect_same_rows(expected, rows_of(rebuilt.registry()), "rebuilt from the log");
  expect_same_rows(expected, rows_of(loaded.registry()), "loaded from the snapshot");

  const int64_t now = events.back().recorded_at_us;
  const std::string read = read_everything(live, sim, now);
  EXPECT_EQ(read_everything(rebuilt, sim, now), read) << "the rebuilt models answer differently";
  EXPECT_EQ(read_everything(loaded, sim, now), read) << "the loaded models answer differently";
}

TEST(RebuildEquality, AsOfAPositionOrATimeGivesTheStateLiveModelsHadThen) {
  Simulation sim(7);
  ASSERT_NO_FATAL_FAILURE(sim.setup());
  while (sim.commands() < kCommands / 4) sim.step();
  const std::vector<Event>& events = sim.state().events();
  TempDir dir;
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok());
  ModelsUnderTest live;
  // Batches of one recorded time each (as the sequencer's are); the rows
  // live models had after some of them.
  std::vector<std::pair<uint64_t, Rows>> then;
  const uint64_t every = std::max<uint64_t>(1, events.size() / 6);  // about five moments
  for (size_t from = 0; from < events.size();) {
    size_t to = from + 1;
    while (to < events.size() && events[to].recorded_at_us == events[from].recorded_at_us) ++to;
    const std::vector<Event> batch(events.begin() + static_cast<ptrdiff_t>(from),
                                   events.begin() + static_cast<ptrdiff_t>(to));
    ASSERT_TRUE((*log)->append(batch).ok());
    live.apply(batch);
    if (batch.back().position / every != (batch.front().position - 1) / every)
      then.emplace_back(batch.back().position, rows_of(live.registry()));
    from = to;
  }
  ASSERT_GE(then.size(), 2u);
  for (const auto& [position, rows] : then) {
    ModelsUnderTest as_of;
    ASSERT_TRUE(as_of.rebuild(**log, position).ok());
    EXPECT_EQ(as_of.position(), position);
    expect_same_rows(rows, rows_of(as_of.registry()), "as of a position");
    // The same by the time that position was recorded.
    int64_t recorded_at = 0;
    ASSERT_TRUE((*log)
                    ->scan(position, position,
                           [&](const Event& e) {
                             recorded_at = e.recorded_at_us;
                             return true;
                           })
                    .ok());
    auto by_time = (*log)->last_position_at(recorded_at);
    ASSERT_TRUE(by_time.ok());
    EXPECT_EQ(*by_time, position);
  }
}

}  // namespace
