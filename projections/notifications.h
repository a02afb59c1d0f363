// Notifications (DESIGN.md "Dispatch, geofences, the scheduler and
// notifications"): the messages people get when something happens to an
// order, derived from committed events and never stored (a replay derives
// them again, each with its event's position).
//
// - Every status change: the order's customer, in their language (`es` by
//   default, `en` when the order's customer.locale is en), with GastroMóvil's
//   texts where it has one and the same voice elsewhere.
// - Every offer: each offered driver, with the order, the restaurant's name
//   and address, and the delivery address.
// - Every new order: its restaurant.
//
// Thread-safe: reads the models through their queries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/domain/event.h"
#include "projections/orders.h"
#include "projections/restaurants.h"

namespace comanda::projections {

struct Notification {
  enum class To : uint8_t { kCustomer, kDriver, kRestaurant };
  To to = To::kCustomer;
  // The customer's account id, the driver's id or the restaurant's id.
  std::string recipient;
  Uuid order_id;
  uint64_t position = 0;  // of the event it comes from
  std::string message;    // for people to read
  // An offer's particulars (a driver decides on them); a new order's reference.
  std::string reference;
  std::string restaurant_name;
  std::string restaurant_address;
  std::string delivery_address;
  friend bool operator==(const Notification&, const Notification&) = default;
};

// The customer's message for an order reaching `status`, in `locale` ("en",
// or anything else for Spanish).
std::string_view customer_message(engine::OrderStatus status, std::string_view locale);

class NotificationsOf {
 public:
  // The models must outlive it.
  NotificationsOf(const RestaurantsModel& restaurants, const OrdersModel& orders)
      : restaurants_(restaurants), orders_(orders) {}

  // The notifications a committed event gives, from models that have applied
  // it (none for most events).
  std::vector<Notification> operator()(const engine::Event& event) const;

 private:
  const RestaurantsModel& restaurants_;
  const OrdersModel& orders_;
};

}  // namespace comanda::projections
