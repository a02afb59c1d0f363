#include "api/routes/orders.h"

#include <charconv>

#include "api/http/problem.h"
#include "api/json/event_json.h"
#include "api/json/order_json.h"
#include "api/routes/order_query.h"
#include "api/routes/responses.h"
#include "engine/base/clock.h"
#include "engine/domain/access.h"
#include "projections/orders.h"
#include "projections/registry.h"
#include "projections/restaurants.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::Role;
using engine::Uuid;

Response order_response(const ApiContext& ctx, int status, const projections::OrderView& order,
                        uint64_t position) {
  Response r = json_response(
      status, order_json(order, &ctx.views.get<projections::AccountsModel>()), position);
  r.headers.emplace_back("ETag", etag(order.version));
  return r;
}

const projections::OrdersModel& orders(const ApiContext& ctx) {
  return ctx.views.get<projections::OrdersModel>();
}

Response no_such_order() { return problem(Error::not_found("no such order")); }

Response list_orders(const ApiContext& ctx, const RouteRequest& rq) {
  auto query = parse_order_query(rq.http.query);
  if (!query.ok()) return problem(query.error());
  query->viewer = rq.who();
  const projections::OrderPage page = orders(ctx).list_orders(*query);
  ctx.metrics->query_rows_examined.observe(static_cast<double>(page.rows_examined));
  JsonWriter w;
  w.begin_object().key("orders").begin_array();
  const auto& accounts = ctx.views.get<projections::AccountsModel>();
  for (const auto& o : page.orders) write_order(w, o, &accounts);
  w.end_array().key("next_cursor");
  if (page.next_cursor)
    w.string(encode_cursor(page.next_cursor));
  else
    w.null();
  w.end_object();
  return json_response(200, w.take(), page.position);
}

// The kitchen board: the restaurant's open orders, newest first. Another
// tenant's restaurant gives an empty board, as a filtered list does.
Response kitchen_board(const ApiContext& ctx, const RouteRequest& rq) {
  auto restaurant = parse_board_query(rq.http.query);
  if (!restaurant.ok()) return problem(restaurant.error());
  uint64_t position = 0;
  const auto& restaurants = ctx.views.get<projections::RestaurantsModel>();
  std::vector<projections::OrderView> board;
  if (engine::may_view_restaurant(rq.who(), restaurants.owners(*restaurant)))
    board = orders(ctx).active_orders(*restaurant, &position);
  else
    position = ctx.committed_position();
  const int64_t now_us = engine::utc_now_us();
  JsonWriter w;
  w.begin_object().key("orders").begin_array();
  for (const auto& o : board) write_board_order(w, o, rq.who(), now_us);
  w.end_array().end_object();
  return json_response(200, w.take(), position);
}

Response get_order(const ApiContext& ctx, const RouteRequest& rq) {
  uint64_t position = 0;
  // The router takes ids only.
  auto order = orders(ctx).order_for(*Uuid::parse(rq.params[0]), rq.who(), &position);
  if (!order) return no_such_order();
  return order_response(ctx, 200, *order, position);
}

// The app an order came from (ordering.co's app_id), from X-App-Id: 1 to 64
// visible ASCII characters.
engine::Result<std::string> app_id_of(const Request& http) {
  auto header = http.find_header("x-app-id");
  if (!header) return std::string();
  bool visible = !header->empty() && header->size() <= 64;
  for (char c : *header) visible &= c > 0x20 && c < 0x7F;
  if (!visible)
    return Error::invalid("X-App-Id", "X-App-Id must be 1 to 64 visible ASCII characters");
  return std::string(*header);
}

// The order's events from the log, a deleted order's too: its restaurant's
// owners and admins (anyone else: 404).
Response order_events(const ApiContext& ctx, const RouteRequest& rq) {
  std::vector<engine::Event> events;
  const uint64_t position = ctx.committed_position();
  engine::Status read = ctx.read_stream(*Uuid::parse(rq.params[0]), [&](const engine::Event& e) {
    events.push_back(e);
    return true;
  });
  if (!read.ok()) return problem(read.error());
  const auto* placed =
      events.empty() ? nullptr : std::get_if<engine::OrderPlaced>(&events.front().payload);
  if (!placed) return no_such_order();  // no such stream, or not an order's
  const auto& restaurants = ctx.views.get<projections::RestaurantsModel>();
  if (!engine::may_view_restaurant(rq.who(), restaurants.owners(placed->restaurant_id)))
    return no_such_order();
  const std::string currency = restaurants.currency(placed->restaurant_id);
  JsonWriter w;
  w.begin_object().key("events").begin_array();
  for (const engine::Event& e : events) write_event(w, e, currency);
  w.end_array().end_object();
  return json_response(200, w.take(), position);
}

engine::Result<engine::CommandBody> place_order_command(const RouteRequest& rq) {
  auto app = app_id_of(rq.http);
  if (!app.ok()) return app.error();
  auto parsed = parse_place_order(rq.http.body);
  if (!parsed.ok()) return parsed.error();
  parsed->order_id = Uuid::v7();
  parsed->app_id = std::move(*app);
  return engine::CommandBody{std::move(parsed).value()};
}

Uuid order_in_path(const RouteRequest& rq) { return *Uuid::parse(rq.params[0]); }  // ids only

engine::Result<engine::CommandBody> change_order_command(const RouteRequest& rq) {
  auto patch = parse_order_patch(rq.http.body);
  if (!patch.ok()) return patch.error();
  return engine::CommandBody{engine::ChangeOrder{order_in_path(rq), std::move(patch).value()}};
}

engine::Result<engine::CommandBody> replace_order_command(const RouteRequest& rq) {
  auto order = parse_replace_order(rq.http.body);
  if (!order.ok()) return order.error();
  return engine::CommandBody{engine::ReplaceOrder{order_in_path(rq), std::move(order).value()}};
}

engine::Result<engine::CommandBody> fulfill_line_command(const RouteRequest& rq) {
  uint32_t line = 0;  // from 1, as people count them
  const std::string& n = rq.params[1];
  auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), line);
  if (ec != std::errc() || end != n.data() + n.size() || line == 0)
    return Error::not_found("the order has no line " + n + " (lines count from 1)");
  auto quantity = parse_line_fulfilled(rq.http.body);
  if (!quantity.ok()) return quantity.error();
  return engine::CommandBody{engine::FulfillLine{order_in_path(rq), line - 1, *quantity}};
}

engine::Result<engine::CommandBody> archive_order_command(const RouteRequest& rq) {
  return engine::CommandBody{engine::ArchiveOrder{order_in_path(rq)}};
}

engine::Result<engine::CommandBody> not_ready_command(const RouteRequest& rq) {
  auto not_ready = parse_not_ready(rq.http.body);
  if (!not_ready.ok()) return not_ready.error();
  return engine::CommandBody{engine::SetNotReady{order_in_path(rq), *not_ready}};
}

engine::Result<engine::CommandBody> delete_order_command(const RouteRequest& rq) {
  return engine::CommandBody{engine::DeleteOrder{order_in_path(rq)}};
}

Response deleted(const engine::Principal&, const engine::CommandResult& result, const PathParams&) {
  return no_content(result.position);
}

engine::Result<engine::CommandBody> status_change_command(const RouteRequest& rq) {
  auto parsed = parse_status_change(rq.http.body);
  if (!parsed.ok()) return parsed.error();
  parsed->order_id = *Uuid::parse(rq.params[0]);  // the router takes ids only
  return engine::CommandBody{std::move(parsed).value()};
}

}  // namespace

CommandSpec::Respond respond_with_order(const ApiContext& ctx, int status) {
  return [&ctx, status](const engine::Principal&, const engine::CommandResult& result,
                        const PathParams&) {
    auto order = orders(ctx).order(result.stream);
    if (!order) return not_in_read_models();
    Response r = order_response(ctx, status, *order, result.position);
    if (status == 201)
      r.headers.emplace_back("Location", "/v1/orders/" + result.stream.to_string());
    return r;
  };
}

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
       .statuses = {201},
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
       .pattern = "/v1/orders/active",
       .summary = "A restaurant's open orders, newest first: the kitchen board",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot read a kitchen board",
       .response_schema = "KitchenBoard",
       .problems = {400, 401, 403},
       .action = Query([&ctx](const RouteRequest& rq) { return kitchen_board(ctx, rq); })},
      {.method = "GET",
       .pattern = "/v1/orders/{id}",
       .absent = "no such order",
       .summary = "One order (ETag: its version)",
       .response_schema = "Order",
       .problems = {401, 404},
       .action = Query([&ctx](const RouteRequest& rq) { return get_order(ctx, rq); })},
      {.method = "GET",
       .pattern = "/v1/orders/{id}/events",
       .absent = "no such order",
       .summary = "An order's events from the log, oldest first (a deleted order's too)",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot read an order's events",
       .response_schema = "EventList",
       .problems = {401, 403, 404},
       .action = Query([&ctx](const RouteRequest& rq) { return order_events(ctx, rq); })},
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
      {.method = "PATCH",
       .pattern = "/v1/orders/{id}",
       .absent = "no such order",
       .summary = "Change an order while it is pending or scheduled; it is priced again",
       .request_schema = "OrderPatch",
       .response_schema = "Order",
       .problems = kCommandProblems,
       .action = CommandSpec{.parse = change_order_command,
                             .respond = respond_with_order(ctx, 200),
                             .if_match = true,
                             .may_need_load = true}},
      {.method = "PUT",
       .pattern = "/v1/orders/{id}",
       .absent = "no such order",
       .summary = "Replace an order whole while it is pending or scheduled (Pedido's update)",
       .request_schema = "OrderReplacement",
       .response_schema = "Order",
       .problems = kCommandProblems,
       .action = CommandSpec{.parse = replace_order_command,
                             .respond = respond_with_order(ctx, 200),
                             .if_match = true,
                             .may_need_load = true}},
      {.method = "DELETE",
       .pattern = "/v1/orders/{id}",
       .absent = "no such order",
       .summary = "Delete an order (204): a tombstone; its history stays in the log",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot delete orders",
       .statuses = {204},
       .problems = {401, 403, 404, 409, 412, 503},
       .action = CommandSpec{.parse = delete_order_command,
                             .respond = deleted,
                             .if_match = true,
                             .may_need_load = true}},
      {.method = "POST",
       .pattern = "/v1/orders/{id}/archive",
       .absent = "no such order",
       .summary = "Archive a finished order: default lists leave it out",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot archive orders",
       .request_schema = "Empty",
       .body_optional = true,
       .response_schema = "Order",
       .problems = kCommandProblems,
       .action = CommandSpec{.parse = archive_order_command,
                             .respond = respond_with_order(ctx, 200),
                             .if_match = true,
                             .may_need_load = true}},
      {.method = "POST",
       .pattern = "/v1/orders/{id}/not-ready",
       .absent = "no such order",
       .summary = "Flag the order not ready (14) while its driver waits, or ready again",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot flag orders not ready",
       .request_schema = "NotReady",
       .response_schema = "Order",
       .problems = kCommandProblems,
       .action = CommandSpec{.parse = not_ready_command,
                             .respond = respond_with_order(ctx, 200),
                             .if_match = true,
                             .may_need_load = true}},
      {.method = "POST",
       .pattern = "/v1/orders/{id}/lines/{n}/fulfilled",
       .absent = "no such order",
       .summary = "Mark how many of a line the kitchen has made (Canteen's fulfilment)",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot mark lines fulfilled",
       .request_schema = "LineFulfilled",
       .response_schema = "Order",
       .problems = kCommandProblems,
       .action = CommandSpec{.parse = fulfill_line_command,
                             .respond = respond_with_order(ctx, 200),
                             .if_match = true,
                             .may_need_load = true}},
  };
}

}  // namespace comanda::api
