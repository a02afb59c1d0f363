#include "api/http/access_log.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <optional>

#include "api/json/json_writer.h"

namespace comanda::api {
namespace {

constexpr size_t kQueuedLines = 16384;  // beyond it, the oldest lines are dropped

std::optional<spdlog::level::level_enum> level_of(std::string_view name) {
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "off") return spdlog::level::off;
  return std::nullopt;
}

std::shared_ptr<spdlog::logger>& logger() {
  static std::shared_ptr<spdlog::logger> instance;
  return instance;
}

}  // namespace

engine::Status set_log_level(std::string_view level) {
  if (!level_of(level))
    return engine::Error::invalid("--log-level",
                                  "--log-level: must be debug, info, warn, error "
                                  "or off, not '" +
                                      std::string(level) + "'");
  return {};
}

void start_logging(std::string_view level) {
  spdlog::init_thread_pool(kQueuedLines, 1);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto log =
      std::make_shared<spdlog::async_logger>("comandad", std::move(sink), spdlog::thread_pool(),
                                             spdlog::async_overflow_policy::overrun_oldest);
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  log->set_level(level_of(level).value_or(spdlog::level::info));
  log->flush_on(spdlog::level::warn);
  logger() = log;
}

void stop_logging() {
  if (!logger()) return;
  logger()->flush();
  logger().reset();
  spdlog::shutdown();
}

std::string access_line(const Served& served, std::string_view route) {
  std::string line;
  line.reserve(160 + served.target.size());
  line.append("access method=");
  append_json_string(line, served.method);
  line.append(" route=");
  append_json_string(line, route);
  line.append(" target=");
  append_json_string(line, served.target);
  line.append(" status=").append(std::to_string(served.response.status));
  char ms[32];
  auto [end, ec] =
      std::to_chars(ms, ms + sizeof ms, served.seconds * 1000, std::chars_format::fixed, 3);
  line.append(" ms=").append(ms, ec == std::errc() ? end : ms);
  line.append(" principal=");
  append_json_string(line, served.dispatch.principal);
  std::string_view position = "";
  for (const auto& [name, value] : served.response.headers)
    if (name == "Comanda-Position") position = value;
  line.append(" position=").append(position.empty() ? "-" : position);
  line.append(" peer=").append(served.peer.empty() ? "-" : served.peer);
  return line;
}

void log_access(const Served& served, std::string_view route) {
  const auto& log = logger();
  if (!log || !log->should_log(spdlog::level::info)) return;
  log->info(access_line(served, route));
}

void log_warning(std::string_view message) {
  if (const auto& log = logger()) log->warn(message);
}

}  // namespace comanda::api
