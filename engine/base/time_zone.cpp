#include "engine/base/time_zone.h"

#include <date/tz.h>

#include <exception>

namespace comanda::engine {

bool is_known_time_zone(const std::string& name) {
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace comanda::engine
