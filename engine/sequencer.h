// The sequencer: one thread that owns the aggregates, takes every command
// waiting in its bounded queue as one batch, decides each, writes the batch's
// events as one WriteBatch (one WAL write, one sync), applies them to the
// read models through the CommitListener, and only then completes callers.
// Batch size follows load: a lone command is written at once, with no timer.
//
// Threads: submit() and committed_position() are safe on any thread; the
// listener and every command's `done` run on the sequencer thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>

#include "engine/aggregates.h"
#include "engine/commands.h"
#include "engine/event_log.h"

namespace comanda::engine {

// Receives each durable batch, in log order, before its callers complete.
class CommitListener {
 public:
  virtual ~CommitListener() = default;
  virtual void on_commit(std::span<const Event> events) = 0;
};

class Sequencer {
 public:
  struct Options {
    size_t queue_capacity = 65536;  // commands waiting; beyond it submit() refuses
    size_t max_batch = 8192;        // commands decided and written together
    // Wall clock in UTC microseconds; replaceable in tests.
    std::function<int64_t()> clock;
  };

  // `log`, `state` and `listener` must outlive the sequencer. `state` must
  // already hold what the log holds. The thread starts at once.
  Sequencer(EventLog& log, Aggregates& state, CommitListener& listener, Options options);
  // Stops accepting, decides and writes what is queued, then joins.
  ~Sequencer();
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Queues a command. Returns false, without calling `done`, when the queue is
  // full or the sequencer is stopping: the caller answers 503.
  bool submit(Command&& command);

  // The last position that is durable and applied to the read models.
  uint64_t committed_position() const { return committed_.load(std::memory_order_acquire); }

 private:
  void run();
  void process(std::vector<Command>& batch);

  EventLog& log_;
  Aggregates& state_;
  CommitListener& listener_;
  Options options_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Command> queue_;
  bool stopping_ = false;

  std::atomic<uint64_t> committed_{0};
  // Sequencer-thread buffers, reused batch after batch.
  std::vector<Event> events_;
  std::vector<CommandOutcome> outcomes_;
  std::thread thread_;
};

}  // namespace comanda::engine
