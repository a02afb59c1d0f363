#include "api/routes/health.h"

#include "api/json/json_writer.h"
#include "api/routes/responses.h"
#include "projections/registry.h"

namespace comanda::api {

RouteTable health_routes(const ApiContext& ctx) {
  RouteTable table;
  table.push_back({.method = "GET",
                   .pattern = "/healthz",
                   .summary = "Liveness, and the committed log position",
                   .open = true,
                   .response_schema = "Health",
                   .action = Query([&ctx](const RouteRequest&) {
                     JsonWriter w;
                     w.begin_object()
                         .key("status")
                         .string("ok")
                         .key("position")
                         .number(ctx.committed_position())
                         .end_object();
                     return json_response(200, w.take(), ctx.views.position());
                   })});
  table.push_back({.method = "GET",
                   .pattern = "/readyz",
                   .summary = "Readiness: 200 while the node takes traffic, 503 with the reason "
                              "while writes are refused after a failed sync",
                   .open = true,
                   .response_schema = "Readiness",
                   .statuses = {200, 503},
                   .action = Query([&ctx](const RouteRequest&) {
                     const std::string why = ctx.not_ready ? ctx.not_ready() : std::string();
                     JsonWriter w;
                     w.begin_object().key("status").string(why.empty() ? "ready" : "not_ready");
                     if (!why.empty()) w.key("reason").string(why);
                     w.key("position").number(ctx.committed_position()).end_object();
                     Response r =
                         json_response(why.empty() ? 200 : 503, w.take(), ctx.views.position());
                     if (!why.empty()) r.headers.emplace_back("Retry-After", "1");
                     return r;
                   })});
  table.push_back({.method = "GET",
                   .pattern = "/metrics",
                   .summary = "Measurements, in Prometheus's text format",
                   .open = true,
                   .response_schema = "Metrics",
                   .media_type = "text/plain; version=0.0.4",
                   .action = Query([&ctx](const RouteRequest&) {
                     Response r;
                     r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                     r.body = ctx.metrics->render();
                     return r;
                   })});
  return table;
}

}  // namespace comanda::api
