#include "api/routes/accounts.h"

#include "api/http/problem.h"
#include "api/json/account_json.h"
#include "api/routes/responses.h"
#include "engine/domain/access.h"
#include "projections/accounts.h"
#include "projections/registry.h"
#include "projections/restaurants.h"

namespace comanda::api {

using engine::Error;
using engine::Role;
using engine::Uuid;

namespace {

const projections::AccountsModel& accounts(const ApiContext& ctx) {
  return ctx.views.get<projections::AccountsModel>();
}

// Admins, the owners of one of its restaurants, the customer, and their
// parent see an account.
bool may_view(const ApiContext& ctx, const engine::Principal& who,
              const projections::AccountView& a, const projections::AccountView* parent) {
  if (who.role == Role::kAdmin) return true;
  if (who.role == Role::kOwner) {
    const auto& restaurants = ctx.views.get<projections::RestaurantsModel>();
    for (const Uuid& r : a.details.restaurant_ids)
      if (engine::is_owner(who, restaurants.owners(r))) return true;
    return false;
  }
  if (who.role != Role::kCustomer) return false;
  return a.details.user_id == who.subject || (parent && parent->details.user_id == who.subject);
}

Response account_response(const ApiContext& ctx, int status, const projections::AccountView& a,
                          uint64_t position) {
  std::optional<projections::AccountView> parent;
  if (a.details.parent_id) parent = accounts(ctx).account(*a.details.parent_id);
  Response r = json_response(status, account_json(a, parent ? &*parent : nullptr), position);
  r.headers.emplace_back("ETag", etag(a.version));
  if (status == 201) r.headers.emplace_back("Location", "/v1/customers/" + a.id.to_string());
  return r;
}

Response get_account(const ApiContext& ctx, const RouteRequest& rq) {
  uint64_t position = 0;
  auto a = accounts(ctx).account(*Uuid::parse(rq.params[0]), &position);  // ids only
  std::optional<projections::AccountView> parent;
  if (a && a->details.parent_id) parent = accounts(ctx).account(*a->details.parent_id);
  if (!a || !may_view(ctx, rq.who(), *a, parent ? &*parent : nullptr))
    return problem(Error::not_found("no such customer account"));
  return account_response(ctx, 200, *a, position);
}

CommandSpec::Respond respond_with_account(const ApiContext& ctx, int status) {
  return [&ctx, status](const engine::Principal&, const engine::CommandResult& result,
                        const PathParams&) {
    auto a = accounts(ctx).account(result.stream);
    if (!a) return not_in_read_models();
    return account_response(ctx, status, *a, result.position);
  };
}

engine::Result<engine::CommandBody> register_account(const RouteRequest& rq) {
  auto parsed = parse_register_account(rq.http.body);
  if (!parsed.ok()) return parsed.error();
  parsed->account_id = Uuid::v7();
  return engine::CommandBody{std::move(parsed).value()};
}

engine::Result<engine::CommandBody> change_credit(const RouteRequest& rq) {
  auto parsed = parse_credit_change(rq.http.body);
  if (!parsed.ok()) return parsed.error();
  parsed->account_id = *Uuid::parse(rq.params[0]);  // ids only
  return engine::CommandBody{std::move(parsed).value()};
}

}  // namespace

RouteTable account_routes(const ApiContext& ctx) {
  return {
      {.method = "POST",
       .pattern = "/v1/customers",
       .summary = "Register a customer account (its restaurants, class, parent)",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot register customer accounts",
       .request_schema = "RegisterCustomer",
       .response_schema = "Customer",
       .statuses = {201},
       .problems = {400, 401, 403, 404, 409, 413, 422, 503},
       .action = CommandSpec{.parse = register_account, .respond = respond_with_account(ctx, 201)}},
      {.method = "GET",
       .pattern = "/v1/customers/{id}",
       .absent = "no such customer account",
       .summary = "A customer account with its credit and its parent",
       .response_schema = "Customer",
       .problems = {401, 404},
       .action = Query([&ctx](const RouteRequest& rq) { return get_account(ctx, rq); })},
      {.method = "POST",
       .pattern = "/v1/customers/{id}/credit",
       .absent = "no such customer account",
       .summary = "Top up a customer's credit, or adjust it (a negative amount; never below zero)",
       .roles = roles({Role::kAdmin, Role::kOwner}),
       .forbidden = "cannot change credit",
       .request_schema = "CreditChange",
       .response_schema = "Customer",
       .problems = {400, 401, 403, 404, 412, 413, 422, 503},
       .action = CommandSpec{.parse = change_credit,
                             .respond = respond_with_account(ctx, 200),
                             .if_match = true}},
  };
}

}  // namespace comanda::api
