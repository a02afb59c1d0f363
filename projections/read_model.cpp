#include "projections/read_model.h"

namespace comanda::projections {

void ReadModel::apply(std::span<const engine::Event> events) {
  WriteLock lock(mu_);
  for (const engine::Event& e : events) apply_one(e);
  position_ = events.back().position;
}

void ReadModel::reset(uint64_t position) {
  WriteLock lock(mu_);
  clear();
  position_ = position;
}

uint64_t ReadModel::position() const {
  ReadLock lock(mu_);
  return position_;
}

ReadModel::ReadLock ReadModel::read_lock(uint64_t* position) const {
  ReadLock lock(mu_);
  if (position) *position = position_;
  return lock;
}

}  // namespace comanda::projections
