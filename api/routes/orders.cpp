#include "api/routes/orders.h"

#include "api/http/problem.h"
#include "api/json/order_json.h"
#include "api/routes/order_query.h"
#include "api/routes/responses.h"
#include "projections/orders.h"
#include "projections/registry.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::Role;
using engine::Uuid;

Response order_response(int status, const projections::OrderView& order, uint64_t position) {
  Response r = json_response(status, order_json(order), position);
  r.headers.emplace_back("ETag", etag(order.version));
  return r;
}

const projections::OrdersModel& orders(const ApiContext& ctx) {
  return ctx.views.get<projections::OrdersModel>();
}

Response no_such_order() { return problem(Error::not_found("no such order")); }

// The order now, as the answer to a command on it.
CommandSpec::Respond respond_with_order(const ApiContext& ctx, int status) {
  return [&ctx, status](const engine::Principal&, const engine::CommandResult& result,
                        const PathParams&) {
    auto order = orders(ctx).order(result.stream);
    if (!order) return not_in_read_models();
    Response r = order_response(status, *order, result.position);
    if (status == 201)
      r.headers.emplace_back("Location", "/v1/orders/" + result.stream.to_string());
    return r;
  };
}

Response list_orders(const ApiContext& ctx, const RouteRequest& rq) {
  auto query = parse_order_query(rq.http.query);
  if (!query.ok()) return problem(query.error());
  query->viewer = rq.who();
  const projections::OrderPage page = orders(ctx).list_orders(*query);
  JsonWriter w;
  w.begin_object().key("orders").begin_array();
  for (const auto& o : page.orders) write_order(w, o);
  w.end_array().key("next_cursor");
  if (page.next_cursor)
    w.string(encode_cursor(page.next_cursor));
  else
    w.null();
  w.end_object();
  return json_response(200, w.take(), page.position);
}

Response get_order(const ApiContext& ctx, const RouteRequest& rq) {
  uint64_t position = 0;
  // The router takes ids only.
  auto order = orders(ctx).order_for(*Uuid::parse(rq.params[0]), rq.who(), &position);
  if (!order) return no_such_order();
  return order_response(200, *order, position);
}

engine::Result<engine::CommandBody> place_order_command(const RouteRequest& rq) {
  auto parsed = parse_place_order(rq.http.body);
  if (!parsed.ok()) return parsed.error();
  parsed->order_id = Uuid::v7();
  return engine::CommandBody{std::move(parsed).value()};
}

engine::Result<engine::CommandBody> status_change_command(const RouteRequest& rq) {
  auto parsed = parse_status_change(rq.http.body);
  if (!parsed.ok()) return parsed.error();
  parsed->order_id = *Uuid::parse(rq.params[0]);  // the router takes ids only
  return engine::CommandBody{std::move(parsed).value()};
}

}  // namespace

RouteTable order_routes(const ApiContext& ctx) {
  const std::vector<int> kCommandProblems = {400, 401, 403, 404, 409, 412, 413, 422, 503};
  return {
      {.method = "POST",
       .pattern = "/v1/orders",
       .summary = "Place an order; the server prices it and gives it its reference",
       .roles = roles({Role::kAdmin, Role::kOwner, Role::kCustomer}),
       .forbidden = "cannot place orders",
       .request_schema = "PlaceOrder",
       .response_schema = "Order",
       .problems = kCommandProblems,
       .action =
           CommandSpec{.parse = place_order_command, .respond = respond_with_order(ctx, 201)}},
      {.method = "GET",
       .pattern = "/v1/orders",
       .summary = "Orders the caller may see, newest first, filtered and paged",
       .response_schema = "OrderPage",
       .problems = {400, 401},
       .action = Query([&ctx](const RouteRequest& rq) { return list_orders(ctx, rq); })},
      {.method = "GET",
       .pattern = "/v1/orders/{id}",
       .absent = "no such order",
       .summary = "One order (ETag: its version)",
       .response_schema = "Order",
       .problems = {401, 404},
       .action = Query([&ctx](const RouteRequest& rq) { return get_order(ctx, rq); })},
      {.method = "POST",
       .pattern = "/v1/orders/{id}/status",
       .absent = "no such order",
       .summary = "Move an order to another status (name, alias or code)",
       .request_schema = "StatusChange",
       .response_schema = "Order",
       .problems = kCommandProblems,
       .action = CommandSpec{.parse = status_change_command,
                             .respond = respond_with_order(ctx, 200),
                             .if_match = true,
                             .may_need_load = true}},
  };
}

}  // namespace comanda::api
