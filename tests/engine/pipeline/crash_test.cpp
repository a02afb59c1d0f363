// Crash durability: tests/engine/pipeline/crash_appender.cpp appends as fast
// as it can and reports what is durable; it is SIGKILLed at random moments, and after each
// kill the log must hold every acknowledged event, densely, in whole batches,
// with its hash chain intact. Every round continues on the same data, so
// recovery after recovery is what is tested.
//
// The seed of the kill points is printed; COMANDA_CRASH_SEED repeats it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/log/event_log.h"
#include "tests/support/test_support.h"
#include "tools/verify.h"

extern char** environ;

namespace {

using namespace comanda::engine;
using comanda::test_support::TempDir;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kRounds = 12;
constexpr auto kRoundDeadline = 20s;

struct Ack {
  uint64_t position = 0;
  Uuid stream;
};
struct Batch {
  uint64_t first = 0;
  uint64_t last = 0;
};

// What one run of the appender wrote to stdout: complete lines only.
struct Reported {
  std::optional<uint64_t> opened;  // the last position it found at start
  std::vector<Ack> acks;
  std::vector<Batch> batches;
  std::vector<std::string> malformed;
};

void parse_line(const std::string& line, Reported& r) {
  std::istringstream in(line);
  std::string first, second, rest;
  in >> first >> second >> rest;
  try {
    if (first == "opened" && rest.empty()) {
      r.opened = std::stoull(second);
      return;
    }
    if (first == "batch") {
      r.batches.push_back({std::stoull(second), std::stoull(rest)});
      return;
    }
    if (auto stream = Uuid::parse(second); stream && rest.empty()) {
      r.acks.push_back({std::stoull(first), *stream});
      return;
    }
  } catch (const std::exception&) {
  }
  r.malformed.push_back(line);
}

// A running comanda_crash_appender with its stdout on a pipe. Killed and
// reaped on destruction, so that a failed assertion leaves nothing behind.
class Appender {
 public:
  Appender() = default;
  ~Appender() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      reap();
    }
    if (fd_ >= 0) ::close(fd_);
  }
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  bool start(const std::filesystem::path& data, std::string& why) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      return fail(why, "pipe2: " + std::string(std::strerror(errno)));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::string exe = COMANDA_CRASH_APPENDER, dir = data.string();
    char* argv[] = {exe.data(), dir.data(), nullptr};
    const int rc = ::posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    fd_ = fds[0];
    if (rc != 0) {
      pid_ = -1;
      return fail(why, "cannot start " + exe + ": " + std::strerror(rc));
    }
    return true;
  }

  // Reads lines until `enough` holds. False, saying why, when the appender
  // exits first or the deadline passes.
  bool read_until(const std::function<bool(const Reported&)>& enough, Clock::time_point deadline,
                  std::string& why) {
    while (!enough(reported_)) {
      std::string problem;
      if (!read_some(deadline, problem))
        return fail(why, problem + " (" + std::to_string(reported_.acks.size()) +
                             " acknowledgements read)");
    }
    return true;
  }

  // SIGKILLs the appender, reaps it, then reads to the end what it wrote
  // before it died: those lines were acknowledged too.
  bool kill_and_drain(Clock::time_point deadline, std::string& why) {
    if (::kill(pid_, SIGKILL) != 0) return fail(why, "kill: " + std::string(std::strerror(errno)));
    const int status = reap();
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
      return fail(why,
                  "the appender ended on its own (wait status " + std::to_string(status) + ")");
    std::string problem;
    while (read_some(deadline, problem)) {
    }
    if (problem != "end of output") return fail(why, problem);
    return true;
  }

  const Reported& reported() const { return reported_; }

 private:
  static bool fail(std::string& why, std::string message) {
    why = std::move(message);
    return false;
  }

  int reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

  // Waits for output and parses its complete lines. False at the end of the
  // output, at the deadline or on an error, saying which in `problem`.
  bool read_some(Clock::time_point deadline, std::string& problem) {
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left <= 0ms) return fail(problem, "deadline passed");
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno != EINTR)
        return fail(problem, "poll: " + std::string(std::strerror(errno)));
      if (ready <= 0) continue;
      char buffer[1 << 16];
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(problem, "read: " + std::string(std::strerror(errno)));
      if (n == 0) return fail(problem, "end of output");
      partial_.append(buffer, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
        parse_line(partial_.substr(start, nl - start), reported_);
      partial_.erase(0, start);  // a line cut by the kill was never whole: not acknowledged
      return true;
    }
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string partial_;
  Reported reported_;
};

// Collects problems, keeping the first few for the failure message.
class Problems {
 public:
  void add(const std::string& what) {
    if (count_++ < 10) text_ += "  " + what + "\n";
  }
  size_t count() const { return count_; }
  const std::string& text() const { return text_; }

 private:
  size_t count_ = 0;
  std::string text_;
};

// What the reopened log holds, position by position (index = position - 1).
struct Stored {
  Uuid stream;
  int64_t recorded_at_us = 0;
};

// Scans the whole log: dense positions, contiguous stream versions.
std::vector<Stored> read_log(const EventLog& log, Problems& problems) {
  std::vector<Stored> stored;
  std::unordered_map<Uuid, uint64_t, UuidHash> versions;
  Status scanned = log.scan(1, UINT64_MAX, [&](const Event& e) {
    if (e.position != stored.size() + 1)
      problems.add("position " + std::to_string(e.position) + " follows " +
                   std::to_string(stored.size()));
    uint64_t& version = versions[e.stream];
    if (e.stream_version != version + 1)
      problems.add("stream " + e.stream.to_string() + " jumps from version " +
                   std::to_string(version) + " to " + std::to_string(e.stream_version) +
                   " at position " + std::to_string(e.position));
    version = e.stream_version;
    stored.push_back({e.stream, e.recorded_at_us});
    return true;
  });
  if (!scanned.ok()) problems.add("scan: " + scanned.error().message);
  if (stored.size() != log.last_position())
    problems.add("last_position() is " + std::to_string(log.last_position()) +
                 " but the scan found " + std::to_string(stored.size()) + " events");
  return stored;
}

// Batches are whole: the chain's links split the log where the recorded time
// changes (each batch reads the clock once, and the appender's clock never
// repeats), the log ends on a link, and every batch the appender saw
// committed is exactly one linked batch.
void check_batches(const EventLog& log, const std::vector<Stored>& stored,
                   const std::vector<Batch>& committed, Problems& problems) {
  std::set<uint64_t> ends;  // last positions of the linked batches
  Status chain = log.scan_chain([&](uint64_t last, std::string_view) {
    ends.insert(last);
    return true;
  });
  if (!chain.ok()) problems.add("scan_chain: " + chain.error().message);
  if (!stored.empty() && !ends.contains(stored.size()))
    problems.add("the log ends at " + std::to_string(stored.size()) +
                 " inside a batch: no link ends there");
  auto time_at = [&](uint64_t position) { return stored[position - 1].recorded_at_us; };
  for (uint64_t p = 1; p < stored.size(); ++p) {
    if (ends.contains(p) && time_at(p) == time_at(p + 1))
      problems.add(
          "positions " + std::to_string(p) + " and " + std::to_string(p + 1) +
          " share a recorded time but a link separates them: a batch was written in pieces");
    if (!ends.contains(p) && time_at(p) != time_at(p + 1))
      problems.add("positions " + std::to_string(p) + " and " + std::to_string(p + 1) +
                   " have different recorded times but no link separates them");
  }
  for (const Batch& b : committed) {
    const std::string name =
        "committed batch " + std::to_string(b.first) + ".." + std::to_string(b.last);
    if (b.first == 0 || b.last < b.first || b.last > stored.size()) {
      problems.add(name + " is not (wholly) in a log that ends at " +
                   std::to_string(stored.size()));
      continue;
    }
    auto inside = ends.lower_bound(b.first);
    if ((b.first > 1 && !ends.contains(b.first - 1)) || inside == ends.end() || *inside != b.last)
      problems.add(name + " is not one linked batch of the log");
  }
}

// Reopens the log as a restarted server would and checks it against every
// acknowledgement and committed batch of every round so far; then runs
// `comanda verify`. Returns the log's last position.
uint64_t check_log(const std::filesystem::path& data, const std::vector<Ack>& acks,
                   const std::vector<Batch>& committed) {
  uint64_t last = 0;
  {
    auto log = EventLog::open(data / "log", {Durability::kSync, false});
    EXPECT_TRUE(log.ok()) << "reopening after the kill: " << log.error().message;
    if (!log.ok()) return 0;
    Problems problems;
    const std::vector<Stored> stored = read_log(**log, problems);
    last = stored.size();
    for (const Ack& ack : acks) {
      if (ack.position == 0 || ack.position > stored.size())
        problems.add("acknowledged position " + std::to_string(ack.position) +
                     " is missing (the log ends at " + std::to_string(stored.size()) + ")");
      else if (stored[ack.position - 1].stream != ack.stream)
        problems.add("acknowledged position " + std::to_string(ack.position) + " holds stream " +
                     stored[ack.position - 1].stream.to_string() + ", not " +
                     ack.stream.to_string());
    }
    check_batches(**log, stored, committed, problems);
    EXPECT_EQ(problems.count(), 0u) << problems.text();
  }
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data, out, err), 0) << err.str();
  return last;
}

// One run's own consistency: its first batch follows what it found, its
// batches are dense, and each acknowledgement lies in a batch already
// committed (the listener runs before callers complete).
void check_run(const Reported& r) {
  EXPECT_TRUE(r.malformed.empty()) << "unexpected line from the appender: " << r.malformed.front();
  ASSERT_TRUE(r.opened.has_value()) << "the appender never reported opening the log";
  Problems problems;
  uint64_t next = *r.opened + 1;
  for (const Batch& b : r.batches) {
    if (b.first != next)
      problems.add("batch " + std::to_string(b.first) + ".." + std::to_string(b.last) +
                   " does not start at " + std::to_string(next));
    next = b.last + 1;
  }
  for (const Ack& ack : r.acks) {
    if (ack.position <= *r.opened || ack.position >= next)
      problems.add("acknowledged " + std::to_string(ack.position) +
                   " outside every batch committed in this run");
  }
  EXPECT_EQ(problems.count(), 0u) << problems.text();
}

uint32_t crash_seed() {
  if (const char* fixed = std::getenv("COMANDA_CRASH_SEED"))
    return static_cast<uint32_t>(std::stoul(fixed));
  return std::random_device{}();
}

TEST(CrashRecovery, KeepsEveryAcknowledgedEventAcrossTwelveKills) {
  const uint32_t seed = crash_seed();
  std::cout << "crash test seed " << seed << " (COMANDA_CRASH_SEED=" << seed
            << " repeats the kill points)\n";
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<size_t> acks_before_kill(20, 2000);

  TempDir data;
  std::vector<Ack> acks;
  std::vector<Batch> committed;
  uint64_t last = 0;
  for (int round = 0; round < kRounds; ++round) {
    // Rounds 0 and 6 kill the appender as soon as it has opened the log, an
    // empty one and then a long one: a recovery with nothing appended.
    const bool at_start = round == 0 || round == kRounds / 2;
    const size_t target = at_start ? 0 : acks_before_kill(random);
    SCOPED_TRACE("round " + std::to_string(round) + ", kill after " + std::to_string(target) +
                 " acknowledgements, log at " + std::to_string(last));
    const auto deadline = Clock::now() + kRoundDeadline;
    Appender appender;
    std::string why;
    ASSERT_TRUE(appender.start(data.path(), why)) << why;
    ASSERT_TRUE(appender.read_until(
        [&](const Reported& r) { return r.opened.has_value() && r.acks.size() >= target; },
        deadline, why))
        << why;
    ASSERT_TRUE(appender.kill_and_drain(deadline, why)) << why;

    const Reported& r = appender.reported();
    EXPECT_EQ(r.opened, last) << "the appender found another log than the last check did";
    check_run(r);
    acks.insert(acks.end(), r.acks.begin(), r.acks.end());
    committed.insert(committed.end(), r.batches.begin(), r.batches.end());
    last = check_log(data.path(), acks, committed);
    if (HasFailure()) return;  // later rounds would only repeat the damage
    if (!at_start) {
      EXPECT_GT(last, *r.opened) << "a round appended nothing";
    }
  }
  std::cout << "crash test: " << kRounds << " kills, " << acks.size() << " acknowledged events, "
            << last << " events in the log\n";
}

}  // namespace
