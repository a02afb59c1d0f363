// The write pipeline (DESIGN.md "The write path"), three threads:
//
// - the *sequencer* owns the aggregates. It takes every command waiting in
//   its bounded queue as one batch, decides each against current state and
//   applies the accepted ones at once, so that batch N+1 is decided on top of
//   batch N while N is still being written (an overlay); then it encodes the
//   batch (envelopes, checksums, hash-chain link);
// - the *writer* takes every batch decided meanwhile and writes them as one
//   WriteBatch: one WAL write, one sync in `sync` mode (group commit), each
//   batch keeping its own link of the hash chain;
// - the *publisher*, once a batch is durable, applies it to the read models
//   through the CommitListener, advances the committed position, and only
//   then completes the batch's callers. When the publisher thread has
//   nothing in hand and no batch waits to be written, the writer publishes
//   what it just wrote itself: at low load that saves a thread hand-off
//   (tens of microseconds) per command.
//
// Batch size follows load: a lone command is written at once, with no timer.
// At the lowest load (a lone command, nothing else waiting, the writer idle)
// the sequencer writes and publishes it itself, two hand-offs fewer; as soon
// as more is waiting, batches go through the writer and overlap as above.
// A failed write fails that batch and every batch decided on top of it; none
// is acknowledged (callers get kUnavailable), and the sequencer reloads its
// state from the log before deciding anything else.
//
// Threads: submit() and committed_position() are safe on any thread; the
// listener and every command's `done` run on the publisher stage: the
// publisher thread, or, when it is idle, the writer or the sequencer thread
// (so they must not block: post slow work elsewhere). One batch at a time,
// in log order, never two at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>

#include "engine/base/blocking_queue.h"
#include "engine/log/encoded_batch.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/command.h"
#include "engine/pipeline/hot_state.h"

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
    size_t queue_bytes = 64 << 20;  // their approximate size (Command::bytes)
    size_t max_batch = 8192;        // commands decided and written together
    size_t max_batch_bytes = 8 << 20;
    size_t pipeline_depth = 16;  // batches between deciding and completing
    // A lone command, arriving with nothing else waiting and the writer idle,
    // is written and published by the sequencer thread itself: at low load
    // that saves two thread hand-offs (tens of microseconds on a VM) per
    // command. Tests of the pipeline's overlap turn it off.
    bool write_lone_commands_inline = true;
    // Wall clock in UTC microseconds; replaceable in tests.
    std::function<int64_t()> clock;
    // Writes batches as one WriteBatch; defaults to the log's append(). A
    // seam for tests that inject write failures.
    std::function<Status(std::span<const EncodedBatch* const>)> write;
    // Called before each attempt to reload after a failed write; an error
    // makes the attempt fail. A seam for tests of a log that stays broken.
    std::function<Status()> reload_fault;
    // Told of each write of the log that succeeded: its events and how long
    // the write (and in sync mode its fsync) took. On the writing thread:
    // it must be quick and never block (a few counters).
    std::function<void(uint64_t events, std::chrono::nanoseconds took)> on_write;
  };

  // `log`, `state` and `listener` must outlive the sequencer. `state` must
  // already hold what the log holds. The threads start at once.
  Sequencer(EventLog& log, HotState& state, CommitListener& listener, Options options);
  // Stops accepting, decides, writes and completes what is queued, then joins.
  ~Sequencer();
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Queues a command. Returns false, without calling `done`, when the queue is
  // full (by count or bytes) or the sequencer is stopping: the caller answers
  // 503 with Retry-After.
  bool submit(Command&& command);

  // Whether writes are being taken: false after a failed write until the
  // log is reloaded (meanwhile commands answer 503).
  bool writing() const { return !broken_.load(std::memory_order_acquire); }

  // The last position that is durable and applied to the read models.
  uint64_t committed_position() const { return committed_.load(std::memory_order_acquire); }

 private:
  struct Batch {
    std::vector<Command> commands;
    std::vector<CommandOutcome> outcomes;
    std::vector<Event> events;
    std::vector<IdempotencyRecord> idempotency;
    EncodedBatch encoded;  // the events in stored form, encoded by the sequencer
    uint64_t epoch = 0;    // the state generation it was decided on
    bool failed = false;
  };
  using BatchPtr = std::unique_ptr<Batch>;

  void run_sequencer();
  void run_writer();
  void run_publisher();
  // Writes `taken` as one WriteBatch, then publishes it or hands it to the
  // publisher. The writer thread's work; the sequencer's too when
  // pipeline_idle(): never both at once.
  void write_group(std::vector<BatchPtr>& taken, std::vector<const EncodedBatch*>& units);
  // No command waiting and the writer idle with nothing sent to it (sequencer thread).
  bool pipeline_idle();
  void publish(Batch& batch);  // the publisher stage's work for one batch
  // After a reload: publishes what the log holds beyond the committed
  // position (a failed sync that reached the disk after all). Sequencer
  // thread, with the writer idle.
  Status publish_recovered();
  // Moves what is waiting (up to the batch bounds) into the batch, whose
  // command list must be empty. False: stopping and nothing left.
  bool take_commands(Batch& batch);
  // False when the log cannot be resumed or reloaded yet.
  bool recover_after_failed_write();

  EventLog& log_;
  HotState& state_;
  CommitListener& listener_;
  Options options_;

  // The command queue.
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Command> queue_;  // oldest first
  size_t queued_bytes_ = 0;
  bool stopping_ = false;

  // The pipeline: empty batches go round free -> writer -> publisher -> free.
  BlockingQueue<BatchPtr> free_;
  BlockingQueue<BatchPtr> to_writer_;
  BlockingQueue<BatchPtr> to_publisher_;
  // Batches published so far (written by the publisher stage). The writing
  // side publishes a group itself only when this equals the batches it
  // handed on before the group: then the publisher thread has nothing in hand.
  std::atomic<uint64_t> published_{0};
  uint64_t handed_on_ = 0;  // the writing side: batches before the current group

  // Sequencer thread only.
  uint64_t next_position_ = 1;
  ChainLink chain_head_{};  // link of the last batch decided
  ChainHasher hasher_;
  uint64_t epoch_ = 0;
  uint64_t batches_sent_ = 0;
  std::vector<BatchPtr> inline_group_;  // a lone batch the sequencer writes itself
  std::vector<const EncodedBatch*> inline_units_;

  // Failure handling, shared by the sequencer and the writer; batches_written_
  // also tells the sequencer that the writer is idle.
  std::mutex write_mu_;
  std::condition_variable written_cv_;
  uint64_t batches_written_ = 0;
  std::atomic<bool> broken_{false};
  uint64_t failed_epoch_ = UINT64_MAX;  // the writing side (see write_group)

  std::atomic<uint64_t> committed_{0};
  std::thread sequencer_thread_;
  std::thread writer_thread_;
  std::thread publisher_thread_;
};

}  // namespace comanda::engine
