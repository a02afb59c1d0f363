#include "api/routes/drivers.h"

#include "api/http/problem.h"
#include "api/json/driver_json.h"
#include "api/routes/responses.h"
#include "engine/base/clock.h"
#include "projections/drivers.h"
#include "projections/registry.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::Role;
using engine::Uuid;

Response no_such_driver() { return problem(Error::not_found("no such driver")); }

Response driver_response(int status, const projections::DriverView& driver, uint64_t position) {
  Response r = json_response(status, driver_json(driver), position);
  r.headers.emplace_back("ETag", etag(driver.version));
  return r;
}

Response position_response(const projections::DriverView& driver, uint64_t position) {
  if (!driver.position)
    return problem(Error::not_found("the driver has not reported a position yet"));
  JsonWriter w;
  write_driver_position(w, driver.id, *driver.position);
  Response r = json_response(200, w.take(), position);
  r.headers.emplace_back("ETag", etag(driver.version));
  return r;
}

const projections::DriversModel& drivers(const ApiContext& ctx) {
  return ctx.views.get<projections::DriversModel>();
}

// The driver the path names (the router takes ids only), if the caller may
// see it; `position` receives the log position the answer reflects.
std::optional<projections::DriverView> driver_at(const ApiContext& ctx, const RouteRequest& rq,
                                                 uint64_t& position) {
  return drivers(ctx).driver_for(*Uuid::parse(rq.params[0]), rq.who(), &position);
}

Route register_driver(const ApiContext& ctx) {
  return {.method = "POST",
          .pattern = "/v1/drivers",
          .summary = "A driver signs up (one per account); an admin names the account",
          .roles = roles({Role::kAdmin, Role::kDriver}),
          .forbidden = "cannot register drivers",
          .request_schema = "RegisterDriver",
          .response_schema = "Driver",
          .problems = {400, 401, 403, 409, 413, 422, 503},
          .action = CommandSpec{
              .parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
                auto parsed = parse_register_driver(rq.http.body);
                if (!parsed.ok()) return parsed.error();
                parsed->driver_id = Uuid::v7();
                return engine::CommandBody{std::move(parsed).value()};
              },
              .respond =
                  [&ctx](const engine::Principal& caller, const engine::CommandResult& result,
                         const PathParams&) {
                    auto driver = drivers(ctx).driver_for(result.stream, caller);
                    if (!driver) return not_in_read_models();
                    Response r = driver_response(201, *driver, result.position);
                    r.headers.emplace_back("Location", "/v1/drivers/" + result.stream.to_string());
                    return r;
                  }}};
}

Route get_driver(const ApiContext& ctx) {
  return {.method = "GET",
          .pattern = "/v1/drivers/{id}",
          .absent = "no such driver",
          .summary = "A driver, with its latest position",
          .response_schema = "Driver",
          .problems = {401, 404},
          .action = Query([&ctx](const RouteRequest& rq) {
            uint64_t position = 0;
            auto driver = driver_at(ctx, rq, position);
            return driver ? driver_response(200, *driver, position) : no_such_driver();
          })};
}

Route report_location(const ApiContext& ctx) {
  return {.method = "POST",
          .pattern = "/v1/drivers/{id}/location",
          .absent = "no such driver",
          .summary = "A GPS ping from the driver's app",
          .request_schema = "Location",
          .response_schema = "DriverPosition",
          .problems = {400, 401, 404, 412, 413, 422, 503},
          .action = CommandSpec{
              .parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
                auto ping = parse_location(rq.http.body, engine::utc_now_us());
                if (!ping.ok()) return ping.error();
                // The router takes ids only.
                return engine::CommandBody{
                    engine::ReportLocation{*Uuid::parse(rq.params[0]), std::move(ping).value()}};
              },
              // The driver's position now: the newest by device time, which a
              // late ping does not move.
              .respond =
                  [&ctx](const engine::Principal& caller, const engine::CommandResult& result,
                         const PathParams&) {
                    auto driver = drivers(ctx).driver_for(result.stream, caller);
                    return driver ? position_response(*driver, result.position)
                                  : not_in_read_models();
                  },
              .if_match = true}};
}

Route get_position(const ApiContext& ctx) {
  return {.method = "GET",
          .pattern = "/v1/drivers/{id}/position",
          .absent = "no such driver",
          .summary = "A driver's latest position",
          .response_schema = "DriverPosition",
          .problems = {401, 404},
          .action = Query([&ctx](const RouteRequest& rq) {
            uint64_t position = 0;
            auto driver = driver_at(ctx, rq, position);
            return driver ? position_response(*driver, position) : no_such_driver();
          })};
}

// The driver now, as the answer to a command on it.
CommandSpec::Respond respond_with_driver(const ApiContext& ctx) {
  return [&ctx](const engine::Principal& caller, const engine::CommandResult& result,
                const PathParams&) {
    auto driver = drivers(ctx).driver_for(result.stream, caller);
    return driver ? driver_response(200, *driver, result.position) : not_in_read_models();
  };
}

Route set_availability(const ApiContext& ctx) {
  return {.method = "PUT",
          .pattern = "/v1/drivers/{id}/availability",
          .absent = "no such driver",
          .summary = "The driver goes available or offline (busy follows from deliveries)",
          .roles = roles({Role::kAdmin, Role::kDriver}),
          .forbidden = "cannot change a driver's availability",
          .request_schema = "Availability",
          .response_schema = "Driver",
          .problems = {400, 401, 403, 404, 409, 412, 413, 503},
          .action = CommandSpec{
              .parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
                auto availability = parse_availability_body(rq.http.body);
                if (!availability.ok()) return availability.error();
                return engine::CommandBody{
                    engine::SetAvailability{*Uuid::parse(rq.params[0]), *availability}};
              },
              .respond = respond_with_driver(ctx),
              .if_match = true}};
}

Route set_active(const ApiContext& ctx) {
  return {.method = "PUT",
          .pattern = "/v1/drivers/{id}/active",
          .absent = "no such driver",
          .summary = "An admin suspends a driver (no offers) or reinstates them",
          .roles = roles({Role::kAdmin}),
          .forbidden = "cannot suspend drivers",
          .request_schema = "DriverActive",
          .response_schema = "Driver",
          .problems = {400, 401, 403, 404, 409, 412, 413, 503},
          .action = CommandSpec{
              .parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
                auto active = parse_active_body(rq.http.body);
                if (!active.ok()) return active.error();
                return engine::CommandBody{
                    engine::SetDriverActive{*Uuid::parse(rq.params[0]), *active}};
              },
              .respond = respond_with_driver(ctx),
              .if_match = true}};
}

}  // namespace

RouteTable driver_routes(const ApiContext& ctx) {
  return {register_driver(ctx), get_driver(ctx),       report_location(ctx),
          get_position(ctx),    set_availability(ctx), set_active(ctx)};
}

}  // namespace comanda::api
