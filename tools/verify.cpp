#include "tools/verify.h"

#include <cstring>
#include <map>
#include <ostream>
#include <unordered_map>

#include "engine/base/crc32c.h"
#include "engine/log/event_codec.h"
#include "engine/log/event_log.h"
#include "engine/log/hash_chain.h"
#include "tools/progress.h"
#include "tools/subcommand.h"
#include "tools/verify_views.h"

namespace comanda::tools {

using namespace comanda::engine;

namespace {

// One pass of checks over a log, in the order they can fail: the hash chain
// readable, then every event in position order (dense, chained, decodable,
// its envelope agreeing with its key, its stream's versions contiguous),
// then the stream index against what the events say. The first problem
// found ends the pass.
class LogCheck {
 public:
  // `quick`: positions, checksums and the hash chain only.
  LogCheck(const EventLog& log, bool quick) : log_(log), quick_(quick) {}

  // The first problem found; empty when everything holds.
  std::string run() {
    read_chain();
    if (problem_.empty()) scan_events();
    if (problem_.empty()) check_ends();
    if (problem_.empty() && !quick_) check_index();
    if (problem_.empty() && !quick_) check_idempotency();
    return problem_;
  }

  // What was checked, for a log that holds.
  std::string summary() const {
    std::string out = "ok: " + std::to_string(expected_ - 1) + " events in " +
                      std::to_string(links_.size()) + " batches" +
                      (quick_ ? std::string("")
                              : ", " + std::to_string(versions_.size()) + " streams, " +
                                    std::to_string(idempotency_keys_) + " idempotency keys") +
                      "; positions dense, checksums good, hash chain intact (head " +
                      to_hex(previous_).substr(0, 16) + "...)" +
                      (quick_ ? "; quick: stream versions and indexes not checked" : "");
    if (skipped_) out += " (" + std::to_string(skipped_) + " events of unknown types skipped)";
    return out;
  }

 private:
  void read_chain() {
    Status chain = log_.scan_chain([&](uint64_t last, std::string_view link) {
      if (link.size() != 32) {
        problem_ = "hash chain: the link of the batch ending at position " + std::to_string(last) +
                   " is malformed";
        return false;
      }
      std::memcpy(links_[last].data(), link.data(), 32);
      return true;
    });
    if (!chain.ok()) problem_ = chain.error().message;
  }

  void scan_events() {
    next_link_ = links_.begin();
    hasher_.begin(previous_);
    Status io = log_.scan_raw(1, [&](uint64_t position, std::string_view stored) {
      progress_.at(position, position);
      return check_position(position) && check_chain(position, stored) &&
             check_event(position, stored);
    });
    progress_.done();
    if (!io.ok()) problem_ = io.error().message;
  }

  bool fail(uint64_t position, const std::string& what) {
    problem_ = "position " + std::to_string(position) + ": " + what;
    return false;
  }

  bool check_position(uint64_t position) {
    if (position != expected_)
      return fail(position, "expected position " + std::to_string(expected_) + " (a gap)");
    ++expected_;
    return true;
  }

  // The chain covers the stored bytes exactly as they are, readable or not.
  bool check_chain(uint64_t position, std::string_view stored) {
    hasher_.add(stored);
    if (next_link_ == links_.end())
      return fail(position,
                  "no link of the hash chain covers this position (written outside the engine?)");
    if (next_link_->first != position) return true;
    const ChainLink link = hasher_.finish();
    if (link != next_link_->second)
      return fail(position, "the hash chain breaks in the batch of positions " +
                                std::to_string(batch_start_) + ".." + std::to_string(position) +
                                ": an event there was changed");
    previous_ = link;
    hasher_.begin(previous_);
    batch_start_ = position + 1;
    ++next_link_;
    return true;
  }

  bool check_event(uint64_t position, std::string_view stored) {
    if (quick_) return check_checksum(position, stored);
    auto event = decode_event(stored);
    if (!event.ok()) {
      if (event.error().code != ErrorCode::kUnprocessable)
        return fail(position, event.error().message);
      ++skipped_;  // written by a newer build
      return true;
    }
    if (event->position != position)
      return fail(position, "the envelope says position " + std::to_string(event->position));
    uint64_t& version = versions_[event->stream];
    if (event->stream_version != version + 1)
      return fail(position, "stream " + event->stream.to_string() + " jumps from version " +
                                std::to_string(version) + " to " +
                                std::to_string(event->stream_version));
    version = event->stream_version;
    stream_positions_[{event->stream, version}] = position;
    return true;
  }

  // The stored form's CRC32C, without decoding the envelope.
  bool check_checksum(uint64_t position, std::string_view stored) {
    if (stored.size() < 4) return fail(position, "the stored event is truncated");
    uint32_t crc = 0;
    for (size_t i = 0; i < 4; ++i)
      crc |= static_cast<uint32_t>(static_cast<uint8_t>(stored[i])) << (8 * i);
    if (crc32c(stored.substr(4)) != crc) return fail(position, "checksum mismatch");
    return true;
  }

  // Each remembered idempotency key points at the last event of its
  // command: the (stream, version) it names is at the position it names.
  void check_idempotency() {
    Status scanned = log_.scan_idempotency([&](const IdempotencyRecord& r) {
      auto it = stream_positions_.find({r.stream, r.stream_version});
      if (it == stream_positions_.end() || it->second != r.position) {
        problem_ = "idempotency index: the key '" + r.scope + "' points at position " +
                   std::to_string(r.position) + " for " + r.stream.to_string() + " version " +
                   std::to_string(r.stream_version) + ", which the log does not hold there";
        return false;
      }
      ++idempotency_keys_;
      return true;
    });
    if (!scanned.ok() && problem_.empty()) problem_ = scanned.error().message;
  }

  // Nothing of the chain beyond the last event, nothing of the last batch
  // without a link.
  void check_ends() {
    if (next_link_ != links_.end())
      problem_ = "hash chain: a link claims position " + std::to_string(next_link_->first) +
                 ", beyond the last event " + std::to_string(expected_ - 1);
    else if (batch_start_ != expected_)
      problem_ = "position " + std::to_string(batch_start_) +
                 ": the last batch has no link in the hash chain";
  }

  void check_index() {
    size_t indexed = 0;
    Status index =
        log_.scan_stream_index([&](const Uuid& stream, uint64_t version, uint64_t position) {
          auto it = stream_positions_.find({stream, version});
          if (it == stream_positions_.end() || it->second != position) {
            problem_ = "stream index: " + stream.to_string() + " version " +
                       std::to_string(version) + " points at position " + std::to_string(position) +
                       ", which does not hold it";
            return false;
          }
          ++indexed;
          return true;
        });
    if (!index.ok()) problem_ = index.error().message;
    if (problem_.empty() && indexed != stream_positions_.size())
      problem_ = "stream index: " + std::to_string(stream_positions_.size() - indexed) +
                 " events are not indexed";
  }

  const EventLog& log_;
  std::string problem_;
  std::map<uint64_t, ChainLink> links_;  // by the last position of their batch
  std::map<uint64_t, ChainLink>::const_iterator next_link_;
  ChainHasher hasher_;
  ChainLink previous_{};
  uint64_t expected_ = 1;
  uint64_t batch_start_ = 1;
  std::unordered_map<Uuid, uint64_t, UuidHash> versions_;
  // (stream, version) -> position as the events say, to check the index.
  std::map<std::pair<Uuid, uint64_t>, uint64_t> stream_positions_;
  size_t skipped_ = 0;
  size_t idempotency_keys_ = 0;
  Progress progress_{"verify", log_.last_position()};
  bool quick_ = false;
};

}  // namespace

int verify(const std::filesystem::path& data, std::ostream& out, std::ostream& err, bool quick) {
  auto log = EventLog::open(data / "log", {Durability::kSync, true});
  if (!log.ok()) {
    err << "comanda verify: " << log.error().message << "\n";
    return 1;
  }
  LogCheck check(**log, quick);
  if (std::string problem = check.run(); !problem.empty()) {
    err << "comanda verify: FAILED at " << problem << "\n";
    return 1;
  }
  out << check.summary() << "\n";
  if (quick) return 0;
  std::string note;
  if (std::string problem = check_views(data, **log, note); !problem.empty()) {
    err << "comanda verify: FAILED: " << problem << "\n";
    return 1;
  }
  out << note << "\n";
  return 0;
}

namespace {

class Verify final : public Subcommand {
 public:
  std::string_view name() const override { return "verify"; }
  std::string_view summary() const override {
    return "check the log: dense positions, checksums, hash chain, stream versions, indexes";
  }
  void configure(CLI::App& app) override {
    add_data_flag(app, data_);
    app.add_flag("--quick", quick_,
                 "positions, checksums and the hash chain only (no decoding, no indexes)");
  }
  int run(std::ostream& out, std::ostream& err) override { return verify(data_, out, err, quick_); }

 private:
  std::filesystem::path data_;
  bool quick_ = false;
};

}  // namespace

std::unique_ptr<Subcommand> verify_command() { return std::make_unique<Verify>(); }

}  // namespace comanda::tools
