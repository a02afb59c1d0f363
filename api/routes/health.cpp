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
                   .pattern = "/metrics",
                   .summary = "Measurements, in Prometheus's text format",
                   .open = true,
                   .response_schema = "Metrics",
                   .action = Query([&ctx](const RouteRequest&) {
                     Response r;
                     r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                     r.body = ctx.metrics->render();
                     return r;
                   })});
  return table;
}

}  // namespace comanda::api
