#include "engine/events.h"

#include "engine/commands.h"

namespace comanda::engine {

std::string_view event_type_name(const EventPayload& payload) {
  struct Namer {
    std::string_view operator()(const RestaurantRegistered&) const {
      return "restaurant_registered";
    }
    std::string_view operator()(const OrderPlaced&) const { return "order_placed"; }
    std::string_view operator()(const OrderStatusChanged&) const { return "order_status_changed"; }
  };
  return std::visit(Namer{}, payload);
}

uint64_t request_hash(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace comanda::engine
