// comanda_wsload: load on a running comandad's real-time side, driven by
// bench/realtime.py. One process, Beast clients on C++20 coroutines, every
// socket on 127.0.0.1. Prints one JSON object of figures.
//
//   fanout  --targets FILE ("restaurant_id owner_token" lines) --writers 64
//           --subscribers 1000 [--rate EVENTS_PER_S]: writers place orders as
//           --token (closed loop, or paced in all at --rate) across the
//           restaurants while subscribers follow restaurants/{id}/orders
//           (subscriber i: restaurant i mod n, as its owner).
//           Figures: orders/s and their p50/p99, deliveries, append-to-receipt
//           latency p50/p99 (the event's recorded_at to its arrival), drops.
//   gps     --targets FILE ("driver_id token" lines) --depth D [--batch]: one
//           socket per driver sending location messages D at a time (D sent,
//           then their D acks, as redis-benchmark -P does), or with --batch
//           one locations message of D pings and its ack. Figures: pings/s,
//           ack p50/p99 (a batched ping's: its batch's).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/base/time_text.h"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using net::awaitable;
using net::use_awaitable;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string mode, host = "127.0.0.1", token, targets;
  unsigned short port = 8080;
  int writers = 64, subscribers = 1000, depth = 1, threads = 1;
  bool batch = false;
  double rate = 0, duration = 10, warmup = 2;
};

int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
  return v[k];
}

// The text after `"key":` in a flat scan of `json` (numbers; strings without
// their quotes): enough for the server's own messages.
std::string_view field(std::string_view json, std::string_view key, size_t from = 0) {
  const std::string needle = "\"" + std::string(key) + "\":";
  size_t at = json.find(needle, from);
  if (at == std::string_view::npos) return {};
  at += needle.size();
  if (at < json.size() && json[at] == '"') {
    const size_t end = json.find('"', at + 1);
    return json.substr(at + 1, end - at - 1);
  }
  size_t end = at;
  while (end < json.size() && json[end] != ',' && json[end] != '}') ++end;
  return json.substr(at, end - at);
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

using Ws = websocket::stream<beast::tcp_stream>;

awaitable<std::unique_ptr<Ws>> open_socket(const Options& o, const std::string& token) {
  auto ws = std::make_unique<Ws>(co_await net::this_coro::executor);
  co_await beast::get_lowest_layer(*ws).async_connect(
      tcp::endpoint(net::ip::make_address(o.host), o.port), use_awaitable);
  beast::get_lowest_layer(*ws).socket().set_option(tcp::no_delay(true));
  ws->set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    req.set(http::field::authorization, "Bearer " + token);
  }));
  co_await ws->async_handshake(o.host + ":" + std::to_string(o.port), "/v1/ws", use_awaitable);
  beast::flat_buffer buffer;
  co_await ws->async_read(buffer, use_awaitable);  // authenticated
  co_return ws;
}

// --- fanout -----------------------------------------------------------------

struct Subscriber {
  size_t restaurant = 0;
  std::atomic<uint64_t> events{0};  // also read by the main thread while draining
  uint64_t notes = 0, errors = 0, out_of_order = 0, last = 0;
  std::vector<double> latency_ms;
};

struct Fanout {
  const Options& o;
  std::vector<std::string> restaurants, owners, bodies;
  std::vector<Subscriber> subs;
  std::unique_ptr<std::atomic<uint64_t>[]> placed;  // per restaurant, acknowledged
  std::atomic<int> subscribed{0};
  std::atomic<bool> stop{false};
  Clock::time_point start, window_from, window_to;
  std::vector<std::vector<double>> write_ms;  // per writer, in the window
  std::atomic<uint64_t> in_window{0}, failed{0};

  explicit Fanout(const Options& opts) : o(opts), subs(static_cast<size_t>(opts.subscribers)) {
    for (const std::string& line : read_lines(o.targets)) {
      const size_t space = line.find(' ');
      restaurants.push_back(line.substr(0, space));
      owners.push_back(line.substr(space + 1));
    }
    placed = std::make_unique<std::atomic<uint64_t>[]>(restaurants.size());
    for (const std::string& id : restaurants)
      bodies.push_back(
          R"({"restaurant_id":")" + id +
          R"(","customer":{"id":"u-bench","name":"Ana"},)"
          R"("items":[{"sku":"BURGER","name":"Hamburguesa","quantity":1,"unit_price":1550}],)"
          R"("fulfillment":{"type":"eat_in"},"payment":{"method":"card"}})");
    write_ms.resize(static_cast<size_t>(o.writers));
  }

  awaitable<void> subscribe(Subscriber& s) {
    auto ws = co_await open_socket(o, owners[s.restaurant]);
    const std::string topic = "restaurants/" + restaurants[s.restaurant] + "/orders";
    co_await ws->async_write(net::buffer(R"({"type":"subscribe","topic":")" + topic + "\"}"),
                             use_awaitable);
    beast::flat_buffer buffer;
    co_await ws->async_read(buffer, use_awaitable);  // subscribed
    ++subscribed;
    for (;;) {
      buffer.clear();
      beast::error_code ec;
      co_await ws->async_read(buffer, net::redirect_error(use_awaitable, ec));
      if (ec) break;  // closed at the end
      const int64_t now = wall_us();
      const std::string_view m(static_cast<const char*>(buffer.data().data()), buffer.size());
      const std::string_view type = field(m, "type");
      if (type == "notification") {
        ++s.notes;
        continue;
      }
      if (type != "event") {
        ++s.errors;
        continue;
      }
      const uint64_t position = std::stoull(std::string(field(m, "position")));
      if (position <= s.last) ++s.out_of_order;
      s.last = position;
      s.events.fetch_add(1, std::memory_order_relaxed);
      if (auto at = comanda::engine::parse_rfc3339(field(m, "recorded_at")))
        s.latency_ms.push_back(static_cast<double>(now - *at) / 1000.0);
    }
  }

  awaitable<void> write(int n) {
    beast::tcp_stream stream(co_await net::this_coro::executor);
    co_await stream.async_connect(tcp::endpoint(net::ip::make_address(o.host), o.port),
                                  use_awaitable);
    stream.socket().set_option(tcp::no_delay(true));
    http::request<http::string_body> req{http::verb::post, "/v1/orders", 11};
    req.set(http::field::host, o.host);
    req.set(http::field::authorization, "Bearer " + o.token);
    req.set(http::field::content_type, "application/json");
    beast::flat_buffer buffer;
    net::steady_timer timer(stream.get_executor());
    const double interval_s = o.rate > 0 ? o.writers / o.rate : 0;
    auto next = start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(interval_s * n / o.writers));
    for (size_t k = static_cast<size_t>(n); !stop; k += static_cast<size_t>(o.writers)) {
      if (interval_s > 0) {  // paced: on schedule, never bunched to catch up
        next +=
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_s));
        if (next > Clock::now()) {
          timer.expires_at(next);
          co_await timer.async_wait(use_awaitable);
        }
      }
      const size_t r = k % restaurants.size();
      req.body() = bodies[r];
      req.prepare_payload();
      const auto sent = Clock::now();
      co_await http::async_write(stream, req, use_awaitable);
      http::response<http::string_body> res;
      co_await http::async_read(stream, buffer, res, use_awaitable);
      const auto done = Clock::now();
      if (res.result_int() != 201) {
        ++failed;
        continue;
      }
      placed[r].fetch_add(1, std::memory_order_relaxed);
      if (sent >= window_from && done <= window_to) {
        ++in_window;
        write_ms[static_cast<size_t>(n)].push_back(
            std::chrono::duration<double, std::milli>(done - sent).count());
      }
    }
  }

  uint64_t expected() const {
    uint64_t total = 0;
    for (const Subscriber& s : subs) total += placed[s.restaurant].load();
    return total;
  }
  uint64_t received() const {
    uint64_t total = 0;
    for (const Subscriber& s : subs) total += s.events.load(std::memory_order_relaxed);
    return total;
  }

  void run(net::io_context& ioc, std::vector<std::thread>& pool) {
    for (size_t i = 0; i < subs.size(); ++i) {
      subs[i].restaurant = i % restaurants.size();
      net::co_spawn(ioc, subscribe(subs[i]), net::detached);
    }
    for (int t = 0; t < o.threads; ++t) pool.emplace_back([&ioc] { ioc.run(); });
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (subscribed.load() < o.subscribers && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    start = Clock::now();
    window_from = start + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(o.warmup));
    window_to = window_from + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.duration));
    for (int n = 0; n < o.writers; ++n) net::co_spawn(ioc, write(n), net::detached);
    std::this_thread::sleep_until(window_to);
    stop = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the last answers
    // Deliveries drain: every order acknowledged reaches every subscriber of
    // its restaurant, or it is a drop.
    const auto drain = Clock::now() + std::chrono::seconds(10);
    while (received() < expected() && Clock::now() < drain)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  void report(int subscribed_count) {
    std::vector<double> writes, deliveries;
    for (auto& w : write_ms) writes.insert(writes.end(), w.begin(), w.end());
    uint64_t errors = 0, disorder = 0, notes = 0;
    for (Subscriber& s : subs) {
      deliveries.insert(deliveries.end(), s.latency_ms.begin(), s.latency_ms.end());
      errors += s.errors;
      disorder += s.out_of_order;
      notes += s.notes;
    }
    const uint64_t want = expected(), got = received();
    std::printf(
        "{\"mode\":\"fanout\",\"writers\":%d,\"subscribers\":%d,\"rate\":%.0f,"
        "\"orders_per_s\":%.1f,\"failed\":%llu,\"write_p50_ms\":%.3f,\"write_p99_ms\":%.3f,"
        "\"deliveries\":%llu,\"expected\":%llu,\"drops\":%llu,\"errors\":%llu,"
        "\"out_of_order\":%llu,\"notifications\":%llu,\"latency_p50_ms\":%.3f,"
        "\"latency_p99_ms\":%.3f,\"latency_max_ms\":%.3f}\n",
        o.writers, subscribed_count, o.rate, static_cast<double>(in_window.load()) / o.duration,
        static_cast<unsigned long long>(failed.load()), percentile(writes, 0.5),
        percentile(writes, 0.99), static_cast<unsigned long long>(got),
        static_cast<unsigned long long>(want),
        static_cast<unsigned long long>(want > got ? want - got : 0),
        static_cast<unsigned long long>(errors), static_cast<unsigned long long>(disorder),
        static_cast<unsigned long long>(notes), percentile(deliveries, 0.5),
        percentile(deliveries, 0.99), percentile(deliveries, 1.0));
  }
};

// --- gps --------------------------------------------------------------------

struct Gps {
  const Options& o;
  std::vector<std::pair<std::string, std::string>> drivers;  // id, token
  std::vector<std::vector<double>> ack_ms;                   // per socket, in the window
  std::atomic<uint64_t> in_window{0}, refused{0};
  std::atomic<bool> stop{false};
  Clock::time_point window_from, window_to;

  explicit Gps(const Options& opts) : o(opts) {
    for (const std::string& line : read_lines(o.targets)) {
      const size_t space = line.find(' ');
      drivers.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    ack_ms.resize(drivers.size());
  }

  // One `locations` message of D pings per round trip.
  awaitable<void> drive_batches(size_t n) {
    auto ws = co_await open_socket(o, drivers[n].second);
    beast::flat_buffer buffer;
    std::string message;
    for (uint64_t seq = 0; !stop;) {
      message = R"({"type":"locations","id":"b","pings":[)";
      for (int d = 0; d < o.depth; ++d, ++seq) {
        char ping[64];
        const int len =
            std::snprintf(ping, sizeof ping, R"(%s{"lat":%.7f,"lng":-77.03})", d == 0 ? "" : ",",
                          -12.1 + static_cast<double>(seq % 1000) * 1e-6);
        message.append(ping, static_cast<size_t>(len));
      }
      message += "]}";
      const auto sent = Clock::now();
      co_await ws->async_write(net::buffer(message), use_awaitable);
      buffer.clear();
      co_await ws->async_read(buffer, use_awaitable);
      const auto now = Clock::now();
      const std::string_view m(static_cast<const char*>(buffer.data().data()), buffer.size());
      if (field(m, "type") != "ack") {
        refused += static_cast<uint64_t>(o.depth);
        continue;
      }
      if (sent >= window_from && now <= window_to) {
        in_window += static_cast<uint64_t>(o.depth);
        ack_ms[n].insert(ack_ms[n].end(), static_cast<size_t>(o.depth),
                         std::chrono::duration<double, std::milli>(now - sent).count());
      }
    }
    beast::error_code ignored;
    beast::get_lowest_layer(*ws).socket().close(ignored);
  }

  awaitable<void> drive(size_t n) {
    auto ws = co_await open_socket(o, drivers[n].second);
    beast::flat_buffer buffer;
    std::vector<Clock::time_point> sent(static_cast<size_t>(o.depth));
    char message[160];
    for (uint64_t seq = 0; !stop;) {
      for (int d = 0; d < o.depth; ++d, ++seq) {
        // A walk around a point: every ping valid and distinct.
        const double lat = -12.1 + static_cast<double>(seq % 1000) * 1e-6;
        const int len =
            std::snprintf(message, sizeof message,
                          R"({"type":"location","id":"%d","lat":%.7f,"lng":-77.03})", d, lat);
        sent[static_cast<size_t>(d)] = Clock::now();
        co_await ws->async_write(net::buffer(message, static_cast<size_t>(len)), use_awaitable);
      }
      for (int d = 0; d < o.depth; ++d) {
        buffer.clear();
        co_await ws->async_read(buffer, use_awaitable);
        const auto now = Clock::now();
        const std::string_view m(static_cast<const char*>(buffer.data().data()), buffer.size());
        if (field(m, "type") != "ack") {
          ++refused;
          continue;
        }
        const size_t id = std::stoul(std::string(field(m, "id")));
        const auto at = sent[std::min(id, sent.size() - 1)];
        if (at >= window_from && now <= window_to) {
          ++in_window;
          ack_ms[n].push_back(std::chrono::duration<double, std::milli>(now - at).count());
        }
      }
    }
    beast::error_code ignored;
    beast::get_lowest_layer(*ws).socket().close(ignored);
  }

  void run(net::io_context& ioc, std::vector<std::thread>& pool) {
    const auto start = Clock::now();
    window_from = start + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(o.warmup));
    window_to = window_from + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.duration));
    for (size_t n = 0; n < drivers.size(); ++n)
      net::co_spawn(ioc, o.batch ? drive_batches(n) : drive(n), net::detached);
    for (int t = 0; t < o.threads; ++t) pool.emplace_back([&ioc] { ioc.run(); });
    std::this_thread::sleep_until(window_to);
    stop = true;
  }

  void report() {
    std::vector<double> all;
    for (auto& v : ack_ms) all.insert(all.end(), v.begin(), v.end());
    std::printf(
        "{\"mode\":\"gps\",\"sockets\":%zu,\"depth\":%d,\"batch\":%s,\"pings_per_s\":%.1f,"
        "\"refused\":%llu,\"ack_p50_ms\":%.3f,\"ack_p99_ms\":%.3f}\n",
        drivers.size(), o.depth, o.batch ? "true" : "false",
        static_cast<double>(in_window.load()) / o.duration,
        static_cast<unsigned long long>(refused.load()), percentile(all, 0.5),
        percentile(all, 0.99));
  }
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"WebSocket load for a running comandad (bench/realtime.py)"};
  app.require_subcommand(1);
  auto common = [&](CLI::App* sub) {
    sub->add_option("--host", o.host);
    sub->add_option("--port", o.port)->required();
    sub->add_option("--targets", o.targets,
                    "\"id token\" lines: restaurants and owners, or drivers")
        ->required();
    sub->add_option("--duration", o.duration, "seconds measured");
    sub->add_option("--warmup", o.warmup, "seconds before measuring");
    sub->add_option("--threads", o.threads, "client threads");
  };
  CLI::App* fanout = app.add_subcommand("fanout", "writers and topic subscribers");
  common(fanout);
  fanout->add_option("--token", o.token, "an admin's JWT")->required();
  fanout->add_option("--writers", o.writers, "connections placing orders, one at a time each");
  fanout->add_option("--subscribers", o.subscribers, "sockets following restaurant topics");
  fanout->add_option("--rate", o.rate, "orders per second in all (0: as fast as answered)");
  CLI::App* gps = app.add_subcommand("gps", "driver sockets sending pings");
  common(gps);
  gps->add_option("--depth", o.depth, "location messages in flight per socket");
  gps->add_flag("--batch", o.batch, "send the depth's pings as one locations message");
  CLI11_PARSE(app, argc, argv);

  net::io_context ioc;
  // Running until stopped, with or without work at the moment it starts.
  auto busy = net::make_work_guard(ioc);
  std::vector<std::thread> pool;
  auto finish = [&] {
    ioc.stop();
    for (std::thread& t : pool) t.join();
  };
  if (*fanout) {
    Fanout f(o);
    f.run(ioc, pool);
    const int subscribed = f.subscribed.load();
    finish();
    f.report(subscribed);
  } else {
    Gps g(o);
    g.run(ioc, pool);
    finish();
    g.report();
  }
  return 0;
}
