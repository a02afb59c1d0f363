// The topics of the live feed (DESIGN.md "API", WebSocket; docs/realtime.md):
// their names, who may follow each, and which topics an event goes to.
//
//   events                   every event the caller may see
//   orders/{id}              one order's events
//   restaurants/{id}/orders  the orders of one restaurant
//   customers/{id}/orders    one customer's orders ({id}: their user id)
//   drivers/{id}/offers      the offers made to one driver, and their end
//   drivers/{id}/position    one driver's pings and availability
//   drivers/positions        every driver's
//
// Threads: parse_topic() anywhere; TopicRights reads the read models through
// their queries, on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/ids.h"
#include "engine/domain/event.h"
#include "engine/domain/principal.h"
#include "projections/audience.h"
#include "projections/drivers.h"
#include "projections/notifications.h"
#include "projections/orders.h"
#include "projections/restaurants.h"

namespace comanda::api {

struct Topic {
  enum class Kind : uint8_t {
    kEvents,
    kOrder,
    kRestaurantOrders,
    kCustomerOrders,
    kDriverOffers,
    kDriverPosition,
    kDriverPositions,
  };
  Kind kind = Kind::kEvents;
  engine::Uuid id;       // the order, restaurant or driver
  std::string customer;  // customers/{id}/orders: the customer's user id
  std::string name;      // as written, canonical

  friend bool operator==(const Topic& a, const Topic& b) { return a.name == b.name; }
};

// A topic's name; 400 naming `topic` when it is none of the above.
engine::Result<Topic> parse_topic(std::string_view text);

// The topics (besides `events`) that `event` goes to, by name, appended to
// `out`; `audience` is the event's (projections/audience.h).
void topics_of(const engine::Event& event, const projections::Audience& audience,
               std::vector<std::string>& out);

// The topics a notification goes to, by name, appended to `out`: a
// customer's to their orders' topic and the order's, an offer to the
// driver's offers, a new order to its restaurant's orders.
void topics_of(const projections::Notification& notification, std::vector<std::string>& out);

// Who may follow what. The models must outlive it.
class TopicRights {
 public:
  TopicRights(const projections::RestaurantsModel& restaurants,
              const projections::OrdersModel& orders, const projections::DriversModel& drivers)
      : restaurants_(restaurants), orders_(orders), drivers_(drivers) {}

  // When subscribing: ok; 404 for what is absent or another tenant's
  // (alike); 403 for a topic the caller's role never follows.
  engine::Status may_follow(const engine::Principal& who, const Topic& topic) const;

  // Per event, for rights that lapse: a customer follows a driver only while
  // that driver delivers one of their orders; a driver follows an order
  // only while it is theirs. False: the subscription ends.
  bool still_may(const engine::Principal& who, const Topic& topic) const;

  // The driver whose account `who` is (nil when none): where a driver's
  // location messages go.
  engine::Uuid driver_of(const engine::Principal& who) const {
    return drivers_.driver_of_user(who.subject);
  }

 private:
  bool customer_follows_driver(const engine::Principal& who, const engine::Uuid& driver) const;

  const projections::RestaurantsModel& restaurants_;
  const projections::OrdersModel& orders_;
  const projections::DriversModel& drivers_;
};

}  // namespace comanda::api
