#include "engine/pipeline/sequencer.h"

#include <pthread.h>

#include <algorithm>
#include <iostream>

#include "engine/base/clock.h"

namespace comanda::engine {
namespace {

Error unavailable(std::string why) { return Error::unavailable(std::move(why)); }

}  // namespace

Sequencer::Sequencer(EventLog& log, HotState& state, CommitListener& listener, Options options)
    : log_(log), state_(state), listener_(listener), options_(std::move(options)) {
  if (!options_.clock) options_.clock = utc_now_us;
  if (!options_.write)
    options_.write = [this](std::span<const EncodedBatch* const> batches) {
      return log_.append(batches);
    };
  chain_head_ = log_.chain_head();
  committed_ = log_.last_position();
  next_position_ = log_.last_position() + 1;
  for (size_t i = 0; i < std::max<size_t>(1, options_.pipeline_depth); ++i)
    free_.push(std::make_unique<Batch>());
  publisher_thread_ = std::thread([this] { run_publisher(); });
  writer_thread_ = std::thread([this] { run_writer(); });
  sequencer_thread_ = std::thread([this] { run_sequencer(); });
}

Sequencer::~Sequencer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  // Each stage closes the next one's queue when it is done: the threads
  // finish in pipeline order.
  sequencer_thread_.join();
  writer_thread_.join();
  publisher_thread_.join();
}

bool Sequencer::submit(Command&& command) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.queue_capacity ||
        queued_bytes_ + command.bytes > options_.queue_bytes)
      return false;
    queued_bytes_ += command.bytes;
    queue_.push_back(std::move(command));
  }
  wake_.notify_one();
  return true;
}

bool Sequencer::take_commands(Batch& batch) {
  std::unique_lock lock(mu_);
  wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return false;  // stopping, and everything queued is taken
  size_t count = 0;
  size_t bytes = 0;
  while (count < queue_.size() && count < options_.max_batch &&
         (count == 0 || bytes + queue_[count].bytes <= options_.max_batch_bytes)) {
    bytes += queue_[count].bytes;
    ++count;
  }
  if (count == queue_.size()) {
    // The usual case: everything waiting is one batch. Taken whole, without
    // moving a command; the queue gets the batch's spare vector.
    batch.commands.swap(queue_);
    queue_.clear();
  } else {
    batch.commands.insert(batch.commands.end(), std::make_move_iterator(queue_.begin()),
                          std::make_move_iterator(queue_.begin() + static_cast<ptrdiff_t>(count)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(count));
  }
  queued_bytes_ -= bytes;
  return true;
}

void Sequencer::run_sequencer() {
  pthread_setname_np(pthread_self(), "sequencer");
  for (;;) {
    // Back-pressure: with every batch in the pipeline, wait for one to come
    // back; meanwhile commands pile up and the next batch is larger.
    BatchPtr batch = *free_.pop();
    if (!take_commands(*batch)) {
      free_.push(std::move(batch));
      break;
    }
    if (broken_.load(std::memory_order_acquire) && !recover_after_failed_write()) {
      // Still broken: decide nothing on a state that may be wrong. The
      // writer fails this batch (its epoch is the failed one): 503 for all.
      batch->epoch = epoch_;
      ++batches_sent_;
      to_writer_.push(std::move(batch));
      continue;
    }

    BatchContext ctx;
    // Read the clock once per batch; never let time go backwards.
    ctx.recorded_at_us = std::max(options_.clock(), state_.last_recorded_at_us());
    ctx.next_position = next_position_;
    ctx.idempotency_out = &batch->idempotency;
    state_.evict_finished(ctx.recorded_at_us, committed_position());
    for (Command& command : batch->commands)
      batch->outcomes.push_back(state_.decide(command, ctx, batch->events));
    next_position_ = ctx.next_position;
    // Encoding here, not on the writer, keeps the writer's time for RocksDB.
    encode_batch(batch->events, batch->idempotency, chain_head_, hasher_, batch->encoded);
    if (!batch->encoded.empty()) chain_head_ = batch->encoded.link;
    batch->epoch = epoch_;
    // A lone command, with nothing else waiting and the writer idle, is
    // written (and published) here: two thread hand-offs fewer for it. Under
    // load batches go to the writer, and the next one is decided while this
    // one syncs.
    if (options_.write_lone_commands_inline && batch->commands.size() == 1 && pipeline_idle()) {
      ++batches_sent_;
      inline_group_.push_back(std::move(batch));
      write_group(inline_group_, inline_units_);
      continue;
    }
    ++batches_sent_;
    to_writer_.push(std::move(batch));
  }
  to_writer_.close();
}

bool Sequencer::pipeline_idle() {
  {
    std::lock_guard lock(mu_);
    if (!queue_.empty()) return false;
  }
  // Every batch sent has been written: the writer thread is waiting for the
  // next one and touches nothing until this thread pushes it.
  std::lock_guard lock(write_mu_);
  return batches_written_ == batches_sent_;
}

bool Sequencer::recover_after_failed_write() {
  // Wait until the writer has dealt with every batch decided on the state
  // that included the failed one; then take the state back from the log.
  {
    std::unique_lock lock(write_mu_);
    written_cv_.wait(lock, [&] { return batches_written_ == batches_sent_; });
  }
  // The writer is idle: the log may be touched from here.
  Status reloaded = log_.resume();
  if (reloaded.ok() && options_.reload_fault) reloaded = options_.reload_fault();
  if (reloaded.ok()) reloaded = state_.load(log_, options_.clock());
  if (!reloaded.ok()) {
    std::cerr << "error: cannot recover from the failed write: " << reloaded.error().message
              << "; writes answer 503 until it can\n";
    return false;
  }
  // A write whose sync failed may still have reached the log (its callers
  // were told the outcome is unknown). What the log holds beyond the
  // committed position is durable now: publish it, or the read models and
  // subscribers would miss events the log has.
  if (Status published = publish_recovered(); !published.ok()) {
    std::cerr << "error: cannot publish what the log kept of the failed write: "
              << published.error().message << "; writes answer 503 until it can\n";
    return false;
  }
  next_position_ = log_.last_position() + 1;
  chain_head_ = log_.chain_head();
  ++epoch_;
  broken_.store(false, std::memory_order_release);
  return true;
}

Status Sequencer::publish_recovered() {
  // Every batch handed on is published first (the failed ones answered
  // 503), so that the publisher stage is idle and this comes after them.
  for (uint64_t seen; (seen = published_.load(std::memory_order_acquire)) != handed_on_;)
    published_.wait(seen, std::memory_order_acquire);
  const uint64_t from = committed_position() + 1;
  const uint64_t last = log_.last_position();
  if (from > last) return {};
  std::vector<Event> recovered;
  Status read = log_.scan(from, last, [&](const Event& e) {
    recovered.push_back(e);
    return true;
  });
  if (!read.ok()) return read;
  if (!recovered.empty()) {
    listener_.on_commit(recovered);
    committed_.store(recovered.back().position, std::memory_order_release);
  }
  return {};
}

void Sequencer::run_writer() {
  pthread_setname_np(pthread_self(), "writer");
  std::vector<BatchPtr> taken;
  std::vector<const EncodedBatch*> units;
  // Everything decided while the previous write synced goes in one write.
  while (to_writer_.pop_all(taken)) write_group(taken, units);
  to_publisher_.close();
}

void Sequencer::write_group(std::vector<BatchPtr>& taken, std::vector<const EncodedBatch*>& units) {
  units.clear();
  for (BatchPtr& batch : taken) {
    if (batch->epoch == failed_epoch_) {
      // Decided on top of a batch that was never written: nothing of it holds.
      batch->failed = true;
    } else if (!batch->events.empty()) {
      units.push_back(&batch->encoded);
    }
  }
  if (!units.empty()) {
    const auto started = std::chrono::steady_clock::now();
    Status written = options_.write(units);
    if (written.ok() && options_.on_write)
      options_.on_write(units.back()->last_position - units.front()->first_position + 1,
                        std::chrono::steady_clock::now() - started);
    if (!written.ok()) {
      std::cerr << "error: " << written.error().message << "; positions "
                << units.front()->first_position << ".." << units.back()->last_position
                << " refused\n";
      // The whole group fails, batches without events included: their
      // outcomes (refusals, idempotent replays) were decided on top of the
      // batches that were not written.
      for (BatchPtr& batch : taken) {
        batch->failed = true;
        failed_epoch_ = batch->epoch;
      }
      broken_.store(true, std::memory_order_release);
    }
  }
  const size_t count = taken.size();
  if (published_.load(std::memory_order_acquire) == handed_on_ && to_writer_.empty()) {
    // The publisher thread is idle with nothing queued, and stays so until
    // the writing side pushes: publishing here keeps log order and saves a
    // wake-up. Only when no batch waits to be written, though: under load
    // the publisher thread publishes while the next write syncs.
    for (BatchPtr& batch : taken) {
      publish(*batch);
      free_.push(std::move(batch));
    }
  } else {
    for (BatchPtr& batch : taken) to_publisher_.push(std::move(batch));
  }
  handed_on_ += count;
  taken.clear();
  std::lock_guard lock(write_mu_);
  batches_written_ += count;
  written_cv_.notify_all();
}

void Sequencer::run_publisher() {
  pthread_setname_np(pthread_self(), "publisher");
  while (auto next = to_publisher_.pop()) {
    BatchPtr batch = std::move(*next);
    publish(*batch);
    free_.push(std::move(batch));
  }
}

void Sequencer::publish(Batch& batch) {
  if (batch.failed) {
    // Every caller of a failed batch gets a 503, whether its command was
    // decided (then a failed sync may still have reached the disk: the
    // outcome is unknown, and a retry with the same Idempotency-Key is safe
    // either way) or not (the log could not be recovered yet).
    const bool decided = !batch.outcomes.empty();
    batch.outcomes.assign(
        batch.commands.size(),
        unavailable(decided ? "the event log could not confirm the write; it may or may not be "
                              "recorded: retry with the same Idempotency-Key"
                            : "the event log cannot be written at the moment; nothing was "
                              "recorded: retry shortly"));
  } else if (!batch.events.empty()) {
    listener_.on_commit(batch.events);
    committed_.store(batch.events.back().position, std::memory_order_release);
  }
  for (size_t i = 0; i < batch.commands.size(); ++i)
    if (batch.commands[i].done) batch.commands[i].done(batch.outcomes[i]);
  batch.commands.clear();
  batch.outcomes.clear();
  batch.events.clear();
  batch.idempotency.clear();
  batch.encoded.clear();
  batch.failed = false;
  published_.fetch_add(1, std::memory_order_release);
  published_.notify_all();  // publish_recovered() may be waiting
}

}  // namespace comanda::engine
