#include "api/http/access_log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "api/json/json_writer.h"

namespace comanda::api {
namespace {

constexpr size_t kBlockBytes = 64 << 10;   // handed to the writer once this much waits
constexpr size_t kMostWaiting = 16 << 20;  // beyond it (stderr stuck), lines are dropped
constexpr auto kFlushEvery = std::chrono::seconds(1);

void write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr is gone: the lines are lost, the server goes on
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// stderr, written in blocks by a thread of its own. The thread that logs
// formats its line (spdlog's pattern) and appends it to a buffer under a
// mutex, nothing more: no write(2), no wake-up per line. A full block (64
// KiB), spdlog's periodic flush (every second) or a warning hands the buffer
// to the writer thread, which writes it while the next one fills. If stderr
// blocks (a stuck pipe) and 16 MiB wait, further lines are dropped and
// counted, never waited for.
//
// spdlog's own stderr sink writes and flushes every line, and its async
// logger wakes its thread for every line: measured, the two cost 25% of a
// GET's throughput (docs/performance.md, "Operations").
class BlockSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  BlockSink() : writer_([this] { run(); }) {}
  ~BlockSink() override {
    {
      std::lock_guard lock(hand_mu_);
      stop_ = true;
    }
    cv_.notify_one();
    writer_.join();
    write_all(writing_);
    write_all(filling_);
    if (dropped_ != 0)
      write_all("comandad: " + std::to_string(dropped_) +
                " log lines were dropped while stderr did not keep up\n");
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (filling_.size() >= kMostWaiting) {
      ++dropped_;
      return;
    }
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    filling_.append(formatted.data(), formatted.size());
    if (filling_.size() >= kBlockBytes) hand_off();
  }

  void flush_() override { hand_off(); }

 private:
  // The filled buffer to the writer, if it has taken the last one (else the
  // lines go on filling this one). base_sink's mutex held.
  void hand_off() {
    if (filling_.empty()) return;
    {
      std::lock_guard lock(hand_mu_);
      if (!writing_.empty()) return;
      writing_.swap(filling_);
    }
    cv_.notify_one();
  }

  void run() {
    std::string block;
    for (;;) {
      {
        std::unique_lock lock(hand_mu_);
        cv_.wait(lock, [&] { return stop_ || !writing_.empty(); });
        if (stop_) return;
        block.swap(writing_);  // writing_ is empty again: the next may come
      }
      write_all(block);
      block.clear();
    }
  }

  std::string filling_;   // base_sink's mutex
  uint64_t dropped_ = 0;  // base_sink's mutex
  std::mutex hand_mu_;
  std::condition_variable cv_;
  std::string writing_;  // hand_mu_: the block handed to the writer
  bool stop_ = false;    // hand_mu_
  std::thread writer_;
};

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
  auto log = std::make_shared<spdlog::logger>("comandad", std::make_shared<BlockSink>());
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  log->set_level(level_of(level).value_or(spdlog::level::info));
  log->flush_on(spdlog::level::warn);
  spdlog::register_logger(log);  // for the periodic flush
  logger() = log;
  spdlog::flush_every(kFlushEvery);
}

void stop_logging() {
  if (!logger()) return;
  logger()->flush();
  logger().reset();
  spdlog::shutdown();  // the last reference: the sink writes what waits, and its thread ends
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

}  // namespace comanda::api
