// Snapshots of the sequencer's state, written off the hot path (DESIGN.md
// "Storage"): a thread of its own follows the committed log into a second
// copy of that state (the hot state and the scheduler's open orders, as a
// restart rebuilds them) and writes it to a StateStore every `every_events`
// events. The sequencer is never paused or read: the copy is built from the
// log alone, so a snapshot is exactly the state a replay up to its
// checkpoint gives (engine/pipeline/state_snapshot.h).
//
// The copy drops finished streams after the hot window by the log's own
// recorded times, and reads one back from the log when a later event
// continues it (HotState::follow), so its memory is the sequencer's hot set.
//
// Threads: start(), stop() and checkpoint_now() from one owner; position()
// and checkpoint() on any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/base/error.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/scheduler.h"
#include "engine/pipeline/state_snapshot.h"

namespace comanda::engine {

class Checkpointer {
 public:
  struct Options {
    HotState::Options state;
    // A snapshot once the log has grown this much past the last one, or by
    // as many events as the state holds streams if that is more: a restart
    // after a crash replays at most about the larger, and a snapshot, which
    // writes every stream held, costs at most about one row per event logged.
    uint64_t every_events = 250'000;
    // How often the thread reads what the log committed since.
    std::chrono::milliseconds poll{1000};
    // Called on the thread after each snapshot it writes, for other state
    // that shares the cadence (comandad snapshots its read models there).
    std::function<Status()> after_each;
  };
  // The last position the log holds durably (the sequencer's committed one).
  using Committed = std::function<uint64_t()>;

  Checkpointer(const EventLog& log, StateStore& store, Committed committed, Options options);
  ~Checkpointer() { stop(); }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The thread: it starts from the store's snapshot (or from the log's
  // beginning without a usable one) and follows the log.
  void start();
  void stop();

  // Catches up with the committed log (or up to `up_to`, the log's end once
  // the sequencer has stopped) and writes a snapshot there unless the last
  // one is there already: a clean stop, tests. Blocks while the thread works.
  Status checkpoint_now(std::optional<uint64_t> up_to = std::nullopt);

  // The last position followed, and that of the last snapshot written.
  uint64_t position() const { return position_.load(std::memory_order_acquire); }
  uint64_t checkpoint() const { return checkpoint_.load(std::memory_order_acquire); }
  // How far past checkpoint() the next snapshot is due (every_events, or the
  // streams the copy held when it last looked, if more).
  uint64_t due_every() const { return due_every_.load(std::memory_order_acquire); }

 private:
  // Under work_mu_: the copy loaded once, brought up to the committed log.
  Status catch_up(uint64_t to);
  // The state's snapshot at position(); then, if `with_others`, after_each.
  Status write(bool with_others);
  void run();

  const EventLog& log_;
  StateStore& store_;
  Committed committed_;
  Options options_;

  std::mutex work_mu_;  // the copy: one user at a time
  HotState state_;
  Scheduler scheduler_;  // never started: it only keeps the open orders
  bool loaded_ = false;
  std::atomic<uint64_t> position_{0};
  std::atomic<uint64_t> checkpoint_{0};
  std::atomic<uint64_t> due_every_{0};
  std::atomic<bool> leave_{false};  // stop(): leave a catch-up at a chunk's end

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace comanda::engine
