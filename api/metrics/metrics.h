// The server's measurements, exported at GET /metrics in Prometheus's text
// format (version 0.0.4): counters and histograms with fixed bucket bounds
// (observing one is a few relaxed atomic additions, safe on any thread),
// and gauges read when exported. docs/operations.md lists every family.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/domain/event.h"

namespace comanda::api {

class Histogram {
 public:
  // Bucket upper bounds, ascending; a +Inf bucket is added.
  Histogram(std::string_view name, std::string_view help, std::initializer_list<double> bounds);
  Histogram(std::string_view name, std::string_view help, std::vector<double> bounds);

  void observe(double value);
  // Its HELP, TYPE, then its samples.
  void render(std::string& out) const;
  // Its cumulative buckets, sum and count, each with `labels` ("route=\"/x\"",
  // or "" for none) besides `le`.
  void render_samples(std::string& out, std::string_view labels) const;

  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }

 private:
  std::string name_, help_;
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bound, not cumulative
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// A value read when exported (a size, a count held somewhere); `type` is
// "counter" for a count that only grows.
struct Gauge {
  std::string_view name, help;
  std::function<double()> read;  // unset: not exported
  std::string_view type = "gauge";

  void render(std::string& out) const;
};

// Per route of the REST API: requests by status, and their latency (from
// the request read to its answer handed to the socket).
class HttpMetrics {
 public:
  // The routes' methods and patterns, in table order.
  explicit HttpMetrics(const std::vector<std::pair<std::string, std::string>>& routes);

  // `route`: an index into the routes, or Dispatch::kNoRoute (-1) for what
  // no route served (unknown paths, requests the connection refused).
  void observe(int route, int status, double seconds);
  void render(std::string& out) const;

 private:
  static constexpr int kFirstStatus = 100, kStatuses = 500;
  struct PerRoute {
    explicit PerRoute(std::string labels);
    std::string labels;  // method="GET",route="/v1/orders/{id}"
    std::array<std::atomic<uint64_t>, kStatuses> by_status{};
    Histogram latency;
  };
  std::vector<std::unique_ptr<PerRoute>> routes_;  // the last: no route
};

// Every measurement of a node.
struct Metrics {
  // Index entries an order list page read (at most 10x its limit).
  Histogram query_rows_examined{"comanda_query_rows_examined",
                                "Index entries read to answer one page of an order list",
                                {1, 10, 50, 100, 500, 1000, 5000}};
  // Events made durable, by type (engine::EventPayload's alternatives).
  std::array<std::atomic<uint64_t>, std::variant_size_v<engine::EventPayload>> events_appended{};
  // Events per committed batch: how much group commit gathers.
  Histogram batch_events{"comanda_batch_events",
                         "Events per batch made durable together",
                         {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 8192}};
  // One write of the log (WAL append and, in sync mode, its fsync).
  Histogram wal_sync_seconds{
      "comanda_wal_sync_seconds",
      "Seconds per write of the log: the WAL append and, with --durability sync, its fsync",
      {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1}};
  // Per route; set once the routes are known (node.cpp).
  std::unique_ptr<HttpMetrics> http;

  Gauge committed_position{
      "comanda_committed_position", "The last log position durable and applied", {}};
  // Orders the orders read model holds in memory (the rest are in views/).
  Gauge orders_in_memory{"comanda_orders_in_memory",
                         "Orders held in the read models' memory (finished ones leave for views/)",
                         {}};
  Gauge memory_allocated{"comanda_memory_allocated_bytes",
                         "Bytes the process has allocated (jemalloc's stats.allocated); the read "
                         "models hold most of them",
                         {}};
  Gauge memory_resident{"comanda_memory_resident_bytes",
                        "Bytes of memory the allocator holds resident (jemalloc's stats.resident)",
                        {}};
  // The log position of the last background snapshot of the state (0: none
  // yet): a restart after a crash replays the log after it.
  Gauge snapshot_position{"comanda_snapshot_position",
                          "Log position of the last snapshot of the state; a restart replays "
                          "the log after it",
                          {}};
  Gauge http_connections{"comanda_http_connections", "Open connections (HTTP and WebSocket)", {}};
  Gauge http_connections_refused{
      "comanda_http_connections_refused_total",
      "Connections answered 503 and closed at once: over --max-connections, or while stopping",
      {},
      "counter"};
  Gauge ws_subscribers{"comanda_ws_subscribers", "WebSockets open and authenticated", {}};
  Gauge ws_dropped{"comanda_ws_dropped_total",
                   "Messages dropped from the queues of WebSockets closed as too slow",
                   {},
                   "counter"};
  // WebSocket catch-ups answered from the recent events in memory, and
  // from the log; sockets closed for being too slow.
  Gauge ws_catch_ups_memory{"comanda_ws_catch_ups_memory_total",
                            "WebSocket catch-ups answered from the recent events in memory",
                            {},
                            "counter"};
  Gauge ws_catch_ups_log{
      "comanda_ws_catch_ups_log_total", "WebSocket catch-ups that read the log", {}, "counter"};
  Gauge ws_closed_too_slow{"comanda_ws_closed_too_slow_total",
                           "WebSockets closed because their client did not keep up",
                           {},
                           "counter"};

  // One committed batch: counts its events by type and its size.
  void committed(std::span<const engine::Event> events);

  std::string render() const;
};

}  // namespace comanda::api
