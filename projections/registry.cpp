#include "projections/registry.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>

namespace comanda::projections {

ProjectionRegistry::ProjectionRegistry(std::vector<std::unique_ptr<Projection>> models)
    : models_(std::move(models)) {
  for (size_t i = 0; i < models_.size(); ++i)
    for (size_t j = 0; j < i; ++j) assert(models_[i]->name() != models_[j]->name());
}

void ProjectionRegistry::apply(std::span<const engine::Event> events) {
  std::lock_guard lock(apply_mu_);
  // Already applied (a recovery that publishes what a snapshot holds): skip.
  const uint64_t checkpoint = position();
  size_t first = 0;
  while (first < events.size() && events[first].position <= checkpoint) ++first;
  events = events.subspan(first);
  if (events.empty()) return;
  uint64_t expected = checkpoint + 1;
  for (const engine::Event& e : events)
    if (e.position != expected++) gap_.store(true, std::memory_order_release);
  for (const auto& model : models_) model->apply(events);
  position_.store(events.back().position, std::memory_order_release);
}

void ProjectionRegistry::reset(uint64_t position) {
  std::lock_guard lock(apply_mu_);
  for (const auto& model : models_) model->reset(position);
  position_.store(position, std::memory_order_release);
  gap_.store(false, std::memory_order_release);
}

engine::Status ProjectionRegistry::rebuild(const engine::EventLog& log, uint64_t up_to) {
  reset(0);
  const uint64_t last = up_to == 0 ? log.last_position() : std::min(up_to, log.last_position());
  return log.scan_chunks(1, last, [&](std::span<engine::Event> chunk) {
    apply(chunk);
    return true;
  });
}

}  // namespace comanda::projections
