// The API's description (api/openapi/openapi.h): GET /openapi.json serves an
// OpenAPI 3.1 document that parses, names every route of the table with its
// statuses, and whose every reference resolves. tests/e2e/openapi_check.py
// checks the server's answers against it.
#include "api/openapi/openapi.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "api/routes/routes.h"
#include "projections/read_models.h"
#include "projections/registry.h"

namespace comanda::api {
namespace {

namespace dom = simdjson::dom;

class OpenApiTest : public ::testing::Test {
 protected:
  OpenApiTest() : routes_(all_routes(context_)) {}

  // The document as GET /openapi.json serves it.
  Response served() const {
    for (const Route& r : routes_)
      if (r.pattern == "/openapi.json" && r.method == "GET") {
        Request http;
        http.method = "GET";
        http.path = "/openapi.json";
        const PathParams none;
        return std::get<Query>(r.action)(RouteRequest{http, nullptr, none});
      }
    ADD_FAILURE() << "no GET /openapi.json";
    return {};
  }

  projections::ProjectionRegistry models_{projections::read_models()};
  ApiContext context_{models_, [] { return uint64_t{0}; }};
  RouteTable routes_;
  dom::parser parser_;
};

std::string lower(std::string_view method) {
  std::string out(method);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every "$ref" under `e`, depth first.
void collect_refs(dom::element e, std::vector<std::string>& refs) {
  if (e.is_object()) {
    for (auto [key, value] : dom::object(e)) {
      std::string_view text;
      if (key == "$ref" && value.get(text) == simdjson::SUCCESS) refs.emplace_back(text);
      collect_refs(value, refs);
    }
  } else if (e.is_array()) {
    for (dom::element value : dom::array(e)) collect_refs(value, refs);
  }
}

TEST_F(OpenApiTest, TheRouteServesAnOpenApi31DocumentWithoutAToken) {
  const Response r = served();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  dom::element doc;
  ASSERT_EQ(parser_.parse(r.body).get(doc), simdjson::SUCCESS) << r.body.substr(0, 200);
  EXPECT_EQ(std::string_view(doc["openapi"]), "3.1.0");
  EXPECT_EQ(std::string_view(doc["info"]["title"]), "Comanda");
  EXPECT_EQ(r.body, openapi_document(routes_)) << "rendered once, from the whole table";
}

TEST_F(OpenApiTest, EveryRouteIsAnOperationWithItsStatuses) {
  const std::string text = openapi_document(routes_);
  dom::element doc;
  ASSERT_EQ(parser_.parse(text).get(doc), simdjson::SUCCESS);
  for (const Route& route : routes_) {
    const std::string name = std::string(route.method) + " " + std::string(route.pattern);
    dom::element op;
    ASSERT_EQ(doc["paths"][route.pattern][lower(route.method)].get(op), simdjson::SUCCESS) << name;
    EXPECT_EQ(std::string_view(op["summary"]), route.summary) << name;
    dom::object responses;
    ASSERT_EQ(op["responses"].get(responses), simdjson::SUCCESS) << name;
    // A route without a body answers 204, and one with a body never does.
    EXPECT_EQ(route.response_schema.empty(), route.statuses == std::vector<int>{204}) << name;
    for (int status : route.statuses) {
      dom::element response;
      ASSERT_EQ(responses[std::to_string(status)].get(response), simdjson::SUCCESS) << name;
      dom::element schema;
      const bool has_body =
          response["content"][std::string(route.media_type.substr(0, route.media_type.find(';')))]
                  ["schema"]
                      .get(schema) == simdjson::SUCCESS;
      EXPECT_EQ(has_body, status != 204) << name << " " << status;
    }
    for (int status : route.problems)
      EXPECT_EQ(responses[std::to_string(status)].error(), simdjson::SUCCESS)
          << name << " " << status;
    // Open routes need no token; the others name the roles that may call them.
    dom::array security;
    EXPECT_EQ(op["security"].get(security) == simdjson::SUCCESS && security.size() == 0, route.open)
        << name;
    EXPECT_EQ(op["x-roles"].error() == simdjson::SUCCESS, !route.open) << name;
    EXPECT_EQ(op["requestBody"].error() == simdjson::SUCCESS, !route.request_schema.empty())
        << name;
  }
}

TEST_F(OpenApiTest, EveryReferenceResolvesToAComponent) {
  const std::string text = openapi_document(routes_);
  dom::element doc;
  ASSERT_EQ(parser_.parse(text).get(doc), simdjson::SUCCESS);
  std::vector<std::string> refs;
  collect_refs(doc, refs);
  ASSERT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    dom::element target;
    const bool schema = ref.starts_with("#/components/schemas/");
    const bool response = ref.starts_with("#/components/responses/");
    ASSERT_TRUE(schema || response) << ref;
    const std::string name = ref.substr(ref.rfind('/') + 1);
    EXPECT_EQ(doc["components"][schema ? "schemas" : "responses"][name].get(target),
              simdjson::SUCCESS)
        << ref;
  }
  // And every schema a route names is described.
  for (const Route& route : routes_) {
    for (std::string_view name : {route.request_schema, route.response_schema}) {
      if (name.empty()) continue;
      EXPECT_EQ(doc["components"]["schemas"][name].error(), simdjson::SUCCESS) << name;
    }
  }
}

}  // namespace
}  // namespace comanda::api
