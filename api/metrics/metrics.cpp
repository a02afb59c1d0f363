#include "api/metrics/metrics.h"

#include <charconv>

namespace comanda::api {

namespace {

void append_number(std::string& out, double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, ec == std::errc() ? end : buf);
}

}  // namespace

Histogram::Histogram(std::string_view name, std::string_view help,
                     std::initializer_list<double> bounds)
    : name_(name),
      help_(help),
      bounds_(bounds),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out) const {
  out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += name_ + "_bucket{le=\"";
    if (i < bounds_.size())
      append_number(out, bounds_[i]);
    else
      out += "+Inf";
    out += "\"} " + std::to_string(cumulative) + "\n";
  }
  out += name_ + "_sum ";
  append_number(out, sum_.load(std::memory_order_relaxed));
  out += "\n" + name_ + "_count " + std::to_string(cumulative) + "\n";
}

void Gauge::render(std::string& out) const {
  if (!read) return;
  out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
  out.append(name).append(" ").append(type).append("\n").append(name).append(" ");
  append_number(out, read());
  out += "\n";
}

std::string Metrics::render() const {
  std::string out;
  query_rows_examined.render(out);
  orders_in_memory.render(out);
  snapshot_position.render(out);
  for (const Gauge* ws : {&ws_catch_ups_memory, &ws_catch_ups_log, &ws_closed_too_slow})
    ws->render(out);
  return out;
}

}  // namespace comanda::api
