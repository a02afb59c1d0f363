// The router (api/routes/router.h): patterns, 404 and 405, authentication
// before any route that is not open, the route's roles, and the values of
// its placeholders.
#include "api/routes/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

#include "api/auth/jwt.h"
#include "api/routes/routes.h"
#include "engine/base/clock.h"
#include "projections/read_models.h"
#include "projections/registry.h"

namespace {

using namespace comanda;
using api::Request;
using api::Response;
using api::Route;
using api::RouteRequest;
using engine::Principal;
using engine::Role;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kSecret = "router-test-secret-0123456789-0123456789";
const std::string kId = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";

// What the routes saw.
struct Seen {
  std::string route;
  std::vector<std::string> params;
  std::optional<Principal> caller;
};

Route query(std::string_view method, std::string_view pattern, Seen& seen,
            api::RoleMask roles = api::kAnyRole, bool open = false) {
  Route r;
  r.method = method;
  r.pattern = pattern;
  r.open = open;
  r.roles = roles;
  r.forbidden = "cannot do this";
  r.absent = "no such thing";
  r.action = api::Query([&seen, pattern](const RouteRequest& rq) {
    seen.route = std::string(pattern);
    seen.params = rq.params;
    seen.caller = rq.caller ? std::optional<Principal>(*rq.caller) : std::nullopt;
    Response response;
    response.body = "{}";
    return response;
  });
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest()
      : auth_(api::JwtVerifier(api::JwtOptions{kSecret}), /*dev=*/false),
        commands_([](engine::Command&&) { return false; }, {},
                  [](std::function<void()> f) { f(); }),
        router_(
            {
                query("GET", "/healthz", seen_, api::kAnyRole, /*open=*/true),
                query("GET", "/v1/orders/active", seen_),
                query("GET", "/v1/orders/{id}", seen_),
                query("POST", "/v1/orders/{id}", seen_),
                query("POST", "/v1/orders/{id}/lines/{n}", seen_),
                query("POST", "/v1/restaurants", seen_, api::roles({Role::kAdmin, Role::kOwner})),
            },
            auth_, commands_) {}

  Response call(std::string method, std::string path, std::optional<Principal> who = std::nullopt) {
    Request rq;
    rq.method = std::move(method);
    rq.path = std::move(path);
    if (who) {
      auto token = api::mint_jwt({kSecret}, *who, engine::utc_now_us() / 1'000'000, 600);
      EXPECT_TRUE(token.ok());
      rq.headers.emplace_back("authorization", "Bearer " + *token);
    }
    std::optional<Response> answer;
    router_.dispatch(rq, [&](Response r) { answer = std::move(r); });
    EXPECT_TRUE(answer) << "dispatch answered nothing";
    return answer.value_or(Response{});
  }

  static std::string header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  Seen seen_;
  api::Authenticator auth_;
  api::CommandPath commands_;
  api::Router router_;
  const Principal owner_{"u-owner-1", Role::kOwner};
};

TEST_F(RouterTest, AnOpenRouteAnswersWithoutAToken) {
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(seen_.route, "/healthz");
  EXPECT_FALSE(seen_.caller);
}

TEST_F(RouterTest, EveryOtherRouteNeedsAValidTokenBeforeItRuns) {
  Response r = call("GET", "/v1/orders/" + kId);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(header(r, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(seen_.route, "") << "the route ran without a caller";

  EXPECT_EQ(call("GET", "/v1/orders/" + kId, owner_).status, 200);
  ASSERT_TRUE(seen_.caller);
  EXPECT_EQ(*seen_.caller, owner_);
}

TEST_F(RouterTest, ARoleTheRouteDoesNotListIsForbiddenBeforeItRuns) {
  Response r = call("POST", "/v1/restaurants", Principal{"u-cust-1", Role::kCustomer});
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(r.body, HasSubstr("a caller with role customer cannot do this"));
  EXPECT_EQ(seen_.route, "");
  EXPECT_EQ(call("POST", "/v1/restaurants", owner_).status, 200);
}

TEST_F(RouterTest, LiteralSegmentsMatchBeforePlaceholdersInTableOrder) {
  call("GET", "/v1/orders/active", owner_);
  EXPECT_EQ(seen_.route, "/v1/orders/active");
  EXPECT_TRUE(seen_.params.empty());
  call("GET", "/v1/orders/" + kId, owner_);
  EXPECT_EQ(seen_.route, "/v1/orders/{id}");
  EXPECT_THAT(seen_.params, ElementsAre(kId));
}

TEST_F(RouterTest, PlaceholdersArePassedInPatternOrder) {
  call("POST", "/v1/orders/" + kId + "/lines/2", owner_);
  EXPECT_EQ(seen_.route, "/v1/orders/{id}/lines/{n}");
  EXPECT_THAT(seen_.params, ElementsAre(kId, "2"));
}

TEST_F(RouterTest, AnIdPlaceholderTakesIdsOnlyAnsweringAsForAnAbsentOne) {
  Response r = call("POST", "/v1/orders/o-1/lines/2", owner_);
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("no such thing"));
  EXPECT_EQ(seen_.route, "") << "the route never saw it";
  // Only after authentication: without a token it is a 401, as anywhere.
  EXPECT_EQ(call("GET", "/v1/orders/o-1").status, 401);
}

TEST_F(RouterTest, AnUnknownPathIsA404AndAnEmptySegmentMatchesNoPlaceholder) {
  EXPECT_EQ(call("GET", "/v1/nothing", owner_).status, 404);
  EXPECT_EQ(call("GET", "/v1/orders/", owner_).status, 404);
  EXPECT_EQ(call("GET", "/v1/orders/1/2/3", owner_).status, 404);
  EXPECT_EQ(seen_.route, "");
}

TEST_F(RouterTest, AKnownPathWithAnotherMethodIsA405ListingTheAllowedOnesInTableOrder) {
  Response r = call("DELETE", "/v1/orders/9", owner_);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "GET, POST");
  EXPECT_THAT(r.body, HasSubstr("allowed: GET, POST"));
}

TEST(SplitPath, DropsTheLeadingSlashAndKeepsEmptySegments) {
  EXPECT_THAT(api::split_path("/v1/orders"), ElementsAre("v1", "orders"));
  EXPECT_THAT(api::split_path("/v1/orders/"), ElementsAre("v1", "orders", ""));
  EXPECT_THAT(api::split_path("/"), ElementsAre(""));
}

}  // namespace

namespace {

// Every route of the API is described wholly: its descriptor feeds the API's
// description, and its pattern is the Idempotency-Key's scope.
TEST(ApiRoutes, EveryRouteIsDescribedOnceAndWhole) {
  projections::ProjectionRegistry models{projections::read_models()};
  const api::ApiContext context{models, [] { return uint64_t{0}; }};
  const api::RouteTable routes = api::all_routes(context);
  ASSERT_FALSE(routes.empty());
  std::set<std::string> seen;
  for (const api::Route& r : routes) {
    const std::string name = std::string(r.method) + " " + std::string(r.pattern);
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
    EXPECT_TRUE(r.pattern.starts_with('/')) << name;
    EXPECT_FALSE(r.summary.empty()) << name;
    // A DELETE answers 204 and takes no body; every other route has both.
    const bool bodiless = r.method == "DELETE";
    EXPECT_EQ(r.response_schema.empty(), bodiless) << name;
    if (!r.open) {
      EXPECT_THAT(r.problems, ::testing::Contains(401)) << name;
    }
    if (r.roles != api::kAnyRole) {
      EXPECT_FALSE(r.forbidden.empty()) << name;
      EXPECT_THAT(r.problems, ::testing::Contains(403)) << name;
    }
    if (r.pattern.find("{id}") != std::string_view::npos) {
      EXPECT_FALSE(r.absent.empty()) << name;
      EXPECT_THAT(r.problems, ::testing::Contains(404)) << name;
    }
    if (const auto* command = std::get_if<api::CommandSpec>(&r.action)) {
      EXPECT_TRUE(command->parse && command->respond) << name;
      EXPECT_NE(r.method, "GET") << name;
      EXPECT_EQ(r.request_schema.empty(), bodiless) << name;
    }
  }
}

}  // namespace

namespace {

// The Idempotency-Key's scope names each write route by "METHOD PATTERN", and
// scopes are stored in the log: a route's pattern changing would make every
// stored key of it unknown (a retry would be done twice). A new write route
// adds its line here.
TEST(ApiRoutes, TheWriteRoutesKeepTheScopesTheLogStores) {
  projections::ProjectionRegistry models{projections::read_models()};
  const api::ApiContext context{models, [] { return uint64_t{0}; }};
  std::set<std::string> writes;
  for (const api::Route& r : api::all_routes(context))
    if (std::holds_alternative<api::CommandSpec>(r.action))
      writes.insert(std::string(r.method) + " " + std::string(r.pattern));
  EXPECT_EQ(writes, (std::set<std::string>{
                        "POST /v1/restaurants",
                        "PATCH /v1/restaurants/{id}",
                        "PUT /v1/restaurants/{id}/menu",
                        "PUT /v1/restaurants/{id}/menu/items/{sku}",
                        "PATCH /v1/restaurants/{id}/menu/items/{sku}",
                        "DELETE /v1/restaurants/{id}/menu/items/{sku}",
                        "POST /v1/orders",
                        "POST /v1/orders/{id}/status",
                        "PATCH /v1/orders/{id}",
                        "PUT /v1/orders/{id}",
                        "DELETE /v1/orders/{id}",
                        "POST /v1/orders/{id}/archive",
                        "POST /v1/orders/{id}/lines/{n}/fulfilled",
                        "POST /v1/orders/{id}/not-ready",
                        "POST /v1/orders/{id}/accept-delivery",
                        "POST /v1/orders/{id}/drop-delivery",
                        "POST /v1/orders/{id}/delivered",
                        "POST /v1/drivers",
                        "PUT /v1/drivers/{id}/availability",
                        "PUT /v1/drivers/{id}/active",
                        "POST /v1/customers",
                        "POST /v1/customers/{id}/credit",
                        "POST /v1/drivers/{id}/location",
                    }));
  api::Route status;
  status.method = "POST";
  status.pattern = "/v1/orders/{id}/status";
  EXPECT_EQ(api::idempotency_scope({"u-owner-1", Role::kOwner}, status, "k-1"),
            "owner:9:u-owner-1|POST /v1/orders/{id}/status|k-1");
}

}  // namespace
