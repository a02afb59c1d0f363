// comandad's settings: command-line flags, each also readable from an
// environment variable COMANDA_<NAME> (flags win). An unknown flag is an
// error; an unknown COMANDA_* variable is ignored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/log/event_log.h"

namespace comanda::api {

struct ServerConfig {
  std::filesystem::path data = "./data";
  std::filesystem::path backup_dir;  // where POST /v1/admin/backup writes ("": no backups)
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 2;
  engine::Durability durability = engine::Durability::kSync;
  std::string time_zone = "UTC";  // for restaurants registered without one
  // JWT: the secret comes from COMANDA_JWT_SECRET or --jwt-secret-file, never
  // from a flag's value (it would show in `ps`).
  std::string jwt_secret;
  std::string jwt_issuer;                    // checked when set
  std::string jwt_audience;                  // checked when set
  bool dev = false;                          // requests without a token act as an admin
  int64_t idempotency_window_s = 24 * 3600;  // how long Idempotency-Keys are remembered
  int64_t hot_window_s = 15 * 60;  // how long finished orders stay in the sequencer's memory
  // A snapshot of the state (sequencer's and read models') once the log has
  // grown this many events past the last one: what a restart after a crash
  // replays at most.
  uint64_t snapshot_every = 250'000;
  // The messages one WebSocket may have waiting before it is closed as too slow.
  size_t ws_queue = 8192;
  size_t ws_queue_mib = 16;  // the same in mebibytes
  size_t ws_ring = 16384;    // recent events kept for short catch-ups
  int ws_idle_s = 60;        // a silent WebSocket is pinged at half, closed at the end
  // Requests per second per caller (0: no limit), and the burst a quiet
  // caller may send at once (0: twice the rate).
  int rate_limit = 100;
  int rate_burst = 0;
  size_t max_connections = 10'000;
  int shutdown_grace_s = 10;  // for open requests and sockets after SIGTERM
  int idle_timeout_s = 60;    // a keep-alive connection's wait for its next request
  int read_timeout_s = 10;    // one request, head and body, once its first byte is in
  std::string log_level = "info";
  bool help = false;
};

// `args` excludes the program name; `env` is the process environment.
// Refuses a configuration without a JWT secret unless `dev` is set.
engine::Result<ServerConfig> parse_server_config(const std::vector<std::string>& args, char** env);

// The flags and their defaults, for --help.
std::string server_usage();

}  // namespace comanda::api
