// The sequencer's snapshot (engine/pipeline/state_snapshot.h,
// checkpointer.h): a state restored from a snapshot and brought up to date
// with the log after it is the state a replay of the whole log gives, row
// for row and index for index. A long seeded random workload
// (tests/support/simulation.h; COMANDA_PROPERTY_SEED replays one) is written
// to a log; the checkpointer follows it and snapshots it halfway.
#include "engine/pipeline/state_snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/log/event_log.h"
#include "engine/pipeline/checkpointer.h"
#include "tests/support/simulation.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr size_t kCommands = 4'000;
#else
constexpr size_t kCommands = 30'000;
#endif

using Rows = std::map<std::string, std::string>;

// A store in memory, with the same replace-whole contract as views/.
class MemoryStore final : public StateStore {
 public:
  Status write_state(StateSnapshotHeader header,
                     const std::function<Status(const RowSink&)>& write) override {
    header_.reset();
    rows_.clear();
    Status written = write([&](std::string_view k, std::string_view v) -> Status {
      rows_.emplace(std::string(k), std::string(v));
      ++header.rows;
      return {};
    });
    if (written.ok()) header_ = std::move(header);
    ++writes;
    return written;
  }
  Result<std::optional<StateSnapshotHeader>> state_header() override { return header_; }
  Status read_state(const RowSink& row) override {
    for (const auto& [k, v] : rows_)
      if (Status read = row(k, v); !read.ok()) return read;
    return {};
  }
  std::optional<StateSnapshotHeader> header_;
  Rows rows_;
  int writes = 0;
};

Rows rows_of(const HotState& state, const Scheduler& scheduler) {
  Rows rows;
  auto put = [&](std::string_view k, std::string_view v) -> Status {
    EXPECT_TRUE(rows.emplace(std::string(k), std::string(v)).second) << "a key written twice";
    return {};
  };
  EXPECT_TRUE(state.save(put).ok());
  EXPECT_TRUE(scheduler.save(put).ok());
  return rows;
}

void expect_same_rows(const Rows& expected, const Rows& actual, const char* what) {
  EXPECT_EQ(expected.size(), actual.size()) << what;
  auto a = expected.begin();
  auto b = actual.begin();
  for (; a != expected.end() && b != actual.end(); ++a, ++b)
    if (*a != *b) {
      ADD_FAILURE() << what << ": the first differing row is of kind '" << a->first[0] << "', "
                    << (a->first == b->first ? "its value differs" : "its key differs");
      return;
    }
}

class StateSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = property_seed();
    std::cout << kCommands << " commands\n";
    sim_.emplace(seed_);
    ASSERT_NO_FATAL_FAILURE(sim_->setup());
    while (sim_->commands() < kCommands) sim_->step();
    auto log = EventLog::open(dir_.path() / "log", {Durability::kAsync, false});
    ASSERT_TRUE(log.ok()) << log.error().message;
    log_ = std::move(log).value();
  }

  // Appends the workload's events up to `fraction` of them, in batches of
  // uneven sizes as the sequencer's groups are.
  void write_up_to(double fraction) {
    const std::vector<Event>& events = sim_->state().events();
    const auto end = static_cast<size_t>(static_cast<double>(events.size()) * fraction);
    std::mt19937 sizes(static_cast<uint32_t>(seed_));
    for (size_t from = log_->last_position(); from < end;) {
      const size_t n = std::min(end - from, size_t{1} + sizes() % 40);
      const std::vector<Event> batch(events.begin() + static_cast<ptrdiff_t>(from),
                                     events.begin() + static_cast<ptrdiff_t>(from + n));
      ASSERT_TRUE(log_->append(batch).ok());
      from += n;
    }
  }

  // A replay of the whole log, as a start without a snapshot does.
  void replay_whole(HotState& state, Scheduler& scheduler, int64_t now) {
    ASSERT_TRUE(state.load(*log_, now, [&](const Event& e) { scheduler.observe_loaded(e); }).ok());
  }

  // The snapshot, then the log after it, as comandad's start does.
  uint64_t restore_and_follow(HotState& state, Scheduler& scheduler, int64_t now) {
    std::string why;
    auto restored = read_state_snapshot(store_, *log_, state, scheduler, &why);
    EXPECT_TRUE(restored.ok());
    EXPECT_NE(*restored, 0u) << why;
    EXPECT_TRUE(log_->scan(*restored + 1, log_->last_position(),
                           [&](Event& e) {
                             EXPECT_TRUE(state.follow(*log_, e).ok());
                             scheduler.observe_loaded(e);
                             return true;
                           })
                    .ok());
    EXPECT_TRUE(state.load_idempotency(*log_, now).ok());
    state.evict_finished(now, log_->last_position());
    return *restored;
  }

  // Row for row, and the indexes the rows do not hold, asked as decisions
  // ask them; and what the scheduler has due, and when.
  void expect_same_state(HotState& whole, Scheduler& whole_scheduler, HotState& restored,
                         Scheduler& restored_scheduler, int64_t now, const char* what) {
    const Rows expected = rows_of(whole, whole_scheduler);
    ASSERT_GT(expected.size(), 500u);
    expect_same_rows(expected, rows_of(restored, restored_scheduler), what);
    EXPECT_EQ(restored.last_recorded_at_us(), whole.last_recorded_at_us());

    // The indexes the rows do not hold, asked as decisions ask them.
    const auto& drivers = whole.book<Driver>();
    const auto& restored_drivers = restored.book<Driver>();
    for (const Uuid& id : sim_->drivers()) {
      const DriverState* d = drivers.find(id);
      ASSERT_NE(d, nullptr);
      EXPECT_EQ(restored_drivers.of_user(d->user_id), id);
    }
    EXPECT_EQ(restored_drivers.offerable().size(), drivers.offerable().size());
    const GeoPoint centre{kLat, kLng};
    EXPECT_EQ(restored_drivers.offerable().nearest(centre, 20, 50'000),
              drivers.offerable().nearest(centre, 20, 50'000));
    EXPECT_EQ(restored.book<Order>().waiting().nearest(centre, 20, 50'000),
              whole.book<Order>().waiting().nearest(centre, 20, 50'000));
    for (const Uuid& id : sim_->accounts()) {
      const AccountState* a = whole.find<Account>(id);
      ASSERT_NE(a, nullptr);
      for (const Uuid& r : a->restaurant_ids)
        EXPECT_EQ(restored.book<Account>().of_user_at(a->user_id, r),
                  whole.book<Account>().of_user_at(a->user_id, r));
    }
    for (const Uuid& r : sim_->restaurants())
      EXPECT_EQ(restored.book<Order>().last_number(r), whole.book<Order>().last_number(r));
    // What falls due, and when.
    EXPECT_EQ(restored_scheduler.tracked(), whole_scheduler.tracked());
    whole_scheduler.finish_load();
    restored_scheduler.finish_load();
    EXPECT_EQ(restored_scheduler.next_due(), whole_scheduler.next_due());
    const int64_t later = now + int64_t{7} * 24 * 3600 * 1'000'000;
    auto due = whole_scheduler.due(later);
    auto restored_due = restored_scheduler.due(later);
    ASSERT_EQ(restored_due.size(), due.size());
    for (size_t i = 0; i < due.size(); ++i)
      EXPECT_EQ(restored_due[i].body.index(), due[i].body.index());
  }

  // A minute after the workload's end (some finished orders have left
  // memory by then, others are still hot): the store's snapshot, taken at
  // `checkpoint`, plus the log after it, against a replay of the whole log.
  void expect_restored_is_replayed(uint64_t checkpoint, const char* what) {
    const int64_t now = last_recorded_at() + 60'000'000;
    HotState whole;
    Scheduler whole_scheduler;
    ASSERT_NO_FATAL_FAILURE(replay_whole(whole, whole_scheduler, now));
    HotState restored;
    Scheduler restored_scheduler;
    EXPECT_EQ(restore_and_follow(restored, restored_scheduler, now), checkpoint);
    expect_same_state(whole, whole_scheduler, restored, restored_scheduler, now, what);
  }

  int64_t last_recorded_at() const { return sim_->state().events().back().recorded_at_us; }

  uint64_t seed_ = 0;
  std::optional<Simulation> sim_;
  TempDir dir_;
  std::unique_ptr<EventLog> log_;
  MemoryStore store_;
};

TEST_F(StateSnapshotTest, ASnapshotPlusTheTailIsTheStateAReplayOfTheWholeLogGives) {
  uint64_t committed = 0;
  Checkpointer checkpointer(*log_, store_, [&] { return committed; }, {});
  // Late enough that much of what the snapshot holds is still hot at the end.
  ASSERT_NO_FATAL_FAILURE(write_up_to(0.9));
  committed = log_->last_position();
  ASSERT_TRUE(checkpointer.checkpoint_now().ok());
  ASSERT_EQ(checkpointer.checkpoint(), committed);
  ASSERT_NO_FATAL_FAILURE(write_up_to(1.0));
  ASSERT_GT(log_->last_position(), committed + committed / 20) << "a tail worth replaying";

  ASSERT_NO_FATAL_FAILURE(expect_restored_is_replayed(committed, "snapshot plus tail"));
}

TEST_F(StateSnapshotTest, TheCheckpointersOwnCopyEvictsAsItFollowsAndStillSnapshotsTheReplay) {
  uint64_t committed = 0;
  Checkpointer checkpointer(*log_, store_, [&] { return committed; }, {});
  ASSERT_NO_FATAL_FAILURE(write_up_to(1.0));
  committed = log_->last_position();
  ASSERT_TRUE(checkpointer.checkpoint_now().ok());
  EXPECT_EQ(store_.writes, 1);
  ASSERT_TRUE(checkpointer.checkpoint_now().ok());
  EXPECT_EQ(store_.writes, 1) << "nothing new: no second snapshot";

  ASSERT_NO_FATAL_FAILURE(expect_restored_is_replayed(committed, "a snapshot at the log's end"));
  // The copy followed the work with a 15-minute window, evicting by the
  // log's time as it went: it holds the hot set at the log's end (what a
  // replay evicting then keeps), not every order.
  auto orders_in = [](const Rows& rows) {
    size_t orders = 0;
    for (const auto& [key, value] : rows)
      orders += key[0] == 'k' && key[1] == 2;  // Order's index in AggregateKinds
    return orders;
  };
  HotState hot;
  Scheduler hot_scheduler;
  ASSERT_NO_FATAL_FAILURE(replay_whole(hot, hot_scheduler, last_recorded_at()));
  const size_t hot_orders = orders_in(rows_of(hot, hot_scheduler));
  EXPECT_EQ(orders_in(store_.rows_), hot_orders);
  // The full workload spans hours: most orders have left.
  if (kCommands >= 30'000) {
    EXPECT_LT(hot_orders, sim_->orders().size() / 2);
  }
}

TEST_F(StateSnapshotTest, ASnapshotOfAnotherLogOrWithABadRowIsNotUsed) {
  uint64_t committed = 0;
  Checkpointer checkpointer(*log_, store_, [&] { return committed; }, {});
  ASSERT_NO_FATAL_FAILURE(write_up_to(0.3));
  committed = log_->last_position();
  ASSERT_TRUE(checkpointer.checkpoint_now().ok());

  {  // Another log, as long: its chain differs.
    TempDir other_dir;
    auto other = EventLog::open(other_dir.path(), {Durability::kAsync, false});
    ASSERT_TRUE(other.ok());
    std::vector<Event> events(sim_->state().events().begin(),
                              sim_->state().events().begin() + static_cast<ptrdiff_t>(committed));
    events.back().recorded_at_us += 1;
    ASSERT_TRUE((*other)->append(events).ok());
    HotState state;
    Scheduler scheduler;
    std::string why;
    auto restored = read_state_snapshot(store_, **other, state, scheduler, &why);
    ASSERT_TRUE(restored.ok());
    EXPECT_EQ(*restored, 0u);
    EXPECT_NE(why.find("another log"), std::string::npos) << why;
  }
  // A damaged row: nothing is restored, and the state is left empty.
  MemoryStore damaged = store_;
  auto row = std::find_if(damaged.rows_.begin(), damaged.rows_.end(),
                          [](const auto& r) { return r.first[0] == 'k' && r.first[1] == 2; });
  ASSERT_NE(row, damaged.rows_.end());
  row->second = "\xff\xff not a row";
  HotState state;
  Scheduler scheduler;
  std::string why;
  auto restored = read_state_snapshot(damaged, *log_, state, scheduler, &why);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(*restored, 0u);
  EXPECT_NE(why.find("does not parse"), std::string::npos) << why;
  EXPECT_EQ(state.book<Order>().size(), 0u);
  EXPECT_EQ(state.book<Restaurant>().size(), 0u);
  EXPECT_EQ(scheduler.tracked(), 0u);
}

TEST_F(StateSnapshotTest, TheThreadSnapshotsOnItsOwnOnceTheLogGrewEnough) {
  std::atomic<uint64_t> committed{0};
  Checkpointer checkpointer(*log_, store_, [&] { return committed.load(); },
                            {{}, /*every_events=*/1000, std::chrono::milliseconds(5), {}});
  checkpointer.start();
  ASSERT_NO_FATAL_FAILURE(write_up_to(0.5));
  committed = log_->last_position();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  // Until it has followed everything and written what that calls for.
  while ((checkpointer.position() < committed ||
          checkpointer.checkpoint() + checkpointer.due_every() < committed) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  checkpointer.stop();
  ASSERT_EQ(checkpointer.position(), committed.load());
  EXPECT_GE(checkpointer.due_every(), 1000u);
  EXPECT_GE(checkpointer.checkpoint() + checkpointer.due_every(), committed.load())
      << "at most every_events (or the streams held) behind what it followed";
  EXPECT_GT(checkpointer.checkpoint(), 0u);
  ASSERT_TRUE(store_.header_.has_value());
  EXPECT_EQ(store_.header_->checkpoint, checkpointer.checkpoint());
}

// A snapshot writes every stream held, so it waits for the log to grow by
// as many events as there are streams when that is more than every_events:
// its cost stays about one row per event logged however many orders are open.
TEST_F(StateSnapshotTest, TheCadenceGrowsWithTheStreamsHeld) {
  const double total = static_cast<double>(sim_->state().events().size());
  ASSERT_NO_FATAL_FAILURE(write_up_to(0.5));
  const uint64_t half = log_->last_position();
  std::atomic<uint64_t> committed{half};
  Checkpointer checkpointer(*log_, store_, [&] { return committed.load(); },
                            {{}, /*every_events=*/1, std::chrono::milliseconds(2), {}});
  checkpointer.start();
  auto wait_until = [&](auto done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return done();
  };
  ASSERT_TRUE(wait_until([&] { return checkpointer.checkpoint() == half; }));
  const uint64_t streams = checkpointer.due_every();
  ASSERT_GT(streams, 20u) << "the simulation holds many streams halfway";
  ASSERT_LT(half + streams, static_cast<uint64_t>(total)) << "the log goes on past the next one";

  // Half as many events as streams held: followed, no snapshot.
  ASSERT_NO_FATAL_FAILURE(write_up_to(static_cast<double>(half + streams / 2) / total));
  committed = log_->last_position();
  ASSERT_TRUE(wait_until([&] { return checkpointer.position() == committed.load(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polls of 2 ms
  EXPECT_EQ(checkpointer.checkpoint(), half) << "a snapshot before the log grew by its size";
  EXPECT_EQ(store_.writes, 1);

  ASSERT_NO_FATAL_FAILURE(write_up_to(1.0));
  committed = log_->last_position();
  ASSERT_TRUE(wait_until([&] { return checkpointer.checkpoint() > half; }));
  checkpointer.stop();
  EXPECT_GE(checkpointer.checkpoint(), half + streams);
}

}  // namespace
