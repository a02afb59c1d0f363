#include "engine/domain/access.h"

#include <algorithm>

namespace comanda::engine {

bool is_owner(const Principal& principal, std::span<const std::string> owners) {
  return principal.role == Role::kOwner &&
         std::find(owners.begin(), owners.end(), principal.subject) != owners.end();
}

bool may_view_restaurant(const Principal& principal, std::span<const std::string> owners) {
  return principal.role == Role::kAdmin || principal.role == Role::kEngine ||
         is_owner(principal, owners);
}

bool may_view_order(const Principal& principal, std::span<const std::string> restaurant_owners,
                    std::string_view customer_id) {
  switch (principal.role) {
    case Role::kAdmin:
    case Role::kEngine:
      return true;
    case Role::kOwner:
      return is_owner(principal, restaurant_owners);
    case Role::kCustomer:
      return !customer_id.empty() && principal.subject == customer_id;
    case Role::kDriver:
      return false;  // a driver sees what it is offered or assigned: dispatch state decides
  }
  return false;
}

bool may_act_as_driver(const Principal& principal, std::string_view driver_user) {
  if (principal.role == Role::kAdmin || principal.role == Role::kEngine) return true;
  return principal.role == Role::kDriver && !driver_user.empty() &&
         principal.subject == driver_user;
}

Status may_set_status(const Principal& principal, OrderStatus from, OrderStatus to,
                      bool driver_assigned) {
  if (to == OrderStatus::kDriverAssigned)
    return Error::forbidden("status",
                            "driver_assigned is not a step anyone takes: a driver is assigned by "
                            "accept-delivery, or by an admin's assignment naming the driver");
  const uint8_t setters = status_info(to).setters;
  bool allowed = false;
  switch (principal.role) {
    case Role::kAdmin:
      allowed = to != OrderStatus::kScheduled;  // set only when an order is placed
      break;
    case Role::kEngine:
      allowed = (setters & kSetByEngine) != 0;
      break;
    case Role::kOwner:
      // The owner also makes the driver's steps while no driver is assigned
      // (a restaurant's own rider); once one is, they are the driver's (409).
      if ((setters & kSetByRestaurant) == 0 && (setters & kSetByDriver) != 0 && driver_assigned)
        return Error::conflict("status", "driver-assigned: a driver is assigned, and " +
                                             std::string(status_name(to)) +
                                             " is the driver's step");
      allowed =
          (setters & kSetByRestaurant) != 0 || ((setters & kSetByDriver) != 0 && !driver_assigned);
      break;
    case Role::kCustomer:
      allowed = (setters & kSetByCustomer) != 0;
      break;
    case Role::kDriver:
      allowed = (setters & kSetByDriver) != 0 && driver_assigned;
      break;
  }
  if (!allowed)
    return Error::forbidden("status", "a caller with role " +
                                          std::string(role_name(principal.role)) +
                                          " never sets status " + std::string(status_name(to)));
  if (principal.role == Role::kCustomer && to == OrderStatus::kCancelled &&
      from != OrderStatus::kPending && from != OrderStatus::kScheduled)
    return Error::conflict("status",
                           "a customer may cancel only while the order is pending; it is " +
                               std::string(status_name(from)));
  return {};
}

std::vector<OrderStatus> next_steps(const Principal& principal, OrderStatus from,
                                    FulfillmentType type, bool driver_assigned) {
  std::vector<OrderStatus> steps = allowed_targets(from, type);
  std::erase_if(steps, [&](OrderStatus to) {
    return !may_set_status(principal, from, to, driver_assigned).ok();
  });
  return steps;
}

}  // namespace comanda::engine
