#include "engine/domain/driver.h"

#include "engine/base/text.h"
#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/dispatch.h"

namespace comanda::engine {

std::string_view availability_name(Availability a) {
  switch (a) {
    case Availability::kOffline:
      return "offline";
    case Availability::kAvailable:
      return "available";
    case Availability::kBusy:
      return "busy";
  }
  return "offline";
}

std::optional<Availability> parse_availability(std::string_view name) {
  for (auto a : {Availability::kOffline, Availability::kAvailable, Availability::kBusy})
    if (iequals(name, availability_name(a))) return a;
  return std::nullopt;
}

// ---- state ----

const DriverState& DriverBook::indexed(const Uuid& id, const DriverState& d) {
  if (d.offerable())
    offerable_.put(id, *d.position);
  else
    offerable_.remove(id);
  return d;
}

const DriverState& DriverBook::apply(const Event& e, const DriverRegistered& p) {
  DriverState& d = at(e.stream);
  d.version = e.stream_version;
  d.user_id = p.user_id;
  by_user_[p.user_id] = e.stream;
  return d;
}

const DriverState& DriverBook::apply(const Event& e, const DriverLocationReported& p) {
  DriverState& d = at(e.stream);
  d.version = e.stream_version;
  // The device's time orders pings (the engine's when it sent none): a late
  // one never moves the driver back.
  const int64_t taken_at = p.reported_at_us != 0 ? p.reported_at_us : e.recorded_at_us;
  if (d.position && taken_at < d.position_at_us) return d;
  d.position = from_e7(p.lat_e7, p.lng_e7);
  d.position_at_us = taken_at;
  return d.offerable() ? indexed(e.stream, d) : d;
}

const DriverState& DriverBook::apply(const Event& e, const DriverAvailabilityChanged& p) {
  DriverState& d = at(e.stream);
  d.version = e.stream_version;
  d.availability = p.availability;
  d.order = p.availability == Availability::kBusy ? p.order_id : Uuid{};
  return indexed(e.stream, d);
}

const DriverState& DriverBook::apply(const Event& e, const DriverActiveChanged& p) {
  DriverState& d = at(e.stream);
  d.version = e.stream_version;
  d.active = p.active;
  return indexed(e.stream, d);
}

void DriverBook::restore(const Uuid& id, DriverState state) {
  by_user_[state.user_id] = id;
  DriverState& d = at(id);
  d = std::move(state);
  indexed(id, d);
}

std::optional<Uuid> DriverBook::of_user(const std::string& user_id) const {
  auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return std::nullopt;
  return it->second;
}

Status decide(RegisterDriver& cmd, Decision& d) {
  const Principal& who = d.caller();
  DriverRegistered details = std::move(cmd.details);
  if (who.role == Role::kDriver) {
    // A driver signs themself up: the account is the caller's, whatever was sent.
    if (!details.user_id.empty() && details.user_id != who.subject)
      return Error::forbidden(
          "user_id", "a driver may register only themself (user_id must be the token's subject)");
    details.user_id = who.subject;
  } else if (who.role != Role::kAdmin) {
    return Error::forbidden("a caller with role " + std::string(role_name(who.role)) +
                            " cannot register drivers");
  }
  if (details.user_id.empty())
    return Error::unprocessable("user_id", "the account the driver signs in with is required");
  if (d.find<Driver>(cmd.driver_id))
    return Error::conflict("id", "a driver with this id already exists");
  if (d.book<Driver>().of_user(details.user_id))
    return Error::conflict("user_id", "this account is already registered as a driver");
  d.emit({cmd.driver_id, cmd.driver_id, 0}, std::move(details));
  return {};
}

Status decide(ReportLocation& cmd, Decision& d) {
  const DriverState* driver = d.find<Driver>(cmd.driver_id);
  // Only the driver's own account (or an admin) reports its position; anyone
  // else's driver is answered exactly as an absent one.
  if (!driver || !may_act_as_driver(d.caller(), driver->user_id))
    return Error::not_found("no such driver");
  if (Status version = d.expect_version(driver->version); !version.ok()) return version;
  const GeoPoint where = from_e7(cmd.location.lat_e7, cmd.location.lng_e7);
  const bool newest = !driver->position ||
                      (cmd.location.reported_at_us != 0 ? cmd.location.reported_at_us
                                                        : d.now_us()) >= driver->position_at_us;
  d.emit({cmd.driver_id, cmd.driver_id, driver->version}, cmd.location);
  if (newest) after_ping(d, cmd.driver_id, where);
  return {};
}

Status decide(SetAvailability& cmd, Decision& d) {
  const DriverState* driver = d.find<Driver>(cmd.driver_id);
  if (!driver || !may_act_as_driver(d.caller(), driver->user_id))
    return Error::not_found("no such driver");
  if (Status version = d.expect_version(driver->version); !version.ok()) return version;
  if (cmd.availability == Availability::kBusy)
    return Error::invalid("availability",
                          "availability must be available or offline: busy is the engine's");
  if (driver->availability == Availability::kBusy)
    return Error::conflict("availability", "the driver is busy with a delivery until it ends");
  const Target target{cmd.driver_id, cmd.driver_id, driver->version};
  if (driver->availability == cmd.availability) {
    d.unchanged(target);
    return {};
  }
  d.emit(target, DriverAvailabilityChanged{cmd.availability, {}});
  if (cmd.availability == Availability::kAvailable)
    after_available(d, cmd.driver_id);
  else
    withdraw_offers(d, cmd.driver_id);  // offline: their offers go to others
  return {};
}

Status decide(SetDriverActive& cmd, Decision& d) {
  if (d.caller().role != Role::kAdmin)
    return Error::forbidden("a caller with role " + std::string(role_name(d.caller().role)) +
                            " cannot activate or deactivate drivers");
  const DriverState* driver = d.find<Driver>(cmd.driver_id);
  if (!driver) return Error::not_found("no such driver");
  if (Status version = d.expect_version(driver->version); !version.ok()) return version;
  const Target target{cmd.driver_id, cmd.driver_id, driver->version};
  if (driver->active == cmd.active) {
    d.unchanged(target);
    return {};
  }
  d.emit(target, DriverActiveChanged{cmd.active});
  if (!cmd.active) withdraw_offers(d, cmd.driver_id);  // suspended: their offers go to others
  return {};
}

}  // namespace comanda::engine
