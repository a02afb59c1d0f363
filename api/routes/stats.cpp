#include "api/routes/stats.h"

#include "api/http/problem.h"
#include "api/http/query_string.h"
#include "api/json/order_json.h"
#include "api/json/values_json.h"
#include "api/routes/responses.h"
#include "engine/base/clock.h"
#include "engine/base/time_zone.h"
#include "engine/domain/access.h"
#include "projections/orders.h"
#include "projections/registry.h"
#include "projections/restaurants.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::Role;
using engine::Uuid;

// ?date=YYYY-MM-DD, optional (today, in the restaurant's zone).
engine::Result<std::optional<engine::LocalDate>> parse_stats_query(std::string_view query) {
  std::optional<engine::LocalDate> date;
  for (const auto& [key, value] : parse_query(query)) {
    if (key != "date") return Error::invalid(key, "unknown query parameter '" + key + "'");
    if (date) return Error::invalid(key, "date is given twice: give it once");
    date = engine::parse_date(value);
    if (!date) return Error::invalid(key, "date must be a date, YYYY-MM-DD");
  }
  return date;
}

Response restaurant_stats(const ApiContext& ctx, const RouteRequest& rq) {
  auto date = parse_stats_query(rq.http.query);
  if (!date.ok()) return problem(date.error());
  const Uuid id = *Uuid::parse(rq.params[0]);  // the router takes ids only
  auto restaurant = ctx.views.get<projections::RestaurantsModel>().restaurant(id);
  if (!restaurant || !engine::may_view_restaurant(rq.who(), restaurant->details.owners))
    return problem(Error::not_found("no such restaurant"));
  uint64_t position = 0;
  const projections::DayStats stats = ctx.views.get<projections::OrdersModel>().day_stats(
      id, *date, engine::utc_now_us(), &position);
  return json_response(200, day_stats_json(stats, restaurant->details.currency), position);
}

}  // namespace

RouteTable stats_routes(const ApiContext& ctx) {
  return {{.method = "GET",
           .pattern = "/v1/restaurants/{id}/stats",
           .absent = "no such restaurant",
           .summary = "A restaurant's local day: orders by status, and revenue",
           .roles = roles({Role::kAdmin, Role::kOwner}),
           .forbidden = "cannot see a restaurant's numbers",
           .response_schema = "DayStats",
           .problems = {400, 401, 403, 404},
           .action = Query([&ctx](const RouteRequest& rq) { return restaurant_stats(ctx, rq); })}};
}

}  // namespace comanda::api
