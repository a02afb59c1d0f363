#include "api/node.h"

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "api/auth/authenticator.h"
#include "api/http/server.h"
#include "api/routes/command_path.h"
#include "api/routes/router.h"
#include "api/routes/routes.h"
#include "api/ws/feed.h"
#include "engine/base/clock.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/sequencer.h"
#include "projections/audience.h"
#include "projections/read_models.h"
#include "projections/registry.h"
#include "projections/view_store.h"

namespace comanda::api {
namespace {

// After each durable batch: read models first (so a caller reads its own
// write), then the live feed.
class CommitFanout final : public engine::CommitListener {
 public:
  CommitFanout(projections::ProjectionRegistry& models, EventFeed& feed)
      : models_(models), feed_(feed) {}
  void on_commit(std::span<const engine::Event> events) override {
    models_.apply(events);
    feed_.publish(events);
  }

 private:
  projections::ProjectionRegistry& models_;
  EventFeed& feed_;
};

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

// Declared in the order they are built; destroyed in reverse, the sequencer
// first: its callbacks point into the command path and the server.
struct Node::Parts {
  explicit Parts(const ServerConfig& c)
      : config(c),
        state({c.idempotency_window_s * 1'000'000, c.hot_window_s * 1'000'000}),
        auth(verifier_of(c), c.dev),
        server({c.host, c.port, c.threads}),
        feed(server.post_in_order(),
             projections::AudienceOf(models.get<projections::RestaurantsModel>(),
                                     models.get<projections::OrdersModel>(),
                                     models.get<projections::DriversModel>())),
        fanout(models, feed),
        commands(
            [this](engine::Command&& command) { return sequencer->submit(std::move(command)); },
            // Streams that left the sequencer's memory are read on a
            // network thread, never by the sequencer.
            [this](const engine::Uuid& id) {
              return engine::HotState::load_stream(*log, id, sequencer->committed_position());
            },
            server.post()),
        context{models, [this] { return sequencer->committed_position(); }, c.time_zone},
        router(all_routes(context), auth, commands),
        handler([this](const Request& rq, Reply reply) { router.dispatch(rq, std::move(reply)); }) {
  }

  // Loads the read models (their snapshot when it matches the log) and the
  // sequencer's state from one pass over the log, then starts the pipeline.
  engine::Status load();

  ServerConfig config;
  std::unique_ptr<engine::EventLog> log;
  std::unique_ptr<projections::ViewStore> views;
  engine::HotState state;
  projections::ProjectionRegistry models{projections::read_models()};
  Authenticator auth;
  Server server;
  EventFeed feed;
  CommitFanout fanout;
  CommandPath commands;
  ApiContext context;
  Router router;
  RequestHandler handler;
  std::optional<engine::Sequencer> sequencer;
};

engine::Status Node::Parts::load() {
  auto opened = engine::EventLog::open(config.data / "log", {config.durability, false});
  if (!opened.ok()) return opened.error();
  log = std::move(opened).value();
  auto opened_views = open_views(config.data / "views");
  if (!opened_views.ok()) return opened_views.error();
  views = std::move(opened_views).value();

  // The read models start from their snapshot in views/ when it matches this
  // log, else from nothing; then one pass over the log rebuilds the
  // sequencer's state and brings the read models up to date.
  std::string why_not;
  auto checkpoint = views->load(models, *log, &why_not);
  if (!checkpoint.ok()) {  // unreadable: derived data, so rebuilt rather than fatal
    why_not = checkpoint.error().message;
    checkpoint = uint64_t{0};
  }
  if (*checkpoint != 0)
    std::cerr << "comandad: read models from the snapshot at position " << *checkpoint << "\n";
  else if (log->last_position() != 0)
    std::cerr << "comandad: read models rebuilt from the log (" << why_not << ")\n";
  const int64_t now_us = engine::utc_now_us();
  const int64_t window_us = config.idempotency_window_s * 1'000'000;
  if (auto expired = log->expire_idempotency(now_us - window_us); !expired.ok()) return expired;
  // Events up to the snapshot's checkpoint are skipped by the read models.
  auto rebuild_models = [this](const engine::Event& e) { models.apply({&e, 1}); };
  if (auto loaded = state.load(*log, now_us, rebuild_models); !loaded.ok())
    return engine::Error::corruption("cannot load the log: " + loaded.error().message);
  sequencer.emplace(*log, state, fanout, engine::Sequencer::Options{});
  return {};
}

Node::Node(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

engine::Result<std::unique_ptr<Node>> Node::open(const ServerConfig& config) {
  std::unique_ptr<Parts> parts;
  try {
    parts = std::make_unique<Parts>(config);
  } catch (const std::exception& e) {  // the address cannot be bound
    return engine::Error::unavailable(e.what());
  }
  if (auto loaded = parts->load(); !loaded.ok()) return loaded.error();
  if (config.dev)
    std::cerr << "\n*** comandad: DEV MODE: requests without a token act as an administrator. ***\n"
                 "*** Never run --dev anywhere but a local trial.                          ***\n\n";
  return std::unique_ptr<Node>(new Node(std::move(parts)));
}

Node::~Node() = default;

uint16_t Node::port() const { return parts_->server.port(); }

void Node::run() {
  Parts& p = *parts_;
  std::cout << "comandad listening on http://" << p.config.host << ":" << p.server.port()
            << " (data: " << p.config.data.string() << ", " << p.log->last_position()
            << " events, durability "
            << (p.config.durability == engine::Durability::kSync ? "sync" : "async") << ")"
            << std::endl;
  p.server.run(p.handler, p.feed, p.auth);
  std::cout << "comandad stopping" << std::endl;
  p.sequencer.reset();
  // Everything is written and applied: the next start need not replay it.
  if (auto saved = p.views->save(p.models, *p.log); !saved.ok())
    std::cerr << "comandad: the read models' snapshot was not saved (the next start rebuilds "
                 "them from the log): "
              << saved.error().message << "\n";
}

}  // namespace comanda::api
