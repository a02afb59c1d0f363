#include "engine/domain/decision.h"

#include <algorithm>

namespace comanda::engine {

bool Decision::loaded(const Uuid& id) const {
  return std::any_of(cold_.begin(), cold_.end(), [&](const ColdStream& c) { return c.id == id; });
}

}  // namespace comanda::engine
