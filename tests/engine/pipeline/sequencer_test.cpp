// The sequencer (engine/pipeline/sequencer.h) with a real event log: every caller is
// completed exactly once, after its events are durable and applied, with
// dense positions, per-command refusals and a clock that never goes back.
#include "engine/pipeline/sequencer.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using namespace std::chrono_literals;

constexpr auto kDeadline = 30s;

// Records every committed batch, as the read models would apply it.
class RecordingListener : public CommitListener {
 public:
  void on_commit(std::span<const Event> events) override {
    char thread[16] = {};
    pthread_getname_np(pthread_self(), thread, sizeof thread);
    std::lock_guard lock(mu_);
    batches_.emplace_back(events.begin(), events.end());
    threads_.emplace_back(thread);
    for (const Event& e : events) positions_.insert(e.position);
  }
  // The thread that applied each batch.
  std::vector<std::string> threads() const {
    std::lock_guard lock(mu_);
    return threads_;
  }
  bool holds(uint64_t position) const {
    std::lock_guard lock(mu_);
    return positions_.count(position) == 1;
  }
  std::vector<std::vector<Event>> batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mu_);
    std::vector<Event> out;
    for (const auto& b : batches_) out.insert(out.end(), b.begin(), b.end());
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::vector<Event>> batches_;
  std::vector<std::string> threads_;
  std::set<uint64_t> positions_;
};

// Counts completions; waits for a number of them with a deadline.
class Completions {
 public:
  void record() {
    // Notify under the lock: a waiter that sees the last count may destroy
    // this object at once, so nothing may touch it after the unlock.
    std::lock_guard lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  bool wait_for(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kDeadline, [&] { return count_ >= n; });
  }
  size_t count() {
    std::lock_guard lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t count_ = 0;
};

// Blocks the publisher thread inside a command's `done` until opened (and, with
// a pipeline of one batch, the sequencer behind it), so that
// a test can queue commands that must then be taken as one batch. Opens on
// destruction, so that a failed assertion does not leave the sequencer held.
class Gate {
 public:
  Gate() : s_(std::make_shared<State>()) {}
  ~Gate() { open(); }
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  std::function<void(const CommandOutcome&)> blocking_done() {
    return [s = s_](const CommandOutcome&) {
      s->entered.set_value();
      s->opened.wait_for(kDeadline);
    };
  }
  bool wait_entered() {
    return s_->entered_future.wait_for(kDeadline) == std::future_status::ready;
  }
  void open() {
    std::call_once(s_->once, [this] { s_->open.set_value(); });
  }

 private:
  struct State {
    std::promise<void> entered;
    std::future<void> entered_future = entered.get_future();
    std::promise<void> open;
    std::shared_future<void> opened = open.get_future().share();
    std::once_flag once;
  };
  std::shared_ptr<State> s_;
};

class SequencerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Async durability keeps the test fast; group commit and ordering are the
    // same in both modes.
    auto log = EventLog::open(dir_.path() / "log", {Durability::kAsync, false});
    ASSERT_TRUE(log.ok()) << log.error().message;
    log_ = std::move(log).value();
    ASSERT_TRUE(state_.load(*log_).ok());
  }

  // With one batch in the pipeline, a caller whose `done` blocks holds the
  // sequencer too: the commands queued meanwhile form the next batch.
  static Sequencer::Options held_by_its_callers() {
    Sequencer::Options options;
    options.pipeline_depth = 1;
    return options;
  }

  void start(Sequencer::Options options = {}) {
    sequencer_ = std::make_unique<Sequencer>(*log_, state_, listener_, std::move(options));
  }

  std::vector<Event> log_events() {
    std::vector<Event> out;
    Status s = log_->scan(1, UINT64_MAX, [&](const Event& e) {
      out.push_back(e);
      return true;
    });
    EXPECT_TRUE(s.ok());
    return out;
  }

  // Submits one command and waits for its outcome.
  CommandOutcome run(Command command) {
    std::promise<CommandOutcome> promise;
    auto future = promise.get_future();
    command.done = [&promise](const CommandOutcome& o) { promise.set_value(o); };
    EXPECT_TRUE(sequencer_->submit(std::move(command)));
    if (future.wait_for(kDeadline) != std::future_status::ready) {
      ADD_FAILURE() << "no outcome within the deadline";
      return Error{ErrorCode::kUnavailable, "timeout", "", {}};
    }
    return future.get();
  }

  TempDir dir_;
  std::unique_ptr<EventLog> log_;
  HotState state_;
  RecordingListener listener_;
  std::unique_ptr<Sequencer> sequencer_;  // declared last: stopped first
};

TEST_F(SequencerTest, CompletesEveryCallerOnceWithDensePositionsUnderConcurrency) {
  start();
  constexpr int kThreads = 2, kPerThread = 500, kTotal = kThreads * kPerThread;
  const Uuid restaurants[kThreads] = {Uuid::v7(), Uuid::v7()};
  std::vector<std::atomic<int>> calls(kTotal);
  std::vector<CommandOutcome> outcomes(kTotal,
                                       Error{ErrorCode::kUnavailable, "not completed", "", {}});
  std::atomic<int> applied_late{0}, uncommitted{0}, refused_submits{0};
  Completions completions;

  auto submitter = [&](int t) {
    for (int i = 0; i < kPerThread; ++i) {
      const int index = t * kPerThread + i;
      Command c =
          i == 0 ? register_restaurant(restaurants[t]) : place_order(Uuid::v7(), restaurants[t]);
      c.done = [&, index](const CommandOutcome& o) {
        if (o.ok()) {
          if (!listener_.holds(o->position)) ++applied_late;
          if (sequencer_->committed_position() < o->position) ++uncommitted;
        }
        outcomes[static_cast<size_t>(index)] = o;
        ++calls[static_cast<size_t>(index)];
        completions.record();
      };
      if (!sequencer_->submit(std::move(c))) ++refused_submits;
    }
  };
  std::thread a(submitter, 0), b(submitter, 1);
  a.join();
  b.join();
  ASSERT_EQ(refused_submits.load(), 0);
  ASSERT_TRUE(completions.wait_for(kTotal))
      << completions.count() << " of " << kTotal << " completed";

  for (int i = 0; i < kTotal; ++i) {
    EXPECT_EQ(calls[static_cast<size_t>(i)].load(), 1) << "command " << i;
    EXPECT_TRUE(outcomes[static_cast<size_t>(i)].ok())
        << "command " << i << ": " << outcomes[static_cast<size_t>(i)].error().message;
  }
  EXPECT_EQ(applied_late.load(), 0) << "a caller completed before its events reached the listener";
  EXPECT_EQ(uncommitted.load(), 0) << "a caller completed before the committed position covered it";

  const auto events = log_events();
  ASSERT_EQ(events.size(), static_cast<size_t>(kTotal));
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].position, i + 1);
  EXPECT_EQ(log_->last_position(), static_cast<uint64_t>(kTotal));
  EXPECT_EQ(sequencer_->committed_position(), static_cast<uint64_t>(kTotal));
  EXPECT_EQ(listener_.events(), events) << "the listener saw something other than the log";

  // Each restaurant's orders are numbered 1..499 in its submitter's order.
  std::map<Uuid, uint64_t> last_number;
  for (int i = 0; i < kTotal; ++i) {
    const auto& o = outcomes[static_cast<size_t>(i)];
    if (!o.ok() || i % kPerThread == 0) continue;
    const auto& placed = std::get<OrderPlaced>(events.at(o->position - 1).payload);
    uint64_t& last = last_number[placed.restaurant_id];
    EXPECT_EQ(placed.number, last + 1);
    last = placed.number;
  }
  EXPECT_EQ(last_number[restaurants[0]], static_cast<uint64_t>(kPerThread - 1));
  EXPECT_EQ(last_number[restaurants[1]], static_cast<uint64_t>(kPerThread - 1));
}

TEST_F(SequencerTest, DecidesEachCommandOfABatchOnItsOwn) {
  start(held_by_its_callers());
  const Uuid r = Uuid::v7();
  Gate gate;
  Command first = register_restaurant(r);
  first.done = gate.blocking_done();
  ASSERT_TRUE(sequencer_->submit(std::move(first)));
  ASSERT_TRUE(gate.wait_entered());

  // Queued while the sequencer is held: taken together as the next batch.
  std::promise<CommandOutcome> p[3];
  Command cmds[3] = {place_order(Uuid::v7(), r), place_order(Uuid::v7(), Uuid::v7()),
                     place_order(Uuid::v7(), r)};
  for (int i = 0; i < 3; ++i) {
    cmds[i].done = [&p, i](const CommandOutcome& o) { p[i].set_value(o); };
    ASSERT_TRUE(sequencer_->submit(std::move(cmds[i])));
  }
  gate.open();
  std::vector<CommandOutcome> outcomes;
  for (auto& promise : p) {
    auto f = promise.get_future();
    ASSERT_EQ(f.wait_for(kDeadline), std::future_status::ready);
    outcomes.push_back(f.get());
  }
  ASSERT_TRUE(outcomes[0].ok()) << outcomes[0].error().message;
  ASSERT_FALSE(outcomes[1].ok());
  EXPECT_EQ(outcomes[1].error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(outcomes[2].ok()) << outcomes[2].error().message;
  EXPECT_EQ(outcomes[0]->position, 2u);
  EXPECT_EQ(outcomes[2]->position, 3u);

  const auto batches = listener_.batches();
  ASSERT_EQ(batches.size(), 2u);
  ASSERT_EQ(batches[1].size(), 2u);
  EXPECT_EQ(std::get<OrderPlaced>(batches[1][0].payload).reference, "A001-000001");
  EXPECT_EQ(std::get<OrderPlaced>(batches[1][1].payload).reference, "A001-000002");
  EXPECT_EQ(log_->last_position(), 3u);
}

TEST_F(SequencerTest, CompletesARefusedCommandWithoutWritingAnything) {
  start();
  auto outcome = run(place_order(Uuid::v7(), Uuid::v7()));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(log_->last_position(), 0u);
  EXPECT_TRUE(listener_.batches().empty());
  EXPECT_EQ(sequencer_->committed_position(), 0u);
}

TEST_F(SequencerTest, StampsEachBatchWithTheClockAndNeverGoesBackInTime) {
  const std::vector<int64_t> readings = {5'000'000, 4'000'000, 3'000'000, 9'000'000, 8'000'000};
  auto calls = std::make_shared<std::atomic<size_t>>(0);
  Sequencer::Options options;
  options.clock = [readings, calls] {
    return readings[std::min(calls->fetch_add(1), readings.size() - 1)];
  };
  start(std::move(options));

  const Uuid r = Uuid::v7();
  ASSERT_TRUE(run(register_restaurant(r)).ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(run(place_order(Uuid::v7(), r)).ok());

  std::vector<int64_t> stamped;
  for (const Event& e : log_events()) stamped.push_back(e.recorded_at_us);
  EXPECT_EQ(stamped, (std::vector<int64_t>{5'000'000, 5'000'000, 5'000'000, 9'000'000, 9'000'000}));
  EXPECT_EQ(calls->load(), 5u) << "the clock is read once per batch";
}

TEST_F(SequencerTest, KeepsTimeMovingForwardAcrossARestart) {
  {
    Sequencer::Options options;
    options.clock = [] { return int64_t{7'000'000}; };
    start(std::move(options));
    ASSERT_TRUE(run(register_restaurant(Uuid::v7())).ok());
    sequencer_.reset();
  }
  HotState reloaded;
  ASSERT_TRUE(reloaded.load(*log_).ok());
  Sequencer::Options options;
  options.clock = [] { return int64_t{1'000}; };  // the clock went back while we were down
  RecordingListener listener;
  Sequencer restarted(*log_, reloaded, listener, std::move(options));
  EXPECT_EQ(restarted.committed_position(), 1u);

  std::promise<CommandOutcome> p;
  Command c = register_restaurant(Uuid::v7());
  c.done = [&p](const CommandOutcome& o) { p.set_value(o); };
  ASSERT_TRUE(restarted.submit(std::move(c)));
  auto f = p.get_future();
  ASSERT_EQ(f.wait_for(kDeadline), std::future_status::ready);
  auto outcome = f.get();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->position, 2u);
  const auto events = log_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].recorded_at_us, 7'000'000);
}

TEST_F(SequencerTest, RefusesSubmissionsBeyondTheQueueCapacityWithoutCallingDone) {
  Sequencer::Options options;
  options.queue_capacity = 3;
  options.pipeline_depth = 1;
  start(std::move(options));
  Gate gate;
  Command first = register_restaurant(Uuid::v7());
  first.done = gate.blocking_done();
  ASSERT_TRUE(sequencer_->submit(std::move(first)));
  ASSERT_TRUE(gate.wait_entered());  // the queue is empty again, the sequencer held

  Completions completions;
  std::atomic<int> refused_done{0};
  for (int i = 0; i < 3; ++i) {
    Command c = register_restaurant(Uuid::v7());
    c.done = [&](const CommandOutcome&) { completions.record(); };
    ASSERT_TRUE(sequencer_->submit(std::move(c))) << i;
  }
  Command extra = register_restaurant(Uuid::v7());
  extra.done = [&](const CommandOutcome&) { ++refused_done; };
  EXPECT_FALSE(sequencer_->submit(std::move(extra)));

  gate.open();
  ASSERT_TRUE(completions.wait_for(3));
  sequencer_.reset();
  EXPECT_EQ(refused_done.load(), 0);
  EXPECT_EQ(log_->last_position(), 4u);
}

TEST_F(SequencerTest, KeepsBatchesWithinTheMaximum) {
  Sequencer::Options options;
  options.max_batch = 4;
  options.pipeline_depth = 1;
  start(std::move(options));
  Gate gate;
  Command first = register_restaurant(Uuid::v7());
  first.done = gate.blocking_done();
  ASSERT_TRUE(sequencer_->submit(std::move(first)));
  ASSERT_TRUE(gate.wait_entered());

  Completions completions;
  for (int i = 0; i < 10; ++i) {
    Command c = register_restaurant(Uuid::v7());
    c.done = [&](const CommandOutcome&) { completions.record(); };
    ASSERT_TRUE(sequencer_->submit(std::move(c)));
  }
  gate.open();
  ASSERT_TRUE(completions.wait_for(10));
  std::vector<size_t> sizes;
  for (const auto& b : listener_.batches()) sizes.push_back(b.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 4, 4, 2}));
}

TEST_F(SequencerTest, CompletesQueuedCommandsWhenDestroyed) {
  Sequencer::Options options;
  options.max_batch = 2;  // many batches, so that commands are still queued at shutdown
  options.pipeline_depth = 1;
  start(std::move(options));
  Gate gate;
  Command first = register_restaurant(Uuid::v7());
  first.done = gate.blocking_done();
  ASSERT_TRUE(sequencer_->submit(std::move(first)));
  ASSERT_TRUE(gate.wait_entered());

  constexpr int kQueued = 40;
  std::vector<std::atomic<int>> calls(kQueued);
  std::atomic<int> ok{0};
  for (int i = 0; i < kQueued; ++i) {
    Command c = register_restaurant(Uuid::v7());
    c.done = [&, i](const CommandOutcome& o) {
      ++calls[static_cast<size_t>(i)];
      if (o.ok()) ++ok;
    };
    ASSERT_TRUE(sequencer_->submit(std::move(c)));
  }
  gate.open();
  sequencer_.reset();  // returns only once the queue is drained

  for (int i = 0; i < kQueued; ++i) EXPECT_EQ(calls[static_cast<size_t>(i)].load(), 1) << i;
  EXPECT_EQ(ok.load(), kQueued);
  EXPECT_EQ(log_->last_position(), static_cast<uint64_t>(kQueued + 1));
}

TEST_F(SequencerTest, StartsAfterWhatTheLogAlreadyHolds) {
  start();
  const Uuid r = Uuid::v7();
  ASSERT_TRUE(run(register_restaurant(r)).ok());
  ASSERT_TRUE(run(place_order(Uuid::v7(), r)).ok());
  sequencer_.reset();

  start();  // same state and log: continues at position 3, number 2
  EXPECT_EQ(sequencer_->committed_position(), 2u);
  auto outcome = run(place_order(Uuid::v7(), r));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->position, 3u);
  EXPECT_EQ(std::get<OrderPlaced>(log_events().back().payload).reference, "A001-000002");
}

}  // namespace

namespace {

// A write seam that lets a test hold the writer inside one write and decide
// whether it fails, while the sequencer goes on deciding on top of it.
class FaultyWriter {
 public:
  explicit FaultyWriter(EventLog& log) : log_(log) {}

  std::function<Status(std::span<const EncodedBatch* const>)> seam() {
    return [this](std::span<const EncodedBatch* const> units) -> Status {
      std::unique_lock lock(mu_);
      ++writes_;
      if (writes_ == fail_write_) return Error{ErrorCode::kIoError, "injected: I/O error", "", {}};
      if (writes_ == keep_and_fail_write_) {
        // The data reached the log, but the sync reported an error.
        Status kept = log_.append(units);
        EXPECT_TRUE(kept.ok());
        return Error{ErrorCode::kIoError, "injected: fsync failed", "", {}};
      }
      if (writes_ == hold_write_) {
        held_ = true;
        cv_.notify_all();
        cv_.wait_for(lock, kDeadline, [&] { return released_; });
        if (fail_held_) return Error{ErrorCode::kIoError, "injected: disk full", "", {}};
      }
      lock.unlock();
      return log_.append(units);
    };
  }
  // The `n`th write blocks until release(); it then fails if `fail`.
  void hold(int n, bool fail) {
    std::lock_guard lock(mu_);
    hold_write_ = n;
    fail_held_ = fail;
  }
  // The `n`th write fails at once.
  void fail(int n) {
    std::lock_guard lock(mu_);
    fail_write_ = n;
  }
  // The `n`th write is written, then reported as failed (a failed fsync
  // whose data reached the disk all the same).
  void keep_and_fail(int n) {
    std::lock_guard lock(mu_);
    keep_and_fail_write_ = n;
  }
  bool wait_held() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kDeadline, [&] { return held_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  EventLog& log_;
  std::mutex mu_;
  std::condition_variable cv_;
  int writes_ = 0;
  int hold_write_ = -1;
  int fail_write_ = -1;
  int keep_and_fail_write_ = -1;
  bool fail_held_ = false;
  bool held_ = false;
  bool released_ = false;
};

// Declared after the locals a sequencer points into (a FaultyWriter, a
// counter its seams use): stops the sequencer, releasing a held write first,
// before they are destroyed, also when an ASSERT ends the test early.
class StopSequencerFirst {
 public:
  StopSequencerFirst(std::unique_ptr<Sequencer>& sequencer, FaultyWriter& writer)
      : sequencer_(sequencer), writer_(writer) {}
  ~StopSequencerFirst() {
    writer_.release();
    sequencer_.reset();
  }
  StopSequencerFirst(const StopSequencerFirst&) = delete;
  StopSequencerFirst& operator=(const StopSequencerFirst&) = delete;

 private:
  std::unique_ptr<Sequencer>& sequencer_;
  FaultyWriter& writer_;
};

// Counts the sequencer's batch decisions (it reads the clock once per batch).
class CountingClock {
 public:
  std::function<int64_t()> fn() {
    return [this] {
      std::lock_guard lock(mu_);
      ++reads_;
      cv_.notify_all();
      return int64_t{1'795'000'000'000'000} + reads_;
    };
  }
  bool wait_reads(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kDeadline, [&] { return reads_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int reads_ = 0;
};

// Submits without waiting; the future holds the outcome.
std::future<CommandOutcome> submit_async(Sequencer& s, Command command) {
  auto promise = std::make_shared<std::promise<CommandOutcome>>();
  auto future = promise->get_future();
  command.done = [promise](const CommandOutcome& o) { promise->set_value(o); };
  EXPECT_TRUE(s.submit(std::move(command)));
  return future;
}

CommandOutcome get(std::future<CommandOutcome>& f) {
  if (f.wait_for(kDeadline) != std::future_status::ready)
    return Error{ErrorCode::kIoError, "timeout", "", {}};
  return f.get();
}

// A pipeline whose writes go through a FaultyWriter and whose batch
// decisions are counted by a CountingClock.
class FaultySequencerTest : public SequencerTest {
 protected:
  void SetUp() override {
    SequencerTest::SetUp();
    writer_.emplace(*log_);
    Sequencer::Options options;
    options.write = writer_->seam();
    options.clock = clock_.fn();
    // These tests hold a write and decide more on top of it: every batch
    // goes through the writer thread.
    options.write_lone_commands_inline = false;
    start(std::move(options));
  }

  void TearDown() override {
    // writer_ and clock_ are destroyed before the base's sequencer_.
    writer_->release();
    sequencer_.reset();
  }

  std::optional<FaultyWriter> writer_;
  CountingClock clock_;
};

TEST_F(FaultySequencerTest, AFailedWriteFailsItsBatchAndEveryBatchDecidedOnTopOfIt) {
  const Uuid restaurant = Uuid::v7();
  ASSERT_TRUE(run(register_restaurant(restaurant)).ok());  // write 1
  writer_->hold(2, /*fail=*/true);
  const Uuid first = Uuid::v7(), second = Uuid::v7();
  auto a = submit_async(*sequencer_, place_order(first, restaurant));
  ASSERT_TRUE(writer_->wait_held());
  // Decided while the first is still being written, on top of it.
  auto b = submit_async(*sequencer_, place_order(second, restaurant));
  ASSERT_TRUE(clock_.wait_reads(3));
  auto b_status = submit_async(*sequencer_, change_status(first, "accepted", owner()));
  ASSERT_TRUE(clock_.wait_reads(4));
  writer_->release();

  for (auto* f : {&a, &b, &b_status}) {
    CommandOutcome o = get(*f);
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_EQ(sequencer_->committed_position(), 1u);
  EXPECT_EQ(log_->last_position(), 1u);

  // The state was taken back from the log: the failed order does not exist,
  // and the next order gets the first reference and the next position.
  CommandOutcome missing = run(change_status(first, "accepted", owner()));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.needs_load(), first);
  CommandOutcome third = run(place_order(Uuid::v7(), restaurant));
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(third->position, 2u);
  auto events = log_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<OrderPlaced>(events[1].payload).reference, "A001-000001");
}

TEST_F(FaultySequencerTest, DecidesTheNextBatchWhileTheWriterSyncsThePrevious) {
  const Uuid restaurant = Uuid::v7();
  writer_->hold(1, /*fail=*/false);
  auto reg = submit_async(*sequencer_, register_restaurant(restaurant));
  ASSERT_TRUE(writer_->wait_held());
  // The restaurant is not durable yet, but the order is decided on top of it.
  auto order = submit_async(*sequencer_, place_order(Uuid::v7(), restaurant));
  ASSERT_TRUE(clock_.wait_reads(2));
  EXPECT_EQ(sequencer_->committed_position(), 0u)
      << "nothing is committed before the write returns";
  EXPECT_TRUE(listener_.batches().empty()) << "nothing is published before the write returns";
  writer_->release();
  ASSERT_TRUE(get(reg).ok());
  CommandOutcome placed = get(order);
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  EXPECT_EQ(placed->position, 2u);
}

// Which thread called the write seam, for each write.
std::function<Status(std::span<const EncodedBatch* const>)> recording_writer(
    EventLog& log, std::vector<std::string>& threads, std::mutex& mu) {
  return [&log, &threads, &mu](std::span<const EncodedBatch* const> batches) {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    {
      std::lock_guard lock(mu);
      threads.emplace_back(name);
    }
    return log.append(batches);
  };
}

TEST_F(SequencerTest, ALoneCommandIsWrittenWithoutAHandOff) {
  std::vector<std::string> threads;
  std::mutex mu;
  Sequencer::Options options;
  options.write = recording_writer(*log_, threads, mu);
  start(std::move(options));
  ASSERT_TRUE(run(register_restaurant(Uuid::v7())).ok());
  ASSERT_TRUE(run(register_restaurant(Uuid::v7())).ok());
  sequencer_.reset();
  EXPECT_EQ(threads, (std::vector<std::string>{"sequencer", "sequencer"}));
  EXPECT_EQ(listener_.batches().size(), 2u) << "published, in order";
}

TEST_F(SequencerTest, WithoutInlineWritesTheWriterThreadWrites) {
  std::vector<std::string> threads;
  std::mutex mu;
  Sequencer::Options options;
  options.write = recording_writer(*log_, threads, mu);
  options.write_lone_commands_inline = false;
  start(std::move(options));
  ASSERT_TRUE(run(register_restaurant(Uuid::v7())).ok());
  sequencer_.reset();
  EXPECT_EQ(threads, (std::vector<std::string>{"writer"}));
}

TEST_F(SequencerTest, RefusesCommandsBeyondTheQueuesByteBound) {
  Sequencer::Options options;
  options.queue_bytes = 1000;
  options.pipeline_depth = 1;  // the sequencer waits while the first batch is written
  FaultyWriter writer(*log_);
  options.write = writer.seam();
  start(std::move(options));
  StopSequencerFirst stop_first(sequencer_, writer);
  writer.hold(1, false);
  Command big = register_restaurant(Uuid::v7());
  big.bytes = 600;
  auto first = submit_async(*sequencer_, std::move(big));
  ASSERT_TRUE(writer.wait_held());  // the first is taken off the queue
  Command queued = register_restaurant(Uuid::v7());
  queued.bytes = 600;
  auto second = submit_async(*sequencer_, std::move(queued));
  Command refused = register_restaurant(Uuid::v7());
  refused.bytes = 600;
  EXPECT_FALSE(sequencer_->submit(std::move(refused)))
      << "600 + 600 bytes exceed the bound of 1000";
  writer.release();
  EXPECT_TRUE(get(first).ok());
  EXPECT_TRUE(get(second).ok());
}

}  // namespace

namespace {

TEST_F(FaultySequencerTest, AReplayWrittenInTheSameGroupAsAFailedBatchFailsToo) {
  const Uuid restaurant = Uuid::v7();
  ASSERT_TRUE(run(register_restaurant(restaurant)).ok());  // write 1
  writer_->hold(2, /*fail=*/false);
  writer_->fail(3);
  auto earlier = submit_async(*sequencer_, place_order(Uuid::v7(), restaurant));
  ASSERT_TRUE(writer_->wait_held());
  // While write 2 syncs, an order with a key and its retry are decided: the
  // retry is a replay with no events of its own. Both wait for write 3.
  Command first = place_order(Uuid::v7(), restaurant);
  first.idempotency_scope = "admin:4:root|POST /v1/orders|k";
  first.request_hash = 7;
  Command retry = place_order(Uuid::v7(), restaurant);
  retry.idempotency_scope = first.idempotency_scope;
  retry.request_hash = 7;
  auto placed = submit_async(*sequencer_, std::move(first));
  ASSERT_TRUE(clock_.wait_reads(3));
  auto replayed = submit_async(*sequencer_, std::move(retry));
  ASSERT_TRUE(clock_.wait_reads(4));
  writer_->release();

  ASSERT_TRUE(get(earlier).ok());
  for (auto* f : {&placed, &replayed}) {
    CommandOutcome o = get(*f);
    ASSERT_FALSE(o.ok()) << "acknowledged an order that was never written";
    EXPECT_EQ(o.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_EQ(log_->last_position(), 2u);
}

}  // namespace

namespace {

TEST_F(FaultySequencerTest, UnderLoadThePublisherThreadPublishesWhileTheNextWriteSyncs) {
  const Uuid restaurant = Uuid::v7();
  writer_->hold(1, /*fail=*/false);
  auto reg = submit_async(*sequencer_, register_restaurant(restaurant));
  ASSERT_TRUE(writer_->wait_held());
  auto first = submit_async(*sequencer_, place_order(Uuid::v7(), restaurant));
  ASSERT_TRUE(clock_.wait_reads(2));
  auto second = submit_async(*sequencer_, place_order(Uuid::v7(), restaurant));
  ASSERT_TRUE(clock_.wait_reads(3));  // so the first order's batch is queued for the writer
  writer_->release();
  for (auto* f : {&reg, &first, &second}) ASSERT_TRUE(get(*f).ok());
  const auto threads = listener_.threads();
  ASSERT_FALSE(threads.empty());
  EXPECT_EQ(threads.front(), "publisher")
      << "with a batch waiting to be written, the writer hands publishing on";
}

TEST_F(SequencerTest, AFailedSyncThatReachedTheLogIsPublishedOnRecovery) {
  FaultyWriter writer(*log_);
  Sequencer::Options options;
  options.write = writer.seam();
  start(std::move(options));
  StopSequencerFirst stop_first(sequencer_, writer);
  const Uuid restaurant = Uuid::v7();
  ASSERT_TRUE(run(register_restaurant(restaurant)).ok());  // write 1
  writer.keep_and_fail(2);
  CommandOutcome unknown = run(place_order(Uuid::v7(), restaurant));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(unknown.error().message.find("may or may not"), std::string::npos);

  // The next command finds the log holding the order after all: it is
  // published (read models, feed) before anything new is decided.
  CommandOutcome next = run(place_order(Uuid::v7(), restaurant));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->position, 3u);
  EXPECT_TRUE(listener_.holds(2)) << "an event the log holds never reached the read models";
  EXPECT_EQ(sequencer_->committed_position(), 3u);
  EXPECT_EQ(listener_.events(), log_events());
}

// Lone commands: each is written by the sequencer itself (the inline path).
TEST_F(SequencerTest, AnswersEveryCommand503WhileTheLogCannotBeRecovered) {
  FaultyWriter writer(*log_);
  std::atomic<int> reload_attempts{0};
  Sequencer::Options options;
  options.write = writer.seam();
  options.reload_fault = [&]() -> Status {
    if (reload_attempts++ == 0) return Error{ErrorCode::kIoError, "injected: still broken", "", {}};
    return {};
  };
  start(std::move(options));
  StopSequencerFirst stop_first(sequencer_, writer);

  const Uuid restaurant = Uuid::v7();
  ASSERT_TRUE(run(register_restaurant(restaurant)).ok());  // write 1
  writer.fail(2);
  CommandOutcome failed = run(place_order(Uuid::v7(), restaurant));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);

  // The first recovery attempt fails: nothing is decided, the caller gets 503.
  CommandOutcome while_broken = run(place_order(Uuid::v7(), restaurant));
  ASSERT_FALSE(while_broken.ok());
  EXPECT_EQ(while_broken.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(while_broken.error().message.find("nothing was recorded"), std::string::npos);

  // The next attempt succeeds: writes go on, positions dense.
  CommandOutcome recovered = run(place_order(Uuid::v7(), restaurant));
  ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_EQ(recovered->position, 2u);
  EXPECT_EQ(reload_attempts.load(), 2);
}

}  // namespace
