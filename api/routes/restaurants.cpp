#include "api/routes/restaurants.h"

#include "api/http/problem.h"
#include "api/json/restaurant_json.h"
#include "api/routes/responses.h"
#include "engine/domain/access.h"
#include "projections/registry.h"
#include "projections/restaurants.h"

namespace comanda::api {

using engine::Role;
using engine::Uuid;

namespace {

// A restaurant, whole to its owners and admins, its public fields to anyone
// else authenticated.
Response get_restaurant(const ApiContext& ctx, const RouteRequest& rq) {
  const auto& restaurants = ctx.views.get<projections::RestaurantsModel>();
  uint64_t position = 0;
  // The router takes ids only.
  auto restaurant = restaurants.restaurant(*Uuid::parse(rq.params[0]), &position);
  if (!restaurant) return problem(engine::Error::not_found("no such restaurant"));
  const bool whole = engine::may_view_restaurant(rq.who(), restaurant->details.owners);
  Response r = json_response(
      200, whole ? restaurant_json(*restaurant) : public_restaurant_json(*restaurant), position);
  r.headers.emplace_back("ETag", etag(restaurant->version));
  return r;
}

// The restaurant now, as the answer to a command on it.
CommandSpec::Respond respond_with_restaurant(const ApiContext& ctx, int status) {
  return [&ctx, status](const engine::Principal&, const engine::CommandResult& result,
                        const PathParams&) {
    // result.stream, not an id minted by the parser: a replay names the first one.
    auto restaurant = ctx.views.get<projections::RestaurantsModel>().restaurant(result.stream);
    if (!restaurant) return not_in_read_models();
    Response r = json_response(status, restaurant_json(*restaurant), result.position);
    if (status == 201)
      r.headers.emplace_back("Location", "/v1/restaurants/" + result.stream.to_string());
    r.headers.emplace_back("ETag", etag(restaurant->version));
    return r;
  };
}

}  // namespace

RouteTable restaurant_routes(const ApiContext& ctx) {
  RouteTable table;
  table.push_back(
      {.method = "POST",
       .pattern = "/v1/restaurants",
       .summary = "Register a restaurant (its owners, currency, time zone, tax, series)",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot register restaurants",
       .request_schema = "RegisterRestaurant",
       .response_schema = "Restaurant",
       .statuses = {201},
       .problems = {400, 401, 403, 409, 413, 422, 503},
       .action = CommandSpec{
           .parse = [&ctx](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
             auto parsed = parse_register_restaurant(rq.http.body, ctx.default_time_zone);
             if (!parsed.ok()) return parsed.error();
             parsed->restaurant_id = engine::Uuid::v7();
             return engine::CommandBody{std::move(parsed).value()};
           },
           .respond = respond_with_restaurant(ctx, 201)}});
  table.push_back(
      {.method = "GET",
       .pattern = "/v1/restaurants/{id}",
       .absent = "no such restaurant",
       .summary = "A restaurant: its settings to its owners and admins, its public "
                  "fields to anyone",
       .response_schema = "Restaurant",
       .problems = {401, 404},
       .action = Query([&ctx](const RouteRequest& rq) { return get_restaurant(ctx, rq); })});
  table.push_back({.method = "PATCH",
                   .pattern = "/v1/restaurants/{id}",
                   .absent = "no such restaurant",
                   .summary = "Change a restaurant's details or settings, pause or resume it "
                              "(If-Match: its version)",
                   .roles = roles({Role::kAdmin, Role::kOwner}),
                   .forbidden = "cannot change restaurants",
                   .request_schema = "RestaurantPatch",
                   .response_schema = "Restaurant",
                   .problems = {400, 401, 403, 404, 412, 413, 422, 503},
                   .action = CommandSpec{
                       .parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
                         auto patch = parse_restaurant_patch(rq.http.body);
                         if (!patch.ok()) return patch.error();
                         // The router takes ids only.
                         return engine::CommandBody{engine::UpdateRestaurant{
                             *Uuid::parse(rq.params[0]), std::move(patch).value()}};
                       },
                       .respond = respond_with_restaurant(ctx, 200),
                       .if_match = true}});
  return table;
}

}  // namespace comanda::api
