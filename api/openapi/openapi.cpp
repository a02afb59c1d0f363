#include "api/openapi/openapi.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "api/json/json_writer.h"
#include "api/routes/router.h"

namespace comanda::api {
namespace {

std::string schema_ref(std::string_view name) {
  return "#/components/schemas/" + std::string(name);
}

void write_ref(JsonWriter& w, std::string_view name) {
  w.begin_object().key("$ref").string(schema_ref(name)).end_object();
}

// Each status's reason phrase and, for problems, the problem types
// (api/http/problem.cpp and the connection's) that answer with it.
struct StatusText {
  int status;
  std::string_view reason;
  std::string_view problems;
};
constexpr StatusText kStatuses[] = {
    {200, "OK", ""},
    {201, "Created", ""},
    {204, "No Content", ""},
    {400, "Bad Request",
     "invalid-request: malformed JSON, a wrong type, a missing field, an unknown parameter, a "
     "bad If-Match or Idempotency-Key"},
    {401, "Unauthorized", "unauthenticated: no token, or a bad one (WWW-Authenticate: Bearer)"},
    {403, "Forbidden",
     "forbidden: the caller's role never does this, or a request without a token from another "
     "site's page"},
    {404, "Not Found", "not-found: absent, or another tenant's"},
    {409, "Conflict",
     "conflict: not allowed in the current state (`allowed` lists the steps that are), or an "
     "Idempotency-Key reused for another request"},
    {412, "Precondition Failed", "version-mismatch: If-Match is not the current version"},
    {413, "Content Too Large", "too-large: the body is over 1 MiB"},
    {414, "URI Too Long", "uri-too-long: the path and query are over 8 KiB"},
    {422, "Unprocessable Content", "unprocessable: well-formed but unacceptable"},
    {429, "Too Many Requests", "rate-limited: over the caller's rate (Retry-After)"},
    {431, "Request Header Fields Too Large", "headers-too-large"},
    {503, "Service Unavailable",
     "unavailable: the command queue is full, the log could not confirm a write, or too many "
     "connections are open (Retry-After); storage-error"},
};

const StatusText& text_of(int status) {
  for (const StatusText& t : kStatuses)
    if (t.status == status) return t;
  static constexpr StatusText kOther{0, "See the problem's type", "a problem"};
  return kOther;
}

// A problem status's shared response, in components.responses.
std::string problem_response(int status) { return "Problem" + std::to_string(status); }

// The problems a route may answer: its own, and those of what runs around
// every route of its kind.
std::set<int> problem_statuses(const Route& route) {
  std::set<int> out(route.problems.begin(), route.problems.end());
  // The connection (api/http/http_session.cpp, server.cpp) bounds every
  // request's body, target and header fields, and the connections it takes.
  out.insert({413, 414, 431, 503});
  // The router: no or a bad token; a role never allowed, or a token-less
  // request from another site's page (api/auth/authenticator.h); a caller
  // over its rate (open routes are never limited).
  if (!route.open) out.insert({401, 403, 429});
  // The router: an {id} that is not an id is an absent one.
  if (route.pattern.find("{id}") != std::string_view::npos) out.insert(404);
  // The command path (api/routes/command_path.cpp): a bad If-Match or
  // Idempotency-Key, a key reused for another request.
  if (const auto* command = std::get_if<CommandSpec>(&route.action)) {
    out.insert({400, 409});
    if (command->if_match) out.insert(412);
  }
  return out;
}

// "text/html; charset=utf-8" as "text/html": a media type range's key.
std::string_view bare(std::string_view media_type) {
  const size_t semicolon = media_type.find(';');
  return media_type.substr(0, semicolon == std::string_view::npos ? media_type.size() : semicolon);
}

void write_responses(JsonWriter& w, const Route& route) {
  const std::set<int> problems = problem_statuses(route);
  std::set<int> statuses(route.statuses.begin(), route.statuses.end());
  statuses.insert(problems.begin(), problems.end());
  w.key("responses").begin_object();
  for (int status : statuses) {
    const bool own =
        std::find(route.statuses.begin(), route.statuses.end(), status) != route.statuses.end();
    const bool problem = problems.contains(status);
    w.key(std::to_string(status)).begin_object();
    if (!own) {  // a problem alone: shared
      w.key("$ref").string("#/components/responses/" + problem_response(status)).end_object();
      continue;
    }
    w.key("description").string(text_of(status).reason);
    if (status != 204 && !route.response_schema.empty()) {
      w.key("content").begin_object().key(bare(route.media_type)).begin_object().key("schema");
      write_ref(w, route.response_schema);
      w.end_object();
      if (problem) {
        w.key("application/problem+json").begin_object().key("schema");
        write_ref(w, "Problem");
        w.end_object();
      }
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
}

// components.responses: a problem of each status any route answers.
void write_problem_responses(JsonWriter& w, const RouteTable& routes) {
  std::set<int> statuses;
  for (const Route& route : routes) statuses.merge(problem_statuses(route));
  w.key("responses").begin_object();
  for (int status : statuses) {
    const StatusText& text = text_of(status);
    w.key(problem_response(status)).begin_object();
    w.key("description").string(std::string(text.reason) + " (" + std::string(text.problems) + ")");
    w.key("content").begin_object().key("application/problem+json").begin_object().key("schema");
    write_ref(w, "Problem");
    w.end_object().end_object().end_object();
  }
  w.end_object();
}

// A path parameter's schema, by its placeholder's name.
void write_placeholder_schema(JsonWriter& w, std::string_view name) {
  if (name == "id") return write_ref(w, "Id");
  w.begin_object();
  if (name == "n")  // a line of an order, counted from 1
    w.key("type").string("integer").key("minimum").number(1);
  else if (name == "sku")
    w.key("type").string("string").key("pattern").string("^[A-Za-z0-9._-]{1,64}$");
  else
    w.key("type").string("string");
  w.end_object();
}

void write_header_parameter(JsonWriter& w, std::string_view name, std::string_view description) {
  w.begin_object().key("name").string(name).key("in").string("header");
  w.key("required").boolean(false).key("description").string(description);
  w.key("schema").begin_object().key("type").string("string").end_object();
  w.end_object();
}

void write_parameters(JsonWriter& w, const Route& route) {
  const auto* command = std::get_if<CommandSpec>(&route.action);
  bool any = false;
  const auto begin = [&] {
    if (!any) w.key("parameters").begin_array();
    any = true;
  };
  for (std::string_view segment : split_path(route.pattern)) {
    if (!segment.starts_with('{') || !segment.ends_with('}')) continue;
    const std::string_view name = segment.substr(1, segment.size() - 2);
    begin();
    w.begin_object().key("name").string(name).key("in").string("path");
    w.key("required").boolean(true).key("schema");
    write_placeholder_schema(w, name);
    w.end_object();
  }
  if (command) {
    begin();
    write_header_parameter(w, "Idempotency-Key",
                           "1 to 255 visible ASCII characters: a repeat within the window "
                           "appends nothing and answers as the first did");
    if (command->if_match)
      write_header_parameter(w, "If-Match",
                             "The version expected (the ETag, \"3\"), or *: 412 if it has moved");
  }
  if (any) w.end_array();
}

void write_roles(JsonWriter& w, RoleMask mask) {
  w.key("x-roles").begin_array();
  for (engine::Role role :
       {engine::Role::kAdmin, engine::Role::kOwner, engine::Role::kCustomer, engine::Role::kDriver})
    if (mask & role_bit(role)) w.string(engine::role_name(role));
  w.end_array();
}

void write_operation(JsonWriter& w, const Route& route) {
  std::string method(route.method);
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  w.key(method).begin_object();
  w.key("summary").string(route.summary);
  write_parameters(w, route);
  if (route.open) {
    w.key("security").begin_array().end_array();  // no token
  } else {
    write_roles(w, route.roles);
  }
  if (!route.request_schema.empty()) {
    w.key("requestBody").begin_object().key("required").boolean(!route.body_optional);
    w.key("content").begin_object().key("application/json").begin_object().key("schema");
    write_ref(w, route.request_schema);
    w.end_object().end_object().end_object();
  }
  write_responses(w, route);
  w.end_object();
}

}  // namespace

std::string openapi_document(const RouteTable& routes) {
  JsonWriter w;
  w.begin_object().key("openapi").string("3.1.0");
  w.key("info").begin_object().key("title").string("Comanda");
  w.key("version").string(COMANDA_VERSION);
  w.key("description")
      .string(
          "Comanda's REST API (v1). Errors are RFC 9457 problems; every GET is also answered "
          "to HEAD. The WebSocket at /v1/ws is described in docs/realtime.md.");
  w.end_object();
  // Every route needs a bearer token unless its operation says otherwise.
  w.key("security").begin_array().begin_object().key("bearer").begin_array().end_array();
  w.end_object().end_array();

  // A path item per pattern, its operations in table order.
  std::vector<std::string_view> patterns;
  for (const Route& route : routes)
    if (std::find(patterns.begin(), patterns.end(), route.pattern) == patterns.end())
      patterns.push_back(route.pattern);
  w.key("paths").begin_object();
  for (std::string_view pattern : patterns) {
    w.key(pattern).begin_object();
    for (const Route& route : routes)
      if (route.pattern == pattern) write_operation(w, route);
    w.end_object();
  }
  w.end_object();

  w.key("components").begin_object();
  w.key("schemas").raw(openapi_schemas());
  write_problem_responses(w, routes);
  w.key("securitySchemes").begin_object().key("bearer").begin_object();
  w.key("type").string("http").key("scheme").string("bearer").key("bearerFormat").string("JWT");
  w.key("description")
      .string(
          "HS256, signed with the server's secret; claims sub, role (admin, owner, "
          "customer, driver) and exp");
  w.end_object().end_object();
  w.end_object();
  w.end_object();
  return w.take();
}

void add_openapi_route(RouteTable& routes) {
  // Rendered once the route is in the table, so that it describes itself.
  auto document = std::make_shared<std::string>();
  routes.push_back({.method = "GET",
                    .pattern = "/openapi.json",
                    .summary = "This description of the API (OpenAPI 3.1)",
                    .open = true,
                    .response_schema = "OpenApi",
                    .action = Query([document](const RouteRequest&) {
                      Response r;
                      r.body = *document;
                      // A new binary may describe another API.
                      r.headers.emplace_back("Cache-Control", "no-cache");
                      return r;
                    })});
  *document = openapi_document(routes);
}

}  // namespace comanda::api
