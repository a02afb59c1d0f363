// The process that tests/engine/pipeline/crash_test.cpp kills: it appends orders as fast as
// the sequencer acknowledges them and reports on stdout only what is durable,
// so that every line the test reads must survive a SIGKILL.
//
//   comanda_crash_appender DATA_DIR
//
// Lines, each written whole by one write(2) after the fact it reports:
//   opened LAST_POSITION    the log is open and loaded; nothing appended yet
//   batch FIRST LAST        a durable batch, as the CommitListener received it
//   POSITION STREAM_UUID    an acknowledged command (its `done` ran)
// Every batch gets its own recorded time (the clock strictly increases), so
// the test can find each batch's bounds again in the log.
//
// Threads: the main thread submits and writes stdout; the listener and every
// `done` run on the sequencer's threads and only append to a buffer.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>

#include "engine/base/clock.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/sequencer.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
namespace support = comanda::test_support;

constexpr size_t kInFlight = 64;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "comanda_crash_appender: %s\n", message.c_str());
  std::_Exit(1);
}

void write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die("write to stdout failed");
    done += static_cast<size_t>(n);
  }
}

// Lines waiting for the main thread, and the commands still in flight.
class Reports {
 public:
  void add(const std::string& line) {
    std::lock_guard lock(mu_);
    pending_ += line;
  }
  void completed(const CommandOutcome& outcome) {
    std::lock_guard lock(mu_);
    if (outcome.ok()) {
      pending_ += std::to_string(outcome->position) + " " + outcome->stream.to_string() + "\n";
    } else if (failure_.empty()) {
      failure_ = "a command was refused: " + outcome.error().message;
    }
    --in_flight_;
    changed_.notify_one();
  }
  // Waits until there is something to write or room for more commands; hands
  // over the lines and claims every free slot, whose count it returns.
  size_t next(std::string& lines) {
    std::unique_lock lock(mu_);
    changed_.wait(lock,
                  [&] { return !pending_.empty() || in_flight_ < kInFlight || !failure_.empty(); });
    if (!failure_.empty()) die(failure_);
    lines.swap(pending_);
    pending_.clear();
    const size_t free = kInFlight - in_flight_;
    in_flight_ = kInFlight;
    return free;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::string pending_;
  std::string failure_;
  size_t in_flight_ = 0;
};

class BatchReporter : public CommitListener {
 public:
  explicit BatchReporter(Reports& reports) : reports_(reports) {}
  void on_commit(std::span<const Event> events) override {
    reports_.add("batch " + std::to_string(events.front().position) + " " +
                 std::to_string(events.back().position) + "\n");
  }

 private:
  Reports& reports_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) die("usage: comanda_crash_appender DATA_DIR");
  const std::filesystem::path data = argv[1];
  auto log = EventLog::open(data / "log", {Durability::kSync, false});
  if (!log.ok()) die(log.error().message);
  HotState state;
  if (Status loaded = state.load(**log); !loaded.ok()) die(loaded.error().message);
  write_all(STDOUT_FILENO, "opened " + std::to_string((*log)->last_position()) + "\n");

  // Strictly increasing, and past everything already recorded: no two
  // batches, in this run or an earlier one, share a recorded time.
  auto last_time = std::make_shared<std::atomic<int64_t>>(state.last_recorded_at_us());
  Sequencer::Options options;
  options.clock = [last_time] {
    int64_t previous = last_time->load();
    int64_t next;
    do {
      next = std::max(utc_now_us(), previous + 1);
    } while (!last_time->compare_exchange_weak(previous, next));
    return next;
  };

  Reports reports;
  BatchReporter listener(reports);
  Sequencer sequencer(**log, state, listener, std::move(options));

  // A new restaurant each run, so that the log need not be searched for one;
  // the queue is FIFO, so it is decided before the orders that follow it.
  const Uuid restaurant = Uuid::v7();
  Command registration = support::register_restaurant(restaurant);
  const Principal admin{"u-admin", Role::kAdmin};
  bool registered = false;

  std::string lines;
  for (;;) {  // until killed
    size_t free = reports.next(lines);
    if (!lines.empty()) write_all(STDOUT_FILENO, lines);
    for (; free > 0; --free) {
      Command c = registered
                      ? support::place_order(support::order_body(Uuid::v7(), restaurant), admin)
                      : std::move(registration);
      registered = true;
      c.done = [&reports](const CommandOutcome& o) { reports.completed(o); };
      if (!sequencer.submit(std::move(c))) die("the sequencer refused a submission");
    }
  }
}
