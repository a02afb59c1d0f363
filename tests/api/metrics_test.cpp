// /metrics in Prometheus's text format (api/metrics/metrics.h).
#include "api/metrics/metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/domain/aggregates.h"

namespace {

using comanda::api::HttpMetrics;
using comanda::api::Metrics;

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(Metrics, CountsRequestsByRouteAndStatusWithTheirLatency) {
  Metrics m;
  m.http = std::make_unique<HttpMetrics>(std::vector<std::pair<std::string, std::string>>{
      {"GET", "/v1/orders/{id}"}, {"POST", "/v1/orders"}});
  m.http->observe(0, 200, 0.0004);
  m.http->observe(0, 200, 0.002);
  m.http->observe(0, 404, 0.0001);
  m.http->observe(1, 201, 0.003);
  m.http->observe(-1, 431, 0.00001);  // refused before routing
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, "# TYPE comanda_http_requests_total counter")) << text;
  EXPECT_TRUE(has_line(
      text, R"(comanda_http_requests_total{method="GET",route="/v1/orders/{id}",status="200"} 2)"));
  EXPECT_TRUE(has_line(
      text, R"(comanda_http_requests_total{method="GET",route="/v1/orders/{id}",status="404"} 1)"));
  EXPECT_TRUE(has_line(
      text, R"(comanda_http_requests_total{method="POST",route="/v1/orders",status="201"} 1)"));
  EXPECT_TRUE(has_line(text, R"(comanda_http_requests_total{method="",route="",status="431"} 1)"));
  EXPECT_TRUE(has_line(text, "# TYPE comanda_http_request_duration_seconds histogram"));
  // Cumulative buckets: 0.0001 (the 404), 0.0005 (+ the 0.0004), then the 0.002.
  const std::string get = R"(method="GET",route="/v1/orders/{id}")";
  EXPECT_TRUE(
      has_line(text, "comanda_http_request_duration_seconds_bucket{" + get + R"(,le="0.0001"} 1)"));
  EXPECT_TRUE(
      has_line(text, "comanda_http_request_duration_seconds_bucket{" + get + R"(,le="0.0005"} 2)"));
  EXPECT_TRUE(
      has_line(text, "comanda_http_request_duration_seconds_bucket{" + get + R"(,le="0.0025"} 3)"));
  EXPECT_TRUE(has_line(text, "comanda_http_request_duration_seconds_count{" + get + "} 3"));
  // One HELP and TYPE per family, however many routes.
  EXPECT_EQ(text.find("# TYPE comanda_http_request_duration_seconds"),
            text.rfind("# TYPE comanda_http_request_duration_seconds"));
}

TEST(Metrics, CountsCommittedEventsByTypeAndBatchSizes) {
  Metrics m;
  std::vector<comanda::engine::Event> batch(3);
  batch[0].payload = comanda::engine::OrderPlaced{};
  batch[1].payload = comanda::engine::OrderPlaced{};
  batch[2].payload = comanda::engine::OrderStatusChanged{};
  m.committed(batch);
  m.committed(std::span(batch).first(1));
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, R"(comanda_events_appended_total{type="order_placed"} 3)")) << text;
  EXPECT_TRUE(has_line(text, R"(comanda_events_appended_total{type="order_status_changed"} 1)"));
  EXPECT_TRUE(has_line(text, R"(comanda_events_appended_total{type="driver_registered"} 0)"));
  EXPECT_TRUE(has_line(text, "comanda_batch_events_count 2"));
  EXPECT_TRUE(has_line(text, "comanda_batch_events_sum 4"));
  EXPECT_TRUE(has_line(text, R"(comanda_batch_events_bucket{le="1"} 1)"));
  EXPECT_TRUE(has_line(text, R"(comanda_batch_events_bucket{le="4"} 2)"));
}

TEST(Metrics, GaugesAreExportedOnlyOnceWired) {
  Metrics m;
  EXPECT_EQ(m.render().find("comanda_committed_position"), std::string::npos);
  m.committed_position.read = [] { return 42.0; };
  m.ws_dropped.read = [] { return 7.0; };
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, "# TYPE comanda_committed_position gauge"));
  EXPECT_TRUE(has_line(text, "comanda_committed_position 42"));
  EXPECT_TRUE(has_line(text, "# TYPE comanda_ws_dropped_total counter"));
  EXPECT_TRUE(has_line(text, "comanda_ws_dropped_total 7"));
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics m;
  m.http = std::make_unique<HttpMetrics>(
      std::vector<std::pair<std::string, std::string>>{{"GET", "/a\"b\\c"}});
  m.http->observe(0, 200, 0.001);
  EXPECT_TRUE(has_line(
      m.render(), R"(comanda_http_requests_total{method="GET",route="/a\"b\\c",status="200"} 1)"));
}

}  // namespace
