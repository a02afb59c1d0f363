#include "engine/domain/events.h"

namespace comanda::engine {

std::string_view event_type_name(const EventPayload& payload) {
  struct Namer {
    std::string_view operator()(const RestaurantRegistered&) const {
      return "restaurant_registered";
    }
    std::string_view operator()(const OrderPlaced&) const { return "order_placed"; }
    std::string_view operator()(const OrderStatusChanged&) const { return "order_status_changed"; }
    std::string_view operator()(const DriverRegistered&) const { return "driver_registered"; }
    std::string_view operator()(const DriverLocationReported&) const {
      return "driver_location_reported";
    }
  };
  return std::visit(Namer{}, payload);
}

}  // namespace comanda::engine
