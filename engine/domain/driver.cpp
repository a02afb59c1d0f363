#include "engine/domain/driver.h"

#include "engine/domain/access.h"
#include "engine/domain/decision.h"

namespace comanda::engine {

const DriverState& DriverBook::apply(const Event& e, const DriverRegistered& p) {
  DriverState& d = at(e.stream);
  d.version = e.stream_version;
  d.user_id = p.user_id;
  by_user_[p.user_id] = e.stream;
  return d;
}

const DriverState& DriverBook::apply(const Event& e, const DriverLocationReported&) {
  DriverState& d = at(e.stream);
  d.version = e.stream_version;
  return d;
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
  d.emit({cmd.driver_id, cmd.driver_id, driver->version}, cmd.location);
  return {};
}

}  // namespace comanda::engine
