#include "engine/sequencer.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <iostream>

namespace comanda::engine {
namespace {

int64_t system_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Sequencer::Sequencer(EventLog& log, Aggregates& state, CommitListener& listener, Options options)
    : log_(log), state_(state), listener_(listener), options_(std::move(options)) {
  if (!options_.clock) options_.clock = system_clock_us;
  committed_ = log_.last_position();
  thread_ = std::thread([this] { run(); });
}

Sequencer::~Sequencer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool Sequencer::submit(Command&& command) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.queue_capacity) return false;
    queue_.push_back(std::move(command));
  }
  wake_.notify_one();
  return true;
}

void Sequencer::run() {
  pthread_setname_np(pthread_self(), "sequencer");
  std::vector<Command> batch;
  batch.reserve(options_.max_batch);
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      const size_t n = std::min(queue_.size(), options_.max_batch);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    process(batch);
    batch.clear();
  }
}

void Sequencer::process(std::vector<Command>& batch) {
  BatchContext ctx;
  // Read the clock once per batch; never let time go backwards.
  ctx.recorded_at_us = std::max(options_.clock(), state_.last_recorded_at_us());
  ctx.next_position = log_.last_position() + 1;
  events_.clear();
  outcomes_.clear();
  for (const Command& command : batch) outcomes_.push_back(state_.decide(command, ctx, events_));

  if (!events_.empty()) {
    Status written = log_.append(events_);
    if (written.ok()) {
      committed_.store(events_.back().position, std::memory_order_release);
      listener_.on_commit(events_);
    } else {
      std::cerr << "error: " << written.error().message << "; the batch is refused\n";
      for (CommandOutcome& outcome : outcomes_)
        if (outcome.ok())
          outcome = Error{ErrorCode::kUnavailable, "the event log refused the write; nothing was recorded", "", {}};
      // The decisions above changed the state; take it back from the log.
      Status reloaded = state_.load(log_);
      if (!reloaded.ok()) std::cerr << "error: cannot reload state: " << reloaded.error().message << "\n";
    }
  }
  for (size_t i = 0; i < batch.size(); ++i)
    if (batch[i].done) batch[i].done(outcomes_[i]);
}

}  // namespace comanda::engine
