#include "api/metrics/metrics.h"

#include <charconv>

namespace comanda::api {

namespace {

void append_number(std::string& out, double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general);
  out.append(buf, ec == std::errc() ? end : buf);
}

void append_header(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
  out.append(name).append(" ").append(type).append("\n");
}

// A label's value with Prometheus's escapes (backslash, quote, newline).
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"')
      out.append(1, '\\').append(1, c);
    else if (c == '\n')
      out.append("\\n");
    else
      out.push_back(c);
  }
}

// The event types' names, in the order of engine::EventPayload.
template <size_t... I>
constexpr std::array<std::string_view, sizeof...(I)> type_names(std::index_sequence<I...>) {
  return {std::variant_alternative_t<I, engine::EventPayload>::kType...};
}
constexpr auto kEventTypes =
    type_names(std::make_index_sequence<std::variant_size_v<engine::EventPayload>>());

}  // namespace

Histogram::Histogram(std::string_view name, std::string_view help,
                     std::initializer_list<double> bounds)
    : Histogram(name, help, std::vector<double>(bounds)) {}

Histogram::Histogram(std::string_view name, std::string_view help, std::vector<double> bounds)
    : name_(name),
      help_(help),
      bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out) const {
  append_header(out, name_, help_, "histogram");
  render_samples(out, "");
}

void Histogram::render_samples(std::string& out, std::string_view labels) const {
  const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  const std::string braces = labels.empty() ? std::string() : "{" + std::string(labels) + "}";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out.append(name_).append("_bucket{").append(prefix).append("le=\"");
    if (i < bounds_.size())
      append_number(out, bounds_[i]);
    else
      out += "+Inf";
    out.append("\"} ").append(std::to_string(cumulative)).append("\n");
  }
  out.append(name_).append("_sum").append(braces).append(" ");
  append_number(out, sum_.load(std::memory_order_relaxed));
  out.append("\n").append(name_).append("_count").append(braces).append(" ");
  out.append(std::to_string(cumulative)).append("\n");
}

void Gauge::render(std::string& out) const {
  if (!read) return;
  append_header(out, name, help, type);
  out.append(name).append(" ");
  append_number(out, read());
  out += "\n";
}

HttpMetrics::PerRoute::PerRoute(std::string labels_)
    : labels(std::move(labels_)),
      latency("comanda_http_request_duration_seconds",
              "Seconds from a request read to its answer handed to the socket, by route",
              {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
               2.5}) {}

HttpMetrics::HttpMetrics(const std::vector<std::pair<std::string, std::string>>& routes) {
  for (const auto& [method, pattern] : routes) {
    std::string labels = "method=\"";
    append_label_value(labels, method);
    labels += "\",route=\"";
    append_label_value(labels, pattern);
    labels += "\"";
    routes_.push_back(std::make_unique<PerRoute>(std::move(labels)));
  }
  // What no route served: unknown paths, and what the connection refused
  // before routing (malformed requests, limits).
  routes_.push_back(std::make_unique<PerRoute>("method=\"\",route=\"\""));
}

void HttpMetrics::observe(int route, int status, double seconds) {
  PerRoute& r = route >= 0 && static_cast<size_t>(route) + 1 < routes_.size()
                    ? *routes_[static_cast<size_t>(route)]
                    : *routes_.back();
  if (status >= kFirstStatus && status < kFirstStatus + kStatuses)
    r.by_status[static_cast<size_t>(status - kFirstStatus)].fetch_add(1, std::memory_order_relaxed);
  r.latency.observe(seconds);
}

void HttpMetrics::render(std::string& out) const {
  append_header(out, "comanda_http_requests_total", "HTTP requests answered, by route and status",
                "counter");
  for (const auto& r : routes_)
    for (int i = 0; i < kStatuses; ++i)
      if (uint64_t n = r->by_status[static_cast<size_t>(i)].load(std::memory_order_relaxed)) {
        out.append("comanda_http_requests_total{").append(r->labels).append(",status=\"");
        out.append(std::to_string(kFirstStatus + i)).append("\"} ");
        out.append(std::to_string(n)).append("\n");
      }
  const Histogram& first = routes_.front()->latency;
  append_header(out, first.name(), first.help(), "histogram");
  for (const auto& r : routes_)
    if (r->latency.count() != 0) r->latency.render_samples(out, r->labels);
}

void Metrics::committed(std::span<const engine::Event> events) {
  for (const engine::Event& e : events)
    events_appended[e.payload.index()].fetch_add(1, std::memory_order_relaxed);
  batch_events.observe(static_cast<double>(events.size()));
}

std::string Metrics::render() const {
  std::string out;
  if (http) http->render(out);
  append_header(out, "comanda_events_appended_total", "Events made durable, by type", "counter");
  for (size_t i = 0; i < events_appended.size(); ++i) {
    out.append("comanda_events_appended_total{type=\"").append(kEventTypes[i]).append("\"} ");
    out.append(std::to_string(events_appended[i].load(std::memory_order_relaxed))).append("\n");
  }
  batch_events.render(out);
  wal_sync_seconds.render(out);
  query_rows_examined.render(out);
  for (const Gauge* g :
       {&committed_position, &orders_in_memory, &memory_allocated, &memory_resident,
        &snapshot_position, &http_connections, &http_connections_refused, &ws_subscribers,
        &ws_dropped, &ws_catch_ups_memory, &ws_catch_ups_log, &ws_closed_too_slow})
    g->render(out);
  return out;
}

}  // namespace comanda::api
