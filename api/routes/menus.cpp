#include "api/routes/menus.h"

#include "api/http/problem.h"
#include "api/json/menu_json.h"
#include "api/routes/responses.h"
#include "projections/menus.h"
#include "projections/registry.h"

namespace comanda::api {

using engine::Error;
using engine::Role;
using engine::Uuid;

namespace {

const projections::MenusModel& menus(const ApiContext& ctx) {
  return ctx.views.get<projections::MenusModel>();
}

Response menu_response(const projections::MenuView& menu, uint64_t position) {
  Response r = json_response(200, menu_json(menu), position);
  r.headers.emplace_back("ETag", etag(menu.version));
  return r;
}

// An item's answer; its ETag is the menu's version (If-Match is the menu's).
Response item_response(const projections::MenusModel::Item& item, uint64_t position) {
  Response r = json_response(200, menu_item_json(item.item, item.currency), position);
  r.headers.emplace_back("ETag", etag(item.version));
  return r;
}

Response get_menu(const ApiContext& ctx, const RouteRequest& rq) {
  uint64_t position = 0;
  // The router takes ids only.
  auto menu = menus(ctx).menu(*Uuid::parse(rq.params[0]), &position);
  if (!menu) return problem(Error::not_found("no such restaurant"));
  return menu_response(*menu, position);
}

Response get_item(const ApiContext& ctx, const RouteRequest& rq) {
  uint64_t position = 0;
  const Uuid restaurant = *Uuid::parse(rq.params[0]);
  auto item = menus(ctx).item(restaurant, rq.params[1], &position);
  if (item) return item_response(*item, position);
  if (!menus(ctx).menu(restaurant)) return problem(Error::not_found("no such restaurant"));
  return problem(Error::not_found("no such menu item"));
}

// The restaurant a menu command names: its menu's stream, read back.
Uuid restaurant_of(const engine::CommandResult& result) {
  return engine::menu_stream_of(result.stream);
}

CommandSpec::Respond respond_with_menu(const ApiContext& ctx) {
  return [&ctx](const engine::Principal&, const engine::CommandResult& result, const PathParams&) {
    auto menu = menus(ctx).menu(restaurant_of(result));
    if (!menu) return not_in_read_models();
    return menu_response(*menu, result.position);
  };
}

CommandSpec::Respond respond_with_item(const ApiContext& ctx) {
  return [&ctx](const engine::Principal&, const engine::CommandResult& result,
                const PathParams& params) {
    auto item = menus(ctx).item(restaurant_of(result), params[1]);
    if (!item) return not_in_read_models();
    return item_response(*item, result.position);
  };
}

Response item_removed(const engine::Principal&, const engine::CommandResult& result,
                      const PathParams&) {
  Response r = no_content(result.position);
  r.headers.emplace_back("ETag", etag(result.stream_version));  // the menu's
  return r;
}

Uuid restaurant_in_path(const RouteRequest& rq) { return *Uuid::parse(rq.params[0]); }

engine::Result<engine::CommandBody> replace_menu(const RouteRequest& rq) {
  auto parsed = parse_replace_menu(rq.http.body);
  if (!parsed.ok()) return parsed.error();
  parsed->restaurant_id = restaurant_in_path(rq);
  return engine::CommandBody{std::move(parsed).value()};
}

engine::Result<engine::CommandBody> put_item(const RouteRequest& rq) {
  if (auto sku = engine::validate_sku(rq.params[1], "sku"); !sku.ok()) return sku.error();
  auto parsed = parse_put_menu_item(rq.http.body, rq.params[1]);
  if (!parsed.ok()) return parsed.error();
  parsed->restaurant_id = restaurant_in_path(rq);
  return engine::CommandBody{std::move(parsed).value()};
}

engine::Result<engine::CommandBody> change_item(const RouteRequest& rq) {
  auto patch = parse_menu_item_patch(rq.http.body);
  if (!patch.ok()) return patch.error();
  return engine::CommandBody{
      engine::ChangeMenuItem{restaurant_in_path(rq), rq.params[1], std::move(patch).value()}};
}

engine::Result<engine::CommandBody> remove_item(const RouteRequest& rq) {
  return engine::CommandBody{engine::RemoveMenuItem{restaurant_in_path(rq), rq.params[1]}};
}

}  // namespace

RouteTable menu_routes(const ApiContext& ctx) {
  const auto kWriters = roles({Role::kAdmin, Role::kOwner});
  const std::vector<int> kWriteProblems = {400, 401, 403, 404, 412, 413, 422, 503};
  return {
      {.method = "GET",
       .pattern = "/v1/restaurants/{id}/menu",
       .absent = "no such restaurant",
       .summary = "A restaurant's menu, items by sku (ETag: its version)",
       .response_schema = "Menu",
       .problems = {401, 404},
       .action = Query([&ctx](const RouteRequest& rq) { return get_menu(ctx, rq); })},
      {.method = "PUT",
       .pattern = "/v1/restaurants/{id}/menu",
       .absent = "no such restaurant",
       .summary = "Replace a restaurant's menu (If-Match: its version)",
       .roles = kWriters,
       .forbidden = "cannot change menus",
       .request_schema = "MenuReplacement",
       .response_schema = "Menu",
       .problems = kWriteProblems,
       .action =
           CommandSpec{.parse = replace_menu, .respond = respond_with_menu(ctx), .if_match = true}},
      {.method = "GET",
       .pattern = "/v1/restaurants/{id}/menu/items/{sku}",
       .absent = "no such restaurant",
       .summary = "One item of a restaurant's menu (ETag: the menu's version)",
       .response_schema = "MenuItem",
       .problems = {401, 404},
       .action = Query([&ctx](const RouteRequest& rq) { return get_item(ctx, rq); })},
      {.method = "PUT",
       .pattern = "/v1/restaurants/{id}/menu/items/{sku}",
       .absent = "no such restaurant",
       .summary = "Add an item to a menu, or replace it (If-Match: the menu's version)",
       .roles = kWriters,
       .forbidden = "cannot change menus",
       .request_schema = "MenuItemReplacement",
       .response_schema = "MenuItem",
       .problems = kWriteProblems,
       .action =
           CommandSpec{.parse = put_item, .respond = respond_with_item(ctx), .if_match = true}},
      {.method = "PATCH",
       .pattern = "/v1/restaurants/{id}/menu/items/{sku}",
       .absent = "no such restaurant",
       .summary = "Change an item's price, availability, name, modifiers or removals",
       .roles = kWriters,
       .forbidden = "cannot change menus",
       .request_schema = "MenuItemPatch",
       .response_schema = "MenuItem",
       .problems = kWriteProblems,
       .action =
           CommandSpec{.parse = change_item, .respond = respond_with_item(ctx), .if_match = true}},
      {.method = "DELETE",
       .pattern = "/v1/restaurants/{id}/menu/items/{sku}",
       .absent = "no such restaurant",
       .summary = "Take an item off a menu (204)",
       .roles = kWriters,
       .forbidden = "cannot change menus",
       .request_schema = "",
       .response_schema = "",
       .statuses = {204},
       .problems = {401, 403, 404, 412, 503},
       .action = CommandSpec{.parse = remove_item, .respond = item_removed, .if_match = true}},
  };
}

}  // namespace comanda::api
