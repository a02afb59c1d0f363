#include "api/node.h"

#include <filesystem>
#include <iostream>
#include <optional>
#include <span>
#include <string>

#include "api/auth/authenticator.h"
#include "api/http/access_log.h"
#include "api/http/rate_limiter.h"
#include "api/http/server.h"
#include "api/routes/command_path.h"
#include "api/routes/router.h"
#include "api/routes/routes.h"
#include "api/ws/feed.h"
#include "engine/base/clock.h"
#include "engine/log/event_log.h"
#include "engine/log/log_options.h"
#include "engine/pipeline/checkpointer.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/scheduler.h"
#include "engine/pipeline/sequencer.h"
#include "engine/pipeline/state_snapshot.h"
#include "projections/audience.h"
#include "projections/notifications.h"
#include "projections/orders.h"
#include "projections/read_models.h"
#include "projections/registry.h"
#include "projections/view_store.h"

namespace comanda::api {
namespace {

// After each durable batch: read models first (so a caller reads its own
// write), then the live feed and the scheduler.
class CommitFanout final : public engine::CommitListener {
 public:
  CommitFanout(projections::ProjectionRegistry& models, EventFeed& feed,
               engine::Scheduler& scheduler, Metrics& metrics)
      : models_(models), feed_(feed), scheduler_(scheduler), metrics_(metrics) {}
  void on_commit(std::span<const engine::Event> events) override {
    models_.apply(events);
    feed_.publish(events);
    scheduler_.observe(events);
    metrics_.committed(events);
  }

 private:
  projections::ProjectionRegistry& models_;
  EventFeed& feed_;
  engine::Scheduler& scheduler_;
  Metrics& metrics_;
};

// jemalloc's statistics, when comandad runs on it (weak: the test binaries
// link the same code without it).
extern "C" int mallctl(const char*, void*, size_t*, void*, size_t) __attribute__((weak));

std::function<double()> allocator_stat(const char* name) {
  if (mallctl == nullptr) return {};
  return [name] {
    uint64_t epoch = 1;  // statistics are refreshed when the epoch is written
    size_t size = sizeof epoch;
    mallctl("epoch", &epoch, &size, &epoch, size);
    size_t value = 0;
    size = sizeof value;
    if (mallctl(name, &value, &size, nullptr, 0) != 0) return 0.0;
    return static_cast<double>(value);
  };
}

// views/ holds derived data only: if it cannot be opened (damaged files), it
// is started afresh rather than keeping the server down.
engine::Result<std::unique_ptr<projections::ViewStore>> open_views(
    const std::filesystem::path& dir) {
  auto views = projections::ViewStore::open(dir);
  if (views.ok() || !std::filesystem::exists(dir)) return views;
  std::cerr << "comandad: " << views.error().message
            << "; views/ holds only data rebuildable from the log: starting it afresh\n";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return projections::ViewStore::open(dir);
}

std::optional<JwtVerifier> verifier_of(const ServerConfig& config) {
  if (config.jwt_secret.empty()) return std::nullopt;
  return JwtVerifier(JwtOptions{config.jwt_secret, config.jwt_issuer, config.jwt_audience});
}

}  // namespace

// What a node serves, loaded before it listens: the log (its lock taken
// first, so that a second comandad on the same directory says so), views/,
// the sequencer's state and the read models.
struct Node::Data {
  explicit Data(const ServerConfig& c)
      : config(c), state({c.idempotency_window_s * 1'000'000, c.hot_window_s * 1'000'000}) {}

  // Opens the log and views/; loads the read models (their snapshot when it
  // matches the log) and the sequencer's state in one pass over the log.
  engine::Status load();
  // The sequencer's state and the scheduler's, from their snapshot and the
  // log after it, with the read models brought up to date in the same pass.
  engine::Status load_state(uint64_t models_checkpoint, int64_t now_us);

  ServerConfig config;
  std::unique_ptr<engine::EventLog> log;
  std::unique_ptr<projections::ViewStore> views;
  engine::HotState state;
  projections::ProjectionRegistry models{projections::read_models()};
  engine::Scheduler scheduler;  // fed by the load, then by every commit
};

// The serving parts, on loaded data, declared in the order they are built;
// destroyed in reverse, the sequencer first: its callbacks point into the
// command path and the server.
struct Node::Serving {
  explicit Serving(Data& d)
      : auth(verifier_of(d.config), d.config.dev),
        server({d.config.host, d.config.port, d.config.threads, d.config.max_connections,
                std::chrono::seconds(d.config.shutdown_grace_s),
                std::chrono::seconds(d.config.idle_timeout_s),
                std::chrono::seconds(d.config.read_timeout_s)}),
        feed(server.post_in_order(),
             projections::AudienceOf(d.models.get<projections::RestaurantsModel>(),
                                     d.models.get<projections::OrdersModel>(),
                                     d.models.get<projections::DriversModel>()),
             [&restaurants = d.models.get<projections::RestaurantsModel>()](
                 const engine::Event& e) { return restaurants.currency(e.partition); },
             projections::NotificationsOf(d.models.get<projections::RestaurantsModel>(),
                                          d.models.get<projections::OrdersModel>()),
             TopicRights(d.models.get<projections::RestaurantsModel>(),
                         d.models.get<projections::OrdersModel>(),
                         d.models.get<projections::DriversModel>()),
             *d.log,
             {d.config.ws_queue, d.config.ws_queue_mib << 20, d.config.ws_ring,
              std::chrono::seconds(d.config.ws_idle_s)}),
        fanout(d.models, feed, d.scheduler, *metrics),
        commands(
            [this](engine::Command&& command) { return sequencer->submit(std::move(command)); },
            // Streams that left the sequencer's memory are read on a
            // network thread, never by the sequencer.
            [this, &d](const engine::Uuid& id) {
              return engine::HotState::load_stream(*d.log, id, sequencer->committed_position());
            },
            server.post()),
        context{d.models, [this] { return sequencer->committed_position(); }, d.config.time_zone,
                [this, &d](const engine::Uuid& id,
                           const std::function<bool(const engine::Event&)>& fn) {
                  return d.log->read_stream(id, fn, sequencer->committed_position());
                },
                metrics},
        limiter({static_cast<double>(d.config.rate_limit),
                 static_cast<double>(d.config.rate_burst != 0 ? d.config.rate_burst
                                                              : 2 * d.config.rate_limit)}),
        router(all_routes(context), auth, commands, &limiter),
        handler([this](const Request& rq, Reply reply) {
          return router.dispatch(rq, std::move(reply));
        }),
        request_as([this](const engine::Principal& who, const Request& rq, Reply reply) {
          router.dispatch_as(who, rq, std::move(reply));
        }),
        served([this](const Served& s) {
          metrics->http->observe(s.dispatch.route, s.response.status, s.seconds);
          log_access(s, s.dispatch.route == Dispatch::kNoRoute
                            ? std::string_view()
                            : router.routes()[static_cast<size_t>(s.dispatch.route)].pattern);
        }),
        scheduler(d.scheduler) {
    std::vector<std::pair<std::string, std::string>> labels;
    for (const Route& route : router.routes())
      labels.emplace_back(std::string(route.method), std::string(route.pattern));
    metrics->http = std::make_unique<HttpMetrics>(labels);
    engine::Sequencer::Options pipeline;
    pipeline.on_write = [&m = *metrics](uint64_t, std::chrono::nanoseconds took) {
      m.wal_sync_seconds.observe(std::chrono::duration<double>(took).count());
    };
    sequencer.emplace(*d.log, d.state, fanout, std::move(pipeline));
    checkpointer.emplace(
        *d.log, *d.views, [this] { return sequencer->committed_position(); },
        engine::Checkpointer::Options{
            {d.config.idempotency_window_s * 1'000'000, d.config.hot_window_s * 1'000'000},
            d.config.snapshot_every,
            std::chrono::milliseconds(1000),
            // The read models at the same cadence, the publisher paused for
            // each model's first step only (ViewStore::save).
            [&d] { return d.views->save(d.models, *d.log); }});
    checkpointer->start();
    context.metrics->snapshot_position.read = [this] {
      return static_cast<double>(checkpointer->checkpoint());
    };
    context.metrics->orders_in_memory.read = [&orders = d.models.get<projections::OrdersModel>()] {
      return static_cast<double>(orders.hot_orders());
    };
    context.not_ready = [this]() -> std::string {
      if (server.stopping()) return "the server is stopping";
      if (sequencer && !sequencer->writing())
        return "the log refused a write; writes answer 503 until it is reloaded";
      return "";
    };
    if (!d.config.backup_dir.empty())
      context.backup = [&log = *d.log, dir = d.config.backup_dir](const std::string& name) {
        return engine::write_backup(log, dir / name);
      };
    auto count = [](const std::atomic<uint64_t>& n) {
      return [&n] { return static_cast<double>(n.load(std::memory_order_relaxed)); };
    };
    context.metrics->ws_catch_ups_memory.read = count(feed.counts().catch_ups_from_memory);
    context.metrics->ws_catch_ups_log.read = count(feed.counts().catch_ups_from_log);
    context.metrics->ws_closed_too_slow.read = count(feed.counts().closed_too_slow);
    context.metrics->ws_dropped.read = count(feed.counts().dropped);
    context.metrics->ws_subscribers.read = [&n = feed.counts().subscribers] {
      return static_cast<double>(n.load(std::memory_order_relaxed));
    };
    context.metrics->committed_position.read = [this] {
      return static_cast<double>(sequencer->committed_position());
    };
    context.metrics->http_connections.read = [this] {
      return static_cast<double>(server.connections().count());
    };
    context.metrics->http_connections_refused.read = [this] {
      return static_cast<double>(server.connections().refused());
    };
    context.metrics->memory_allocated.read = allocator_stat("stats.allocated");
    context.metrics->memory_resident.read = allocator_stat("stats.resident");
    scheduler.start(engine::utc_now_us, [this](engine::Command&& command) {
      return sequencer->submit(std::move(command));
    });
  }
  ~Serving() { scheduler.stop(); }

  std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>();
  Authenticator auth;
  Server server;
  EventFeed feed;
  CommitFanout fanout;
  CommandPath commands;
  ApiContext context;
  RateLimiter limiter;
  Router router;
  RequestHandler handler;
  RequestAs request_as;
  OnServed served;
  std::optional<engine::Sequencer> sequencer;
  // Follows the committed log into its own copy of the sequencer's state
  // and snapshots it; gone before the sequencer it asks.
  std::optional<engine::Checkpointer> checkpointer;
  engine::Scheduler& scheduler;
};

engine::Status Node::Data::load() {
  auto opened = engine::EventLog::open(config.data / "log", {config.durability, false});
  if (!opened.ok()) return opened.error();
  log = std::move(opened).value();
  auto opened_views = open_views(config.data / "views");
  if (!opened_views.ok()) return opened_views.error();
  views = std::move(opened_views).value();

  // The read models start from their snapshot in views/ when it matches this
  // log, else from nothing; then one pass over the log rebuilds the
  // sequencer's state and brings the read models up to date.
  // Finished orders leave memory for views/ after the same window as the
  // sequencer's (docs/storage.md, "Memory").
  auto& orders = models.get<projections::OrdersModel>();
  orders.use_cold_store(&views->cold_orders(), config.hot_window_s * 1'000'000);
  std::string why_not;
  auto checkpoint = views->load(models, *log, &why_not);
  if (!checkpoint.ok()) {  // unreadable: derived data, so rebuilt rather than fatal
    why_not = checkpoint.error().message;
    checkpoint = uint64_t{0};
  }
  if (*checkpoint == 0)  // the cold orders are rebuilt with the rest
    if (auto cleared = views->cold_orders().clear(); !cleared.ok()) return cleared;
  if (*checkpoint != 0)
    std::cerr << "comandad: read models from the snapshot at position " << *checkpoint << "\n";
  else if (log->last_position() != 0)
    std::cerr << "comandad: read models rebuilt from the log (" << why_not << ")\n";
  const int64_t now_us = engine::utc_now_us();
  const int64_t window_us = config.idempotency_window_s * 1'000'000;
  if (auto expired = log->expire_idempotency(now_us - window_us); !expired.ok()) return expired;
  return load_state(*checkpoint, now_us);
}

engine::Status Node::Data::load_state(uint64_t models_checkpoint, int64_t now_us) {
  // The sequencer's state (and the scheduler's open orders) from its own
  // snapshot when it matches this log, else from nothing.
  std::string why_not;
  auto restored = engine::read_state_snapshot(*views, *log, state, scheduler, &why_not);
  if (!restored.ok()) return restored.error();
  const uint64_t state_checkpoint = *restored;
  if (state_checkpoint != 0)
    std::cerr << "comandad: the sequencer's state from the snapshot at position "
              << state_checkpoint << "\n";
  else if (log->last_position() != 0)
    std::cerr << "comandad: the sequencer's state replayed from the log (" << why_not << ")\n";
  // One pass over the log from the older of the two checkpoints: the state
  // and the scheduler take what is after theirs, the read models what is
  // after theirs (the registry skips what they hold).
  const uint64_t from = std::min(state_checkpoint, models_checkpoint) + 1;
  engine::Status followed;
  engine::Status scanned =
      log->scan_chunks(from, log->last_position(), [&](std::span<engine::Event> chunk) {
        for (const engine::Event& e : chunk) {
          if (e.position <= state_checkpoint) continue;
          followed = state.follow(*log, e);
          if (!followed.ok()) return false;
          scheduler.observe_loaded(e);
        }
        models.apply(chunk);
        return true;
      });
  if (scanned.ok()) scanned = followed;
  if (scanned.ok()) scanned = state.load_idempotency(*log, now_us);
  if (!scanned.ok())
    return engine::Error::corruption("cannot load the log: " + scanned.error().message);
  // What has been finished for longer than the window stays on disk only.
  state.evict_finished(now_us, log->last_position());
  scheduler.finish_load();  // what the open orders have due, armed once
  return {};
}

Node::Node(std::unique_ptr<Data> data, std::unique_ptr<Serving> serving)
    : data_(std::move(data)), serving_(std::move(serving)) {}

engine::Result<std::unique_ptr<Node>> Node::open(const ServerConfig& config) {
  engine::lower_compaction_priority();
  auto data = std::make_unique<Data>(config);
  if (auto loaded = data->load(); !loaded.ok()) return loaded.error();
  std::unique_ptr<Serving> serving;
  try {
    serving = std::make_unique<Serving>(*data);
  } catch (const std::exception& e) {  // the address cannot be bound
    return engine::Error::unavailable(e.what());
  }
  if (config.dev)
    std::cerr << "\n*** comandad: DEV MODE: requests without a token act as an administrator. ***\n"
                 "*** Never run --dev anywhere but a local trial.                          ***\n\n";
  return std::unique_ptr<Node>(new Node(std::move(data), std::move(serving)));
}

Node::~Node() = default;

uint16_t Node::port() const { return serving_->server.port(); }

void Node::run() {
  Data& d = *data_;
  Serving& s = *serving_;
  std::cout << "comandad listening on http://" << d.config.host << ":" << s.server.port()
            << " (data: " << d.config.data.string() << ", " << d.log->last_position()
            << " events, durability "
            << (d.config.durability == engine::Durability::kSync ? "sync" : "async") << ")"
            << std::endl;
  s.server.run(s.handler, s.feed, s.auth, s.request_as, s.served, &s.limiter);
  std::cout << "comandad stopping" << std::endl;
  s.scheduler.stop();  // it submits to the sequencer
  s.checkpointer->stop();
  s.sequencer.reset();
  // Everything is written and applied: the next start need not replay it.
  // The orders that left memory are in views/ first: the snapshot counts on it.
  auto& orders = d.models.get<projections::OrdersModel>();
  engine::Status saved = orders.flush_cold();
  orders.stop_cold();
  if (saved.ok()) saved = d.views->save(d.models, *d.log);
  if (saved.ok()) saved = d.views->flush();
  if (engine::Status state = s.checkpointer->checkpoint_now(d.log->last_position()); !state.ok())
    std::cerr << "comandad: the sequencer's snapshot was not saved (the next start replays more "
                 "of the log): "
              << state.error().message << "\n";
  if (!saved.ok())
    std::cerr << "comandad: the read models' snapshot was not saved (the next start rebuilds "
                 "them from the log): "
              << saved.error().message << "\n";
}

}  // namespace comanda::api
