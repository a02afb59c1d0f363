// GET /readyz (api/routes/health.cpp): 200 while the node takes traffic, 503
// with the reason and Retry-After while it should not.
#include "api/routes/health.h"

#include <gtest/gtest.h>

#include <string>

#include "projections/read_models.h"
#include "projections/registry.h"

namespace comanda::api {
namespace {

Response ask(const RouteTable& routes, std::string_view pattern) {
  for (const Route& r : routes)
    if (r.pattern == pattern) {
      const Request http{"GET", std::string(pattern), "", "", {}, {}};
      const PathParams none;
      return std::get<Query>(r.action)(RouteRequest{http, nullptr, none});
    }
  ADD_FAILURE() << "no route " << pattern;
  return {};
}

TEST(Readiness, AnswersReadyUntilWritesAreRefused) {
  projections::ProjectionRegistry models{projections::read_models()};
  std::string why;
  ApiContext ctx{models, [] { return uint64_t{42}; }};
  ctx.not_ready = [&] { return why; };
  const RouteTable routes = health_routes(ctx);

  Response ready = ask(routes, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"status":"ready","position":42})");

  why = "the log refused a write";
  Response refused = ask(routes, "/readyz");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.body,
            R"({"status":"not_ready","reason":"the log refused a write","position":42})");
  bool retry_after = false;
  for (const auto& [name, value] : refused.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
}

}  // namespace
}  // namespace comanda::api
