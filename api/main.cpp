// comandad: the Comanda server. Opens the event log, loads the read models
// (their snapshot in views/, then the log after it), starts the sequencer and
// serves HTTP and WebSocket until SIGINT/SIGTERM; on the way out, saves the
// read models' snapshot.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/config.h"
#include "api/event_feed.h"
#include "api/rest_api.h"
#include "api/server.h"
#include "engine/base/clock.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/sequencer.h"
#include "projections/read_models.h"
#include "projections/view_store.h"

namespace {

using namespace comanda;

// After each durable batch: read models first (so a caller reads its own
// write), then the live feed.
class CommitFanout final : public engine::CommitListener {
 public:
  CommitFanout(projections::ReadModels& models, api::EventFeed& feed)
      : models_(models), feed_(feed) {}
  void on_commit(std::span<const engine::Event> events) override {
    models_.apply(events);
    feed_.publish(events);
  }

 private:
  projections::ReadModels& models_;
  api::EventFeed& feed_;
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

int serve(const api::ServerConfig& config) {
  auto log = engine::EventLog::open(config.data / "log", {config.durability, false});
  if (!log.ok()) {
    std::cerr << "comandad: " << log.error().message << "\n";
    return 1;
  }
  const int64_t now_us = engine::utc_now_us();
  const int64_t window_us = config.idempotency_window_s * 1'000'000;
  engine::HotState aggregates({window_us, config.hot_window_s * 1'000'000});
  projections::ReadModels models;
  // The read models start from their snapshot in views/ when it matches this
  // log, else from nothing; then one pass over the log rebuilds the
  // sequencer's state and brings the read models up to date.
  auto views = open_views(config.data / "views");
  if (!views.ok()) {
    std::cerr << "comandad: " << views.error().message << "\n";
    return 1;
  }
  std::string why_not;
  auto checkpoint = (**views).load(models, **log, &why_not);
  if (!checkpoint.ok()) {  // unreadable: derived data, so rebuilt rather than fatal
    why_not = checkpoint.error().message;
    checkpoint = uint64_t{0};
  }
  if (*checkpoint != 0)
    std::cerr << "comandad: read models from the snapshot at position " << *checkpoint << "\n";
  else if ((**log).last_position() != 0)
    std::cerr << "comandad: read models rebuilt from the log (" << why_not << ")\n";
  // Events up to the snapshot's checkpoint are skipped by the read models.
  auto rebuild_models = [&models](const engine::Event& e) { models.apply({&e, 1}); };
  for (auto status : {(**log).expire_idempotency(now_us - window_us),
                      aggregates.load(**log, now_us, rebuild_models)}) {
    if (!status.ok()) {
      std::cerr << "comandad: cannot load the log: " << status.error().message << "\n";
      return 1;
    }
  }

  std::optional<api::JwtVerifier> verifier;
  if (!config.jwt_secret.empty())
    verifier.emplace(api::JwtOptions{config.jwt_secret, config.jwt_issuer, config.jwt_audience});
  const api::Authenticator auth(std::move(verifier), config.dev);
  if (config.dev)
    std::cerr << "\n*** comandad: DEV MODE: requests without a token act as an administrator. ***\n"
                 "*** Never run --dev anywhere but a local trial.                          ***\n\n";

  api::Server server({config.host, config.port, config.threads});
  api::EventFeed feed(server.post_in_order(),
                      [&models](const engine::Event& e) { return models.audience(e); });
  CommitFanout fanout(models, feed);
  // Optional so that it stops (completing what is in flight) before the
  // RestApi its callbacks point into is destroyed.
  std::optional<engine::Sequencer> sequencer;
  sequencer.emplace(**log, aggregates, fanout, engine::Sequencer::Options{});
  // Orders that left the sequencer's memory are loaded from the log on a
  // network thread, never by the sequencer.
  const engine::EventLog& log_for_loading = **log;
  api::RestApiOptions rest_options{
      config.time_zone, [&log_for_loading, &sequencer](const engine::Uuid& id) {
        return engine::HotState::load_stream(log_for_loading, id, sequencer->committed_position());
      }};
  api::RestApi rest(*sequencer, models, auth, server.post(), rest_options);
  const api::Server::Handler handler = [&rest](const api::Request& rq, api::Reply reply) {
    rest.handle(rq, std::move(reply));
  };

  std::cout << "comandad listening on http://" << config.host << ":" << server.port()
            << " (data: " << config.data.string() << ", " << (**log).last_position()
            << " events, durability "
            << (config.durability == engine::Durability::kSync ? "sync" : "async") << ")"
            << std::endl;
  server.run(handler, feed, auth);
  std::cout << "comandad stopping" << std::endl;
  sequencer.reset();
  // Everything is written and applied: the next start need not replay it.
  if (auto saved = (**views).save(models, **log); !saved.ok())
    std::cerr << "comandad: the read models' snapshot was not saved (the next start rebuilds "
                 "them from the log): "
              << saved.error().message << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = comanda::api::parse_server_config(args, envp);
  if (!config.ok()) {
    std::cerr << "comandad: " << config.error().message << "\n\n" << comanda::api::server_usage();
    return 2;
  }
  if (config->help) {
    std::cout << comanda::api::server_usage();
    return 0;
  }
  try {
    return serve(*config);
  } catch (const std::exception& e) {
    std::cerr << "comandad: " << e.what() << "\n";
    return 1;
  }
}
