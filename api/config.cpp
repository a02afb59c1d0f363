#include "api/config.h"

#include <charconv>
#include <cstring>
#include <functional>
#include <optional>
#include <type_traits>

#include "api/auth/jwt.h"
#include "api/http/access_log.h"
#include "engine/base/time_zone.h"

namespace comanda::api {
namespace {

using engine::Error;

struct Flag {
  const char* name;  // "--data"; nullptr for a setting read only from the environment
  const char* env;   // "COMANDA_DATA"
  const char* help;
  std::function<std::optional<Error>(ServerConfig&, const std::string&)> set;
  bool takes_value = true;  // false: a switch, "--dev"
};

std::optional<Error> bad(const char* flag, const std::string& message) {
  return Error::invalid(flag, std::string(flag) + ": " + message);
}

// `text` as a whole integer from `min` to `max`; nullopt otherwise.
std::optional<int> integer_in(const std::string& text, int min, int max) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < min || n > max)
    return std::nullopt;
  return n;
}

// The setter of an integer setting: `text` from `min` to `max` (in
// `unit`s), times `scale`, into `field`.
template <auto Field>
auto counted(const char* flag, int min, int max, const char* unit, int64_t scale = 1) {
  return [=](ServerConfig& c, const std::string& text) -> std::optional<Error> {
    auto n = integer_in(text, min, max);
    if (!n)
      return bad(flag, "must be a number of " + std::string(unit) + " from " + std::to_string(min) +
                           " to " + std::to_string(max));
    using T = std::remove_reference_t<decltype(c.*Field)>;
    c.*Field = static_cast<T>(int64_t{*n} * scale);
    return std::nullopt;
  };
}

// ---- each setting's parser: the value (flag or environment) into the config ----

std::optional<Error> set_data(ServerConfig& c, const std::string& v) {
  if (v.empty()) return bad("--data", "must not be empty");
  c.data = v;
  return std::nullopt;
}

std::optional<Error> set_listen(ServerConfig& c, const std::string& v) {
  const size_t colon = v.rfind(':');
  if (colon == std::string::npos) return bad("--listen", "expected HOST:PORT, got '" + v + "'");
  unsigned port = 0;
  const char* begin = v.data() + colon + 1;
  auto [end, ec] = std::from_chars(begin, v.data() + v.size(), port);
  if (ec != std::errc() || end != v.data() + v.size() || port > 65535)
    return bad("--listen", "'" + v.substr(colon + 1) + "' is not a port");
  c.host = v.substr(0, colon);
  c.port = static_cast<uint16_t>(port);
  return std::nullopt;
}

std::optional<Error> set_durability(ServerConfig& c, const std::string& v) {
  if (v == "sync")
    c.durability = engine::Durability::kSync;
  else if (v == "async")
    c.durability = engine::Durability::kAsync;
  else
    return bad("--durability", "must be sync or async");
  return std::nullopt;
}

std::optional<Error> set_time_zone(ServerConfig& c, const std::string& v) {
  if (!engine::is_known_time_zone(v))
    return bad("--time-zone", "'" + v + "' is not an IANA time zone");
  c.time_zone = v;
  return std::nullopt;
}

std::optional<Error> set_jwt_secret(ServerConfig& c, const std::string& v) {
  if (auto status = check_secret(v, "COMANDA_JWT_SECRET"); !status.ok()) return status.error();
  c.jwt_secret = v;
  return std::nullopt;
}

std::optional<Error> set_jwt_secret_file(ServerConfig& c, const std::string& v) {
  auto secret = read_secret_file(v);
  if (!secret.ok()) return secret.error();
  c.jwt_secret = *secret;
  return std::nullopt;
}

std::optional<Error> set_jwt_issuer(ServerConfig& c, const std::string& v) {
  c.jwt_issuer = v;
  return std::nullopt;
}

std::optional<Error> set_jwt_audience(ServerConfig& c, const std::string& v) {
  c.jwt_audience = v;
  return std::nullopt;
}

std::optional<Error> set_log_level_flag(ServerConfig& c, const std::string& v) {
  if (auto checked = api::set_log_level(v); !checked.ok()) return checked.error();
  c.log_level = v;
  return std::nullopt;
}

std::optional<Error> set_backup_dir(ServerConfig& c, const std::string& v) {
  if (v.empty()) return bad("--backup-dir", "must name a directory");
  c.backup_dir = v;
  return std::nullopt;
}

std::optional<Error> set_dev(ServerConfig& c, const std::string& v) {
  // The bare --dev switch arrives as "1"; an empty COMANDA_DEV is refused
  // rather than read as "on" (it opens authentication).
  if (v == "1" || v == "true")
    c.dev = true;
  else if (v == "0" || v == "false")
    c.dev = false;
  else
    return bad("--dev", "COMANDA_DEV must be 1 or 0");
  return std::nullopt;
}

// Every setting, in the order the environment is read and --help lists them.
const std::vector<Flag>& flags() {
  static const std::vector<Flag> kFlags = {
      {"--data", "COMANDA_DATA", "DIR    data directory (default ./data)", set_data},
      {"--listen", "COMANDA_LISTEN",
       "HOST:PORT  address to serve on (default 127.0.0.1:8080; port 0 picks a free one)",
       set_listen},
      {"--threads", "COMANDA_THREADS", "N   network threads (default 2)",
       counted<&ServerConfig::threads>("--threads", 1, 256, "threads")},
      {"--durability", "COMANDA_DURABILITY",
       "sync|async  sync: fsync before acknowledging (default)", set_durability},
      {"--time-zone", "COMANDA_TIME_ZONE",
       "ZONE  IANA zone for restaurants registered without one (default UTC)", set_time_zone},
      // Before the file: with both set, the file wins, as in `comanda token`.
      {nullptr, "COMANDA_JWT_SECRET", "the HS256 secret itself (environment only)", set_jwt_secret},
      {"--jwt-secret-file", "COMANDA_JWT_SECRET_FILE",
       "FILE  file holding the HS256 secret (at least 32 bytes)", set_jwt_secret_file},
      {"--jwt-issuer", "COMANDA_JWT_ISSUER", "ISS  accept only tokens with this 'iss'",
       set_jwt_issuer},
      {"--jwt-audience", "COMANDA_JWT_AUDIENCE", "AUD  accept only tokens with this 'aud'",
       set_jwt_audience},
      {"--idempotency-window", "COMANDA_IDEMPOTENCY_WINDOW",
       "HOURS  how long Idempotency-Keys are kept (default 24)",
       counted<&ServerConfig::idempotency_window_s>("--idempotency-window", 1, 24 * 30, "hours",
                                                    3600)},
      {"--hot-window", "COMANDA_HOT_WINDOW",
       "MINUTES  how long finished orders stay in memory (default 15)",
       counted<&ServerConfig::hot_window_s>("--hot-window", 0, 24 * 60, "minutes", 60)},
      {"--snapshot-every", "COMANDA_SNAPSHOT_EVERY",
       "EVENTS  snapshot the state this often in the background, or as often as it holds "
       "streams if that is more, bounding what a restart after a crash replays (default 250000)",
       counted<&ServerConfig::snapshot_every>("--snapshot-every", 1, 1'000'000'000, "events")},
      {"--ws-queue", "COMANDA_WS_QUEUE",
       "MESSAGES  how many messages a WebSocket may have waiting before it is closed as too "
       "slow (default 8192)",
       counted<&ServerConfig::ws_queue>("--ws-queue", 16, 1'000'000, "messages")},
      {"--ws-queue-mib", "COMANDA_WS_QUEUE_MIB",
       "MEBIBYTES  the same bound in bytes: the most a WebSocket may have waiting (default 16)",
       counted<&ServerConfig::ws_queue_mib>("--ws-queue-mib", 1, 4096, "mebibytes")},
      {"--ws-ring", "COMANDA_WS_RING",
       "EVENTS  recent events kept in memory, so that short WebSocket catch-ups never read "
       "the log (default 16384; 0: none)",
       counted<&ServerConfig::ws_ring>("--ws-ring", 0, 10'000'000, "events")},
      {"--ws-idle", "COMANDA_WS_IDLE",
       "SECONDS  a WebSocket silent this long is closed; it is pinged at half (default 60)",
       counted<&ServerConfig::ws_idle_s>("--ws-idle", 2, 3600, "seconds")},
      {"--rate-limit", "COMANDA_RATE_LIMIT",
       "N  requests per second per caller (a principal; an address for refused tokens); "
       "beyond it 429 (default 100; 0: off)",
       counted<&ServerConfig::rate_limit>("--rate-limit", 0, 1'000'000, "requests per second")},
      {"--rate-burst", "COMANDA_RATE_BURST",
       "N  requests a quiet caller may send at once (default: twice --rate-limit)",
       counted<&ServerConfig::rate_burst>("--rate-burst", 1, 10'000'000, "requests")},
      {"--max-connections", "COMANDA_MAX_CONNECTIONS",
       "N  open connections at most; more are answered 503 and closed (default 10000)",
       counted<&ServerConfig::max_connections>("--max-connections", 1, 1'000'000, "connections")},
      {"--shutdown-grace", "COMANDA_SHUTDOWN_GRACE",
       "SECONDS  on SIGTERM, how long open requests and sockets may take to finish "
       "(default 10)",
       counted<&ServerConfig::shutdown_grace_s>("--shutdown-grace", 0, 3600, "seconds")},
      {"--idle-timeout", "COMANDA_IDLE_TIMEOUT",
       "SECONDS  how long a keep-alive connection may wait for its next request (default 60)",
       counted<&ServerConfig::idle_timeout_s>("--idle-timeout", 1, 3600, "seconds")},
      {"--read-timeout", "COMANDA_READ_TIMEOUT",
       "SECONDS  how long a request, head and body, may take to arrive once begun; slower "
       "ones are cut (default 10)",
       counted<&ServerConfig::read_timeout_s>("--read-timeout", 1, 3600, "seconds")},
      {"--log-level", "COMANDA_LOG_LEVEL",
       "LEVEL  debug, info (default: a line per request), warn, error or off", set_log_level_flag},
      {"--backup-dir", "COMANDA_BACKUP_DIR",
       "DIR  where POST /v1/admin/backup writes online backups of the log (default: none)",
       set_backup_dir},
      {"--dev", "COMANDA_DEV",
       "      open auth for local trials: requests without a token act as an admin", set_dev,
       false},
  };
  return kFlags;
}

}  // namespace

std::string server_usage() {
  std::string out =
      "usage: comandad [flags]\n\nflags (each also COMANDA_<NAME> in the environment):\n";
  for (const Flag& f : flags())
    if (f.name) out += "  " + std::string(f.name) + " " + f.help + "\n";
  out += "  COMANDA_JWT_SECRET (environment only): the HS256 secret itself\n";
  out += "  --help  print this and exit\n";
  return out;
}

engine::Result<ServerConfig> parse_server_config(const std::vector<std::string>& args, char** env) {
  ServerConfig config;
  for (const Flag& f : flags()) {
    for (char** e = env; e && *e; ++e) {
      const size_t n = std::strlen(f.env);
      if (std::strncmp(*e, f.env, n) == 0 && (*e)[n] == '=') {
        if (auto err = f.set(config, *e + n + 1)) {
          err->message = std::string(f.env) + " (" + err->message + ")";
          return *err;
        }
      }
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    if (name == "--help" || name == "-h") {
      config.help = true;
      continue;
    }
    const size_t eq = name.find('=');
    bool inline_value = false;
    if (name.starts_with("--") && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const Flag* flag = nullptr;
    for (const Flag& f : flags())
      if (f.name && name == f.name) flag = &f;
    if (!flag) return Error::invalid(name, "unknown flag '" + name + "' (see --help)");
    if (!flag->takes_value) {
      if (inline_value) return Error::invalid(name, name + " takes no value");
      value = "1";
    } else if (!inline_value) {
      if (i + 1 >= args.size()) return Error::invalid(name, name + " needs a value");
      value = args[++i];
    }
    if (auto err = flag->set(config, value)) return *err;
  }
  if (config.jwt_secret.empty() && !config.dev && !config.help)
    return Error::invalid(
        "--jwt-secret-file",
        "no JWT secret: set COMANDA_JWT_SECRET or --jwt-secret-file, or start with --dev for "
        "a local trial");
  return config;
}

}  // namespace comanda::api
