#include "projections/audience.h"

#include "engine/domain/access.h"

namespace comanda::projections {

bool Audience::admits(const engine::Principal& principal) const {
  return driver_user.empty() ? engine::may_view_order(principal, owners, customer_id)
                             : engine::may_act_as_driver(principal, driver_user);
}

Audience AudienceOf::operator()(const engine::Event& event) const {
  Audience out;
  if (auto* registered = std::get_if<engine::DriverRegistered>(&event.payload)) {
    out.driver_user = registered->user_id;
    return out;
  }
  if (std::string user = drivers_.user_of(event.stream); !user.empty()) {
    out.driver_user = std::move(user);
    return out;
  }
  out.owners = restaurants_.owners(event.partition);
  if (auto* placed = std::get_if<engine::OrderPlaced>(&event.payload))
    out.customer_id = placed->customer.id;
  else
    out.customer_id = orders_.customer_of(event.stream);
  return out;
}

}  // namespace comanda::projections
