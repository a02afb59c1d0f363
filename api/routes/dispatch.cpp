#include "api/routes/dispatch.h"

#include "api/json/dispatch_json.h"
#include "api/routes/orders.h"

namespace comanda::api {
namespace {

using engine::Role;
using engine::Uuid;

Uuid order_in_path(const RouteRequest& rq) { return *Uuid::parse(rq.params[0]); }  // ids only

engine::Result<engine::CommandBody> accept_delivery_command(const RouteRequest& rq) {
  auto accept = parse_accept_delivery(rq.http.body);
  if (!accept.ok()) return accept.error();
  accept->order_id = order_in_path(rq);
  return engine::CommandBody{std::move(accept).value()};
}

engine::Result<engine::CommandBody> drop_delivery_command(const RouteRequest& rq) {
  auto drop = parse_drop_delivery(rq.http.body);
  if (!drop.ok()) return drop.error();
  drop->order_id = order_in_path(rq);
  return engine::CommandBody{std::move(drop).value()};
}

// The driver's "delivered": the status step (a body, like archive's, is not read).
engine::Result<engine::CommandBody> delivered_command(const RouteRequest& rq) {
  return engine::CommandBody{engine::ChangeOrderStatus{order_in_path(rq), "delivered", ""}};
}

Route driver_action(const ApiContext& ctx, std::string_view pattern, std::string_view summary,
                    std::string_view forbidden, std::string_view request_schema,
                    CommandSpec::Parse parse) {
  return {.method = "POST",
          .pattern = pattern,
          .absent = "no such order",
          .summary = summary,
          .roles = roles({Role::kAdmin, Role::kDriver}),
          .forbidden = forbidden,
          .request_schema = request_schema,
          .body_optional = true,  // an empty body is {}, or (delivered) not read
          .response_schema = "Order",
          .problems = {400, 401, 403, 404, 409, 412, 413, 422, 503},
          .action = CommandSpec{.parse = std::move(parse),
                                .respond = respond_with_order(ctx, 200),
                                .if_match = true,
                                .may_need_load = true}};
}

}  // namespace

RouteTable dispatch_routes(const ApiContext& ctx) {
  return {
      driver_action(ctx, "/v1/orders/{id}/accept-delivery",
                    "An offered driver takes the delivery (first wins); an admin assigns one",
                    "cannot take deliveries", "AcceptDelivery", accept_delivery_command),
      driver_action(ctx, "/v1/orders/{id}/drop-delivery",
                    "The assigned driver gives the delivery up before pickup; it is offered anew",
                    "cannot drop deliveries", "DropDelivery", drop_delivery_command),
      driver_action(ctx, "/v1/orders/{id}/delivered",
                    "The assigned driver hands the order over (the delivered step)",
                    "cannot mark deliveries delivered", "Empty", delivered_command),
  };
}

}  // namespace comanda::api
