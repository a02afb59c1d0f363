#include "engine/pipeline/checkpointer.h"

#include <algorithm>
#include <iostream>
#include <span>

#include "engine/base/background.h"

namespace comanda::engine {

Checkpointer::Checkpointer(const EventLog& log, StateStore& store, Committed committed,
                           Options options)
    : log_(log),
      store_(store),
      committed_(std::move(committed)),
      options_(options),
      state_(options.state) {}

void Checkpointer::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    run_in_background();
    run();
  });
}

void Checkpointer::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  // A long catch-up (the first, on a log without a snapshot) is left at a
  // chunk's end rather than waited for.
  leave_.store(true, std::memory_order_release);
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  leave_.store(false, std::memory_order_release);
}

Status Checkpointer::checkpoint_now(std::optional<uint64_t> up_to) {
  std::lock_guard work(work_mu_);
  if (Status caught_up = catch_up(up_to.value_or(committed_())); !caught_up.ok()) return caught_up;
  if (position() == checkpoint()) return {};
  return write(false);
}

Status Checkpointer::catch_up(uint64_t to) {
  if (!loaded_) {
    std::string why;
    auto restored = read_state_snapshot(store_, log_, state_, scheduler_, &why);
    if (!restored.ok()) return restored.error();
    position_.store(*restored, std::memory_order_release);
    checkpoint_.store(*restored, std::memory_order_release);
    loaded_ = true;
  }
  if (to <= position()) return {};
  Status followed;
  Status scanned = log_.scan_chunks(position() + 1, to, [&](std::span<Event> chunk) {
    if (leave_.load(std::memory_order_acquire)) return false;
    for (const Event& e : chunk) {
      followed = state_.follow(log_, e);
      if (!followed.ok()) return false;
      scheduler_.observe_loaded(e);
    }
    // The log's own time drops what finished longer ago than the window.
    state_.evict_finished(chunk.back().recorded_at_us, chunk.back().position);
    position_.store(chunk.back().position, std::memory_order_release);
    return true;
  });
  if (scanned.ok() && followed.ok()) return {};
  // Part of a chunk applied: the copy is loaded afresh next time.
  loaded_ = false;
  state_.clear();
  scheduler_.clear();
  return scanned.ok() ? followed : scanned;
}

Status Checkpointer::write(bool with_others) {
  const uint64_t at = position();
  if (Status written = write_state_snapshot(store_, log_, at, state_, scheduler_); !written.ok())
    return written;
  Status others;
  if (with_others && options_.after_each) others = options_.after_each();
  // Reported once the others had their turn too (tests wait on it).
  checkpoint_.store(at, std::memory_order_release);
  return others;
}

void Checkpointer::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    Status done;
    {
      std::lock_guard work(work_mu_);
      done = catch_up(committed_());
      // A snapshot writes every stream held: its cadence grows with them.
      const uint64_t every = std::max<uint64_t>(options_.every_events, state_.streams());
      due_every_.store(every, std::memory_order_release);
      if (done.ok() && !leave_.load(std::memory_order_acquire) &&
          position() >= checkpoint() + every)
        done = write(true);
    }
    if (!done.ok())
      std::cerr << "error: a background snapshot failed (" << done.error().message
                << "); a restart replays more of the log\n";
    lock.lock();
    wake_.wait_for(lock, options_.poll, [&] { return stopping_; });
  }
}

}  // namespace comanda::engine
