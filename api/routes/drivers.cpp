#include "api/routes/drivers.h"

#include "api/http/problem.h"
#include "api/json/driver_json.h"
#include "api/json/order_json.h"
#include "api/routes/driver_query.h"
#include "api/routes/responses.h"
#include "engine/base/clock.h"
#include "projections/drivers.h"
#include "projections/orders.h"
#include "projections/registry.h"
#include "projections/restaurants.h"

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
          .statuses = {201},
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
            // A customer sees the driver delivering their order, as on the
            // WebSocket's drivers/{id}/position.
            if (!driver)
              driver = drivers(ctx).delivering_to(
                  *Uuid::parse(rq.params[0]), rq.who(),
                  [&ctx](const Uuid& order) {
                    return ctx.views.get<projections::OrdersModel>().customer_of(order);
                  },
                  &position);
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

// The drivers nearest a point (a dispatcher's map). Drivers are a fleet
// every restaurant draws on: owners see its positions, as admins do.
Route nearby_drivers(const ApiContext& ctx) {
  return {.method = "GET",
          .pattern = "/v1/drivers/positions",
          .summary = "The drivers nearest a point, nearest first",
          .roles = roles({Role::kAdmin, Role::kOwner}),
          .forbidden = "cannot see the fleet's positions",
          .response_schema = "NearbyDrivers",
          .problems = {400, 401, 403},
          .action = Query([&ctx](const RouteRequest& rq) {
            auto q = parse_near_query(rq.http.query);
            if (!q.ok()) return problem(q.error());
            uint64_t position = 0;
            const auto found =
                drivers(ctx).nearest(q->near, q->radius_m, q->available, q->limit, &position);
            JsonWriter w;
            w.begin_object().key("drivers").begin_array();
            for (const auto& nearby : found) write_nearby_driver(w, nearby);
            w.end_array().end_object();
            return json_response(200, w.take(), position);
          })};
}

// What a driver's app shows: its offers, deliveries in transit and those
// completed today (the local day of each order's restaurant).
Response panel_response(const ApiContext& ctx, const Uuid& driver) {
  uint64_t position = 0;
  const projections::DriverPanel panel = ctx.views.get<projections::OrdersModel>().driver_panel(
      driver, engine::utc_now_us(), &position);
  const auto& restaurants = ctx.views.get<projections::RestaurantsModel>();
  JsonWriter w;
  w.begin_object().key("driver_id").string(driver.to_string());
  const auto list = [&](std::string_view key, const std::vector<projections::OrderView>& orders) {
    w.key(key).begin_array();
    for (const auto& o : orders) {
      auto restaurant = restaurants.restaurant(o.placed.restaurant_id);
      write_panel_order(w, o, restaurant ? &*restaurant : nullptr);
    }
    w.end_array();
  };
  list("offers", panel.offers);
  list("in_transit", panel.in_transit);
  list("completed_today", panel.completed_today);
  w.end_object();
  return json_response(200, w.take(), position);
}

Route driver_panel(const ApiContext& ctx) {
  return {.method = "GET",
          .pattern = "/v1/drivers/{id}/panel",
          .absent = "no such driver",
          .summary = "The driver's offers, deliveries in transit and completed today",
          .roles = roles({Role::kAdmin, Role::kDriver}),
          .forbidden = "cannot see a driver's panel",
          .response_schema = "DriverPanel",
          .problems = {401, 403, 404},
          .action = Query([&ctx](const RouteRequest& rq) {
            uint64_t position = 0;
            auto driver = driver_at(ctx, rq, position);
            return driver ? panel_response(ctx, driver->id) : no_such_driver();
          })};
}

}  // namespace

RouteTable driver_routes(const ApiContext& ctx) {
  // The literal /v1/drivers/positions before /v1/drivers/{id}.
  return {nearby_drivers(ctx), register_driver(ctx),  get_driver(ctx), report_location(ctx),
          get_position(ctx),   set_availability(ctx), set_active(ctx), driver_panel(ctx)};
}

}  // namespace comanda::api
