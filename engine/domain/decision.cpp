#include "engine/domain/decision.h"

#include <algorithm>

namespace comanda::engine {

Event& Decision::stamp(const Target& target) {
  uint64_t version = target.version;
  for (size_t i = first_; i < out_.size(); ++i)
    if (out_[i].stream == target.stream) version = std::max(version, out_[i].stream_version);
  Event& e = out_.emplace_back();
  e.position = stamp_.next_position++;
  e.stream = target.stream;
  e.stream_version = version + 1;
  e.partition = target.partition;
  e.recorded_at_us = stamp_.recorded_at_us;
  e.actor = caller_;
  e.correlation_id = stamp_.correlation_id;
  return e;
}

bool Decision::loaded(const Uuid& id) const {
  return std::any_of(cold_.begin(), cold_.end(), [&](const ColdStream& c) { return c.id == id; });
}

}  // namespace comanda::engine
