// Append throughput and latency of the engine against raw RocksDB, side by
// side in one run (DESIGN.md, "How we measure"). bench/report.py turns the
// JSON output into the table of docs/performance.md:
//
//   build/comanda_bench --benchmark_format=json > /tmp/b.json
//   /usr/bin/python3 bench/report.py /tmp/b.json
//
// Names are Append/<side>/<workload>/<sync|async>/in_flight:<N>, plus one
// Fsync/4KiB_append_fdatasync probe. The sides:
//
// - engine: N commands in flight through the Sequencer (decided, written as
//   one WriteBatch with one sync per batch, completed through `done`). They are
//   issued asynchronously by one client thread for N <= 8 and by two, each
//   keeping N/2 outstanding, for N >= 64; a client refills its window as
//   completions come back. Latency is measured for every command, from
//   submit() to its `done` callback.
// - raw_queued: raw WriteBatches with the engine's shape and none of its
//   work: the same clients keep N writes outstanding; one thread takes every
//   write waiting as one WriteBatch (the same keys per event, one batch
//   link), writes it, and completes them. No deciding, encoding, hashing,
//   read models or pipeline: the like-for-like baseline of the ratio target.
// - raw_write_batch: one thread writing N events per WriteBatch, one Write
//   per batch, back to back: an upper bound no closed-loop client reaches in
//   `sync` (a write's callers can only send their next commands once it is
//   synced, so they miss the write that starts next). Latency is per Write,
//   from building the batch to Write returning; at N = 1 that is "one synced
//   WriteBatch".
// - raw_group_commit: RocksDB's own group commit: min(N, 64) threads each
//   writing one event per Write (the event and its keys in one WriteBatch),
//   so that RocksDB's write thread groups concurrent writers into
//   one WAL write and sync. Capped at 64 OS threads: 512 threads on a 2-core
//   machine would measure the scheduler, not RocksDB. Latency is per Write.
//
// Every side writes what EventLog::append writes (RawEvents in
// bench/workloads.h): per event, events (big-endian position -> stored value)
// and streams (stream id + big-endian version -> position); per WriteBatch,
// the hash-chain link in meta. With EventLog's RocksDB options, at the same
// sync setting, in a fresh directory under $TMPDIR (default /tmp) removed
// after each run. The Fsync probe (4 KiB appended, then fdatasync, in a loop) on the
// same filesystem gives the disk's sync rate: the physical limit of synced
// batches per second.
//
// Workloads: "order" (sample_order(), 375 bytes stored) and "gps_ping" (a
// driver_location_reported event, about 100 bytes stored), on every side.
//
// Throughput benchmarks on the engine and group-commit sides use manual time:
// an iteration ends each time max(N, 64) more operations have completed, and
// the workload runs on between iterations (bench/bench_util.h).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "bench/raw_log.h"
#include "bench/workloads.h"
#include "engine/log/event_codec.h"
#include "engine/log/event_log.h"
#include "engine/pipeline/hot_state.h"
#include "engine/pipeline/sequencer.h"

namespace comanda::bench {
namespace {

using namespace engine;

constexpr int64_t kInFlight[] = {1, 8, 64, 512};
constexpr double kMinTime =
    0.5;  // seconds per benchmark: the whole run takes about two minutes on 2 cores
constexpr size_t kMaxGroupCommitThreads = 64;
constexpr uint64_t kMinPerIteration = 64;

struct EngineWorkloadEntry {
  const char* name;
  std::unique_ptr<EngineWorkload> (*make)();
};
const EngineWorkloadEntry kEngineWorkloads[] = {{"order", make_order_workload},
                                                {"gps_ping", make_gps_workload}};

struct RawWorkloadEntry {
  const char* name;
  RawEvents (*make)();
};
const RawWorkloadEntry kRawWorkloads[] = {{"order", RawEvents::orders},
                                          {"gps_ping", RawEvents::gps_pings}};

// ---------------------------------------------------------------- engine side

// Counts the batches the engine makes durable, and the stored size of the
// first event after arm(). Called on whichever engine thread commits.
class CountingListener final : public CommitListener {
 public:
  void arm() {
    batches_ = 0;
    events_ = 0;
    armed_ = true;
  }
  void on_commit(std::span<const Event> events) override {
    batches_.fetch_add(1, std::memory_order_relaxed);
    events_.fetch_add(events.size(), std::memory_order_relaxed);
    if (armed_.exchange(false)) {
      std::string stored;
      encode_event(events.front(), stored);
      value_bytes_ = stored.size();
    }
  }
  double events_per_batch() const {
    return batches_ ? static_cast<double>(events_) / static_cast<double>(batches_) : 0;
  }
  size_t value_bytes() const { return value_bytes_; }

 private:
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> events_{0};
  std::atomic<bool> armed_{false};
  std::atomic<size_t> value_bytes_{0};
};

// A command from the benchmark's admin, without expected version or callback.
Command bench_command(CommandBody body) {
  Command command;
  command.principal = {"bench", Role::kAdmin};
  command.correlation_id = Uuid::v7();
  command.body = std::move(body);
  return command;
}

// Called once an operation is complete (on the writing side's thread).
using Done = std::function<void(const CommandOutcome&)>;
// Issues one operation that calls `done` when complete; false when refused
// for now (a full queue).
using Submit = std::function<bool(Done done)>;

// One client thread keeping `window` operations outstanding: it submits as
// many as the window has room for, then sleeps until completions make room.
class Client {
 public:
  Client(Submit submit, CompletionMeter& meter, size_t window)
      : submit_(std::move(submit)), meter_(meter), window_(window) {
    latencies_.reserve(1 << 20);
  }
  ~Client() { stop(); }

  void start() {
    thread_ = std::thread([this] { run(); });
  }

  // Stops issuing, then waits until every outstanding command has completed.
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    room_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return outstanding_ == 0; });
  }

  // After stop(): every command's latency, and the first refusal's message.
  Latencies& latencies() { return latencies_; }
  const std::string& first_error() const { return first_error_; }

 private:
  void run() {
    pthread_setname_np(pthread_self(), "bench-client");
    for (;;) {
      size_t room;
      {
        std::unique_lock lock(mu_);
        room_.wait(lock, [&] { return stopping_ || outstanding_ < window_; });
        if (stopping_) return;
        room = window_ - outstanding_;
        outstanding_ += room;
      }
      for (size_t i = 0; i < room; ++i) submit_one();
    }
  }

  void submit_one() {
    const Clock::time_point submitted = Clock::now();
    Done done = [this, submitted](const CommandOutcome& outcome) { complete(submitted, outcome); };
    while (!submit_(done)) std::this_thread::yield();  // queue full: never at N <= 512
  }

  void complete(Clock::time_point submitted, const CommandOutcome& outcome) {
    const Clock::duration latency = Clock::now() - submitted;
    // Counted before it stops being outstanding: once the last one is not,
    // stop() returns and the meter may be gone.
    meter_.add();
    std::lock_guard lock(mu_);
    latencies_.add(latency);
    if (!outcome.ok() && first_error_.empty()) first_error_ = outcome.error().message;
    --outstanding_;
    room_.notify_one();
  }

  const Submit submit_;
  CompletionMeter& meter_;
  const size_t window_;

  std::mutex mu_;
  std::condition_variable room_;  // outstanding_ fell, or stopping_
  size_t outstanding_ = 0;
  bool stopping_ = false;
  Latencies latencies_;
  std::string first_error_;
  std::thread thread_;
};

// Submits `commands` (in order, decided in order) and waits until all have
// completed; returns the first refusal's message, or "".
std::string run_setup(Sequencer& sequencer, std::vector<CommandBody> commands) {
  std::mutex mu;
  std::condition_variable cv;
  size_t left = commands.size();
  std::string error;
  for (size_t i = 0; i < commands.size(); ++i) {
    Command command = bench_command(std::move(commands[i]));
    command.done = [&](const CommandOutcome& o) {
      std::lock_guard lock(mu);
      if (!o.ok() && error.empty()) error = "setup: " + o.error().message;
      if (--left == 0) cv.notify_one();
    };
    if (!sequencer.submit(std::move(command))) {
      std::lock_guard lock(mu);
      error = "the sequencer refused a setup command";
      left -= commands.size() - i;  // this one and the rest are never submitted
      break;
    }
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return left == 0; });
  return error;
}

// Runs the measured phase: N operations in flight from one client thread
// (N <= 8) or two, until Google Benchmark has enough; then reports every
// operation's latency. `clients` must be declared before whatever `submit`
// completes through, so that it outlives the last callback. False (the
// benchmark skipped with `error_prefix` and the first refusal) on a refusal.
bool run_clients(benchmark::State& state, const Submit& submit, size_t in_flight,
                 std::vector<std::unique_ptr<Client>>& clients, const std::string& error_prefix) {
  CompletionMeter meter;
  const size_t threads = in_flight <= 8 ? 1 : 2;
  for (size_t i = 0; i < threads; ++i)
    clients.push_back(std::make_unique<Client>(submit, meter, in_flight / threads));
  meter.start();
  for (auto& client : clients) client->start();
  meter.measure(state, std::max<uint64_t>(in_flight, kMinPerIteration));
  Latencies all;
  std::string error;
  for (auto& client : clients) {
    client->stop();
    all.merge(client->latencies());
    if (error.empty()) error = client->first_error();
  }
  if (!error.empty()) {
    state.SkipWithError((error_prefix + error).c_str());
    return false;
  }
  all.report(state);
  return true;
}

void engine_append(benchmark::State& state, const EngineWorkloadEntry& entry, bool sync,
                   size_t in_flight) {
  TempDir dir("engine");
  auto log = EventLog::open(dir.path(), {sync ? Durability::kSync : Durability::kAsync, false});
  if (!log.ok()) {
    state.SkipWithError(log.error().message.c_str());
    return;
  }
  std::unique_ptr<EngineWorkload> workload = entry.make();
  HotState hot;
  CountingListener listener;
  // Declared before the sequencer so that they outlive its last callback.
  std::vector<std::unique_ptr<Client>> clients;
  Sequencer sequencer(**log, hot, listener, {});
  if (std::string error = run_setup(sequencer, workload->setup()); !error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  const Submit submit = [&sequencer, &workload](Done done) {
    Command command = bench_command(workload->next());
    command.done = std::move(done);
    return sequencer.submit(std::move(command));
  };
  listener.arm();
  if (!run_clients(state, submit, in_flight, clients, "the engine refused a command: ")) return;
  state.counters["events_per_batch"] = listener.events_per_batch();
  state.counters["value_bytes"] = static_cast<double>(listener.value_bytes());
}

// ------------------------------------------------------------------ raw sides

void raw_write_batch(benchmark::State& state, const RawWorkloadEntry& entry, bool sync,
                     size_t per_batch) {
  TempDir dir("raw-batch");
  std::unique_ptr<RawLog> log;
  if (rocksdb::Status s = RawLog::open(dir.path(), sync, &log); !s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  const RawEvents events = entry.make();
  RawEvents::Scratch scratch;
  rocksdb::WriteBatch batch;
  Latencies latencies;
  latencies.reserve(1 << 20);
  uint64_t position = 0;
  for (auto _ : state) {
    const Clock::time_point begin = Clock::now();
    batch.Clear();
    for (size_t i = 0; i < per_batch; ++i) events.put(++position, *log, batch, scratch);
    events.put_batch_link(position, *log, batch, scratch);
    if (rocksdb::Status s = log->write(batch); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    latencies.add(Clock::now() - begin);
  }
  state.SetItemsProcessed(static_cast<int64_t>(position));
  latencies.report(state);
  state.counters["value_bytes"] = events.value_bytes();
}

// Writes queued by clients: one thread takes every write waiting as one
// WriteBatch, writes it, then completes them, in order.
class RawQueuedWriter {
 public:
  RawQueuedWriter(RawLog& log, const RawEvents& events) : log_(log), events_(events) {
    thread_ = std::thread([this] { run(); });
  }
  // Writes and completes what is queued, then stops.
  ~RawQueuedWriter() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }

  bool submit(Done done) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return false;
      queue_.push_back(std::move(done));
    }
    ready_.notify_one();
    return true;
  }

 private:
  void run() {
    pthread_setname_np(pthread_self(), "raw-writer");
    std::vector<Done> taken;
    RawEvents::Scratch scratch;
    rocksdb::WriteBatch batch;
    uint64_t position = 0;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        taken.swap(queue_);
      }
      batch.Clear();
      for (size_t i = 0; i < taken.size(); ++i) events_.put(++position, log_, batch, scratch);
      events_.put_batch_link(position, log_, batch, scratch);
      const rocksdb::Status s = log_.write(batch);
      const CommandOutcome outcome =
          s.ok() ? CommandOutcome{CommandResult{}}
                 : CommandOutcome{Error{ErrorCode::kIoError, s.ToString(), "", {}}};
      for (Done& done : taken) done(outcome);
      taken.clear();
    }
  }

  RawLog& log_;
  const RawEvents& events_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::vector<Done> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

void raw_queued(benchmark::State& state, const RawWorkloadEntry& entry, bool sync,
                size_t in_flight) {
  TempDir dir("raw-queued");
  std::unique_ptr<RawLog> log;
  if (rocksdb::Status s = RawLog::open(dir.path(), sync, &log); !s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  const RawEvents events = entry.make();
  std::vector<std::unique_ptr<Client>> clients;  // outlives the writer's callbacks
  RawQueuedWriter writer(*log, events);
  const Submit submit = [&writer](Done done) { return writer.submit(std::move(done)); };
  if (!run_clients(state, submit, in_flight, clients, "a raw write failed: ")) return;
  state.counters["value_bytes"] = events.value_bytes();
}

void raw_group_commit(benchmark::State& state, const RawWorkloadEntry& entry, bool sync,
                      size_t in_flight) {
  TempDir dir("raw-group");
  std::unique_ptr<RawLog> log;
  if (rocksdb::Status s = RawLog::open(dir.path(), sync, &log); !s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  const RawEvents events = entry.make();
  const size_t threads = std::min(in_flight, kMaxGroupCommitThreads);
  CompletionMeter meter;
  std::atomic<uint64_t> next_position{0};
  std::atomic<bool> stopping{false};
  std::vector<Latencies> latencies(threads);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> writers;
  for (Latencies& l : latencies) l.reserve(1 << 16);

  auto writer = [&](size_t t) {
    RawEvents::Scratch scratch;
    rocksdb::WriteBatch batch;
    while (!stopping.load(std::memory_order_relaxed)) {
      const Clock::time_point begin = Clock::now();
      batch.Clear();
      const uint64_t position = next_position.fetch_add(1) + 1;
      events.put(position, *log, batch, scratch);
      events.put_batch_link(position, *log, batch, scratch);
      if (rocksdb::Status s = log->write(batch); !s.ok()) {
        errors[t] = s.ToString();
        meter.abort();
        return;
      }
      latencies[t].add(Clock::now() - begin);
      meter.add();
    }
  };
  meter.start();
  for (size_t t = 0; t < threads; ++t) writers.emplace_back(writer, t);
  meter.measure(state, std::max<uint64_t>(in_flight, kMinPerIteration));
  stopping = true;
  for (auto& w : writers) w.join();

  Latencies all;
  for (size_t t = 0; t < threads; ++t) {
    if (!errors[t].empty()) {
      state.SkipWithError(errors[t].c_str());
      return;
    }
    all.merge(latencies[t]);
  }
  all.report(state);
  state.counters["threads"] = static_cast<double>(threads);
  state.counters["value_bytes"] = events.value_bytes();
}

// ---------------------------------------------------------------- fsync probe

// 4 KiB appended to a file, then fdatasync, as a WAL sync does: the number of
// synced writes per second this filesystem allows. The file starts over at
// 64 MiB so that the probe's footprint stays small.
void fsync_probe(benchmark::State& state) {
  TempDir dir("fsync");
  const std::string path = (dir.path() / "probe").string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    state.SkipWithError(("cannot create " + path + ": " + std::strerror(errno)).c_str());
    return;
  }
  constexpr size_t kBlock = 4096;
  constexpr off_t kRestartAt = 64 << 20;
  std::string block(kBlock, 'x');
  Latencies latencies;
  latencies.reserve(1 << 20);
  off_t size = 0;
  for (auto _ : state) {
    const Clock::time_point begin = Clock::now();
    if (::write(fd, block.data(), kBlock) != static_cast<ssize_t>(kBlock) || ::fdatasync(fd) != 0) {
      state.SkipWithError(
          ("write or fdatasync failed: " + std::string(std::strerror(errno))).c_str());
      break;
    }
    latencies.add(Clock::now() - begin);
    if ((size += kBlock) >= kRestartAt) {
      if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
        state.SkipWithError("cannot restart the probe file");
        break;
      }
      size = 0;
    }
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
  latencies.report(state);
}

// --------------------------------------------------------------- registration

std::string name(const char* side, const char* workload, bool sync, int64_t in_flight) {
  return std::string("Append/") + side + "/" + workload + "/" + (sync ? "sync" : "async") +
         "/in_flight:" + std::to_string(in_flight);
}

// Grouped by (workload, mode, N), each group's sides back to back, so that
// the two sides of a ratio are measured minutes apart at most.
void register_benchmarks() {
  benchmark::RegisterBenchmark("Fsync/4KiB_append_fdatasync", fsync_probe)
      ->UseRealTime()
      ->MinTime(kMinTime);
  for (const RawWorkloadEntry& raw : kRawWorkloads) {
    const EngineWorkloadEntry* engine = nullptr;
    for (const EngineWorkloadEntry& e : kEngineWorkloads)
      if (std::strcmp(e.name, raw.name) == 0) engine = &e;
    for (const bool sync : {true, false}) {
      for (const int64_t n : kInFlight) {
        const auto in_flight = static_cast<size_t>(n);
        benchmark::RegisterBenchmark(name("raw_queued", raw.name, sync, n).c_str(), raw_queued, raw,
                                     sync, in_flight)
            ->UseManualTime()
            ->MinTime(kMinTime);
        benchmark::RegisterBenchmark(name("raw_write_batch", raw.name, sync, n).c_str(),
                                     raw_write_batch, raw, sync, in_flight)
            ->UseRealTime()
            ->MinTime(kMinTime);
        benchmark::RegisterBenchmark(name("raw_group_commit", raw.name, sync, n).c_str(),
                                     raw_group_commit, raw, sync, in_flight)
            ->UseManualTime()
            ->MinTime(kMinTime);
        if (engine)
          benchmark::RegisterBenchmark(name("engine", engine->name, sync, n).c_str(), engine_append,
                                       *engine, sync, in_flight)
              ->UseManualTime()
              ->MinTime(kMinTime);
      }
    }
  }
}

}  // namespace
}  // namespace comanda::bench

int main(int argc, char** argv) {
  comanda::bench::register_benchmarks();
  comanda::bench::register_dispatch_benchmarks();
  comanda::bench::register_growth_benchmarks();
  comanda::bench::register_read_model_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  comanda::bench::add_machine_context();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
