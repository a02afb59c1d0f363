// The server's measurements, exported at GET /metrics in Prometheus's text
// format (version 0.0.4): histograms with fixed bucket bounds (observing one
// is a few relaxed atomic additions, safe on any thread), and gauges read
// when exported.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace comanda::api {

class Histogram {
 public:
  // Bucket upper bounds, ascending; a +Inf bucket is added.
  Histogram(std::string_view name, std::string_view help, std::initializer_list<double> bounds);

  void observe(double value);
  // Its HELP, TYPE, cumulative buckets, sum and count.
  void render(std::string& out) const;

  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

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

// Every measurement of a node. Issue-by-issue the families DESIGN.md names
// are added here.
struct Metrics {
  // Index entries an order list page read (at most 10x its limit).
  Histogram query_rows_examined{"comanda_query_rows_examined",
                                "Index entries read to answer one page of an order list",
                                {1, 10, 50, 100, 500, 1000, 5000}};
  // Orders the orders read model holds in memory (the rest are in views/).
  Gauge orders_in_memory{"comanda_orders_in_memory",
                         "Orders held in the read models' memory (finished ones leave for views/)",
                         {}};
  // The log position of the last background snapshot of the state (0: none
  // yet): a restart after a crash replays the log after it.
  Gauge snapshot_position{"comanda_snapshot_position",
                          "Log position of the last snapshot of the state; a restart replays "
                          "the log after it",
                          {}};

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

  std::string render() const;
};

}  // namespace comanda::api
