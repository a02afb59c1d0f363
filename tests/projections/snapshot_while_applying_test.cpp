// A snapshot of the read models taken while batches go on being applied
// (ViewStore::save, Projection::save_still): the publisher waits for each
// model's first step only, and the rows are still exactly those of the
// snapshot's position, whatever is applied, and whichever orders leave
// memory, while the orders' rows are encoded.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
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
using comanda::projections::OrdersModel;
using comanda::projections::Projection;
using comanda::projections::ViewStore;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr size_t kCommands = 2'000;
#else
constexpr size_t kCommands = 8'000;
#endif
constexpr int64_t kWindowUs = 5 * 60 * kSecond;  // the simulation's clock: 1.5 s a command
constexpr size_t kBatch = 25;

using Rows = std::vector<std::pair<std::string, std::string>>;

void apply(ModelsUnderTest& models, std::span<const Event> events) {
  for (size_t from = 0; from < events.size(); from += kBatch)
    models.apply(events.subspan(from, std::min(kBatch, events.size() - from)));
}

RowSink into(Rows& rows, std::string prefix) {
  return [&rows, prefix = std::move(prefix)](std::string_view k, std::string_view v) -> Status {
    rows.emplace_back(prefix + std::string(k), v);
    return {};
  };
}

class SnapshotWhileApplying : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(sim_.setup());
    while (sim_.commands() < kCommands) sim_.step();
  }
  std::span<const Event> events() const { return sim_.state().events(); }

  Simulation sim_{property_seed()};
};

TEST_F(SnapshotWhileApplying, RowsAreThoseOfItsPositionWhateverChangesMeanwhile) {
  TempDir dir;
  auto views = ViewStore::open(dir.path() / "views");
  ASSERT_TRUE(views.ok());
  ModelsUnderTest models;
  auto& orders = models.registry().get<OrdersModel>();
  orders.use_cold_store(&(*views)->cold_orders(), kWindowUs);
  const size_t half = events().size() / 2 / kBatch * kBatch;
  apply(models, events().first(half));
  // What is due leaves memory now: nothing else does until the log's time
  // moves on, so the two snapshots below see the same orders held.
  ASSERT_TRUE(orders.flush_cold().ok());

  Rows expected;  // every model's rows in one step, nothing applied meanwhile
  for (const auto& model : models.registry().models())
    ASSERT_TRUE(model->save(into(expected, std::string(model->name()) + "/")).ok());

  Rows got;
  std::vector<std::pair<std::string, std::unique_ptr<Projection::Later>>> later;
  for (const auto& model : models.registry().models()) {
    const std::string prefix = std::string(model->name()) + "/";
    auto rest = model->save_still(into(got, prefix));
    ASSERT_TRUE(rest.ok()) << rest.error().message;
    if (*rest) later.emplace_back(prefix, std::move(rest).value());
  }
  ASSERT_FALSE(later.empty()) << "the orders model took every row while the publisher waited";
  // The rest of the log: orders change, finish, get placed; finished ones
  // leave memory for views/.
  const size_t held = orders.hot_orders();
  apply(models, events().subspan(half));
  ASSERT_TRUE(orders.flush_cold().ok());
  const auto placed = static_cast<size_t>(
      std::count_if(events().begin() + static_cast<ptrdiff_t>(half), events().end(),
                    [](const Event& e) { return std::holds_alternative<OrderPlaced>(e.payload); }));
  ASSERT_LT(orders.hot_orders(), held + placed)
      << "no order left memory meanwhile: the test tests less";
  for (auto& [prefix, rest] : later) ASSERT_TRUE(rest->save(into(got, prefix)).ok());
  later.clear();

  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected) << "rows changed by what was applied after the snapshot's position";
  orders.stop_cold();
}

TEST_F(SnapshotWhileApplying, LoadsBackAsTheModelsAtItsCheckpoint) {
  // A thread applies the log batch by batch while the snapshot is saved; it
  // loads back as a rebuild up to its checkpoint answers.
  TempDir dir;
  auto views = ViewStore::open(dir.path() / "views");
  ASSERT_TRUE(views.ok());
  auto log = EventLog::open(dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(log.ok());
  for (size_t from = 0; from < events().size(); from += kBatch)  // batches as they are applied
    ASSERT_TRUE(
        (*log)->append(events().subspan(from, std::min(kBatch, events().size() - from))).ok());
  ModelsUnderTest live;
  const size_t half = events().size() / 2 / kBatch * kBatch;
  apply(live, events().first(half));
  std::atomic<bool> saved{false};
  std::thread publisher([&] {
    const auto rest = events().subspan(half);
    for (size_t from = 0; from < rest.size() && !saved.load(); from += kBatch)
      live.apply(rest.subspan(from, std::min(kBatch, rest.size() - from)));
  });
  const Status status = (*views)->save(live.registry(), **log);
  saved = true;
  publisher.join();
  ASSERT_TRUE(status.ok()) << status.error().message;

  ModelsUnderTest loaded;
  auto checkpoint = (*views)->load(loaded.registry(), **log);
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_GE(*checkpoint, events()[half - 1].position);
  ModelsUnderTest rebuilt;
  ASSERT_TRUE(rebuilt.rebuild(**log, *checkpoint).ok());
  const int64_t now = events().back().recorded_at_us;
  EXPECT_EQ(read_everything(loaded, sim_, now), read_everything(rebuilt, sim_, now));
}

TEST_F(SnapshotWhileApplying, OneAtATime) {
  ModelsUnderTest models;
  apply(models, events().first(kBatch * 4));
  auto& orders = models.registry().get<OrdersModel>();
  Rows rows;
  auto first = orders.save_still(into(rows, ""));
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(orders.save_still(into(rows, "")).ok()) << "two snapshots' copies would mix";
  first = std::unique_ptr<Projection::Later>();
  EXPECT_TRUE(orders.save_still(into(rows, "")).ok()) << "the first one's end did not free it";
}

}  // namespace
