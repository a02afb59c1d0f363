#include "engine/domain/restaurant.h"

#include "engine/base/time_zone.h"
#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/money.h"

namespace comanda::engine {
namespace {

Status validate_series(std::string& series) {
  if (series.empty()) series = kDefaultSeries;
  bool charset = series.size() <= 8;
  for (char c : series) charset &= (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (!charset) return Error::invalid("series", "series must be 1 to 8 characters A-Z or 0-9");
  return {};
}

Status validate_time_zone(const std::string& time_zone) {
  if (!is_known_time_zone(time_zone))
    return Error::unprocessable("time_zone",
                                "time_zone '" + time_zone + "' is not an IANA time zone");
  return {};
}

}  // namespace

RestaurantSettings with_patch(RestaurantSettings s, const RestaurantPatch& p) {
  if (p.delivery_fee) s.delivery_fee = *p.delivery_fee;
  if (p.dispatch_mode) s.dispatch.mode = *p.dispatch_mode;
  if (p.dispatch_offer_on) s.dispatch.offer_on = *p.dispatch_offer_on;
  if (p.dispatch_offer_to) s.dispatch.offer_to = *p.dispatch_offer_to;
  if (p.dispatch_radius_m) s.dispatch.radius_m = *p.dispatch_radius_m;
  if (p.dispatch_offer_timeout_s) s.dispatch.offer_timeout_s = *p.dispatch_offer_timeout_s;
  if (p.geofence_enabled) s.geofence.enabled = *p.geofence_enabled;
  if (p.geofence_near_restaurant_m) s.geofence.near_restaurant_m = *p.geofence_near_restaurant_m;
  if (p.geofence_near_customer_m) s.geofence.near_customer_m = *p.geofence_near_customer_m;
  if (p.auto_reject_after_s) s.auto_reject_after_s = *p.auto_reject_after_s;
  if (p.preorder_lead_s) s.preorder_lead_s = *p.preorder_lead_s;
  return s;
}

namespace {

// What `patch` sets that is not already so.
RestaurantUpdated changes(const RestaurantRegistered& now, const RestaurantPatch& p) {
  RestaurantUpdated u;
  auto set = [](auto& field, const auto& wanted, const auto& current) {
    if (wanted && *wanted != current) field = *wanted;
  };
  set(u.name, p.name, now.name);
  set(u.address, p.address, now.address);
  if (p.location && p.location != now.location) u.location = p.location;
  set(u.time_zone, p.time_zone, now.time_zone);
  const TaxPolicy tax{p.tax_rate_bp.value_or(now.tax.rate_bp),
                      p.tax_included.value_or(now.tax.included)};
  if (tax != now.tax) u.tax = tax;
  set(u.owners, p.owners, now.owners);
  set(u.series, p.series, now.series);
  const RestaurantSettings settings = with_patch(now.settings, p);
  if (settings != now.settings) u.settings = settings;
  return u;
}

}  // namespace

void apply_update(RestaurantRegistered& d, const RestaurantUpdated& u) {
  if (u.name) d.name = *u.name;
  if (u.address) d.address = *u.address;
  if (u.location) d.location = u.location;
  if (u.time_zone) d.time_zone = *u.time_zone;
  if (u.tax) d.tax = *u.tax;
  if (u.owners) d.owners = *u.owners;
  if (u.series) d.series = *u.series;
  if (u.settings) d.settings = *u.settings;
}

const RestaurantState& RestaurantBook::apply(const Event& e, const RestaurantRegistered& p) {
  RestaurantState& r = at(e.stream);
  r.version = e.stream_version;
  r.details = p;
  return r;
}

const RestaurantState& RestaurantBook::apply(const Event& e, const RestaurantUpdated& p) {
  RestaurantState& r = at(e.stream);
  r.version = e.stream_version;
  apply_update(r.details, p);
  return r;
}

const RestaurantState& RestaurantBook::apply(const Event& e, const RestaurantPaused&) {
  RestaurantState& r = at(e.stream);
  r.version = e.stream_version;
  r.paused = true;
  return r;
}

const RestaurantState& RestaurantBook::apply(const Event& e, const RestaurantResumed&) {
  RestaurantState& r = at(e.stream);
  r.version = e.stream_version;
  r.paused = false;
  return r;
}

Status validate(RegisterRestaurant& command) {
  RestaurantRegistered& d = command.details;
  if (!find_currency(d.currency))
    return Error::unprocessable(
        "currency",
        "currency '" + d.currency + "' is not supported; supported: " + supported_currencies());
  if (Status zone = validate_time_zone(d.time_zone); !zone.ok()) return zone;
  if (Status series = validate_series(d.series); !series.ok()) return series;
  return validate(d.settings);
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
  if (cmd.paused) d.emit({cmd.restaurant_id, cmd.restaurant_id, 0}, RestaurantPaused{});
  return {};
}

Status validate(UpdateRestaurant& command) {
  RestaurantPatch& p = command.patch;
  if (p.time_zone)
    if (Status zone = validate_time_zone(*p.time_zone); !zone.ok()) return zone;
  if (p.series)
    if (Status series = validate_series(*p.series); !series.ok()) return series;
  if (p.owners && p.owners->empty())
    return Error::unprocessable("owners", "owners must name at least one account");
  return {};
}

Status decide(UpdateRestaurant& cmd, Decision& d) {
  const Principal& who = d.caller();
  if (who.role != Role::kAdmin && who.role != Role::kOwner)
    return Error::forbidden("a caller with role " + std::string(role_name(who.role)) +
                            " cannot change restaurants");
  const RestaurantState* r = d.find<Restaurant>(cmd.restaurant_id);
  if (!r || !may_view_restaurant(who, r->details.owners))
    return Error::not_found("no such restaurant");
  if (Status version = d.expect_version(r->version); !version.ok()) return version;
  if (who.role == Role::kOwner && cmd.patch.owners && !is_owner(who, *cmd.patch.owners))
    return Error::unprocessable("owners",
                                "owners must include you: an owner cannot take themself off "
                                "(an admin can)");
  RestaurantUpdated update = changes(r->details, cmd.patch);
  if (update.settings)
    if (Status bounds = validate(*update.settings); !bounds.ok()) return bounds;
  const Target target{cmd.restaurant_id, cmd.restaurant_id, r->version};
  const bool pause = cmd.patch.paused && *cmd.patch.paused != r->paused;
  const bool paused = pause && *cmd.patch.paused;
  if (update == RestaurantUpdated{} && !pause) {
    d.unchanged(target);  // everything asked for is so already
    return {};
  }
  if (update != RestaurantUpdated{}) d.emit(target, std::move(update));
  if (paused) d.emit(target, RestaurantPaused{});
  if (pause && !paused) d.emit(target, RestaurantResumed{});
  return {};
}

}  // namespace comanda::engine
