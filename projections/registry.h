// The read models of a node, and the checkpoint they share: committed
// batches are fanned out to every model in registration order, each event
// once (a batch applied twice is skipped), and a skipped position is
// remembered (such models are never snapshotted).
//
// Threads: apply(), rebuild() and reset() from one thread at a time (the
// publisher stage, or start-up); holding_still(), get(), position() and
// has_gap() on any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/log/event_log.h"
#include "projections/projection.h"

namespace comanda::projections {

class ProjectionRegistry {
 public:
  // Takes the models (projections/read_models.h), with distinct names.
  explicit ProjectionRegistry(std::vector<std::unique_ptr<Projection>> models);
  ProjectionRegistry(const ProjectionRegistry&) = delete;
  ProjectionRegistry& operator=(const ProjectionRegistry&) = delete;

  // Applies a committed batch to every model.
  void apply(std::span<const engine::Event> events);

  // Every model from nothing, from the log up to `up_to` (0: the whole log),
  // in chunks (a long rebuild does not hold a model's lock throughout): the
  // state as of that position. EventLog::last_position_at() finds the
  // position of a time.
  engine::Status rebuild(const engine::EventLog& log, uint64_t up_to = 0);

  // Runs fn() while no batch is applied: every model still, at one
  // position (a background snapshot takes their rows so). The publisher
  // waits meanwhile; queries go on.
  template <class Fn>
  decltype(auto) holding_still(Fn&& fn) const {
    std::lock_guard lock(apply_mu_);
    return fn();
  }

  // Every model emptied at `position` (the snapshot loader's first step).
  void reset(uint64_t position);

  // The last position applied: the checkpoint.
  uint64_t position() const { return position_.load(std::memory_order_acquire); }
  // Whether a position was skipped since the start (an event type this build
  // does not know, or a lost write).
  bool has_gap() const { return gap_.load(std::memory_order_acquire); }

  // The model of type P (registered once).
  template <class P>
  P& get() const {
    for (const auto& model : models_)
      if (auto* p = dynamic_cast<P*>(model.get())) return *p;
    std::abort();  // a model that was never registered: a programming error
  }

  std::span<const std::unique_ptr<Projection>> models() const { return models_; }

 private:
  std::vector<std::unique_ptr<Projection>> models_;
  mutable std::mutex apply_mu_;  // held by apply() and holding_still()
  std::atomic<uint64_t> position_{0};
  std::atomic<bool> gap_{false};
};

}  // namespace comanda::projections
