#include "engine/domain/restaurant.h"

#include "engine/base/time_zone.h"
#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/money.h"

namespace comanda::engine {

const RestaurantState& RestaurantBook::apply(const Event& e, const RestaurantRegistered& p) {
  RestaurantState& r = at(e.stream);
  r.version = e.stream_version;
  r.owners = p.owners;
  r.currency = p.currency;
  r.tax = p.tax;
  r.series = p.series;
  return r;
}

Status validate(RegisterRestaurant& command) {
  RestaurantRegistered& d = command.details;
  if (!find_currency(d.currency))
    return Error::unprocessable(
        "currency",
        "currency '" + d.currency + "' is not supported; supported: " + supported_currencies());
  if (!is_known_time_zone(d.time_zone))
    return Error::unprocessable("time_zone",
                                "time_zone '" + d.time_zone + "' is not an IANA time zone");
  if (d.series.empty()) d.series = kDefaultSeries;
  bool charset = d.series.size() <= 8;
  for (char c : d.series) charset &= (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (!charset) return Error::invalid("series", "series must be 1 to 8 characters A-Z or 0-9");
  return {};
}

Status decide(RegisterRestaurant& cmd, Decision& d) {
  const Principal& who = d.caller();
  if (who.role != Role::kAdmin && who.role != Role::kOwner)
    return Error::forbidden("a caller with role " + std::string(role_name(who.role)) +
                            " cannot register restaurants");
  if (d.find<Restaurant>(cmd.restaurant_id))
    return Error::conflict("id", "a restaurant with this id already exists");
  RestaurantRegistered details = std::move(cmd.details);
  // An owner registers a restaurant they own: otherwise they could never see it.
  if (who.role == Role::kOwner && !is_owner(who, details.owners))
    details.owners.push_back(who.subject);
  d.emit({cmd.restaurant_id, cmd.restaurant_id, 0}, std::move(details));
  return {};
}

}  // namespace comanda::engine
