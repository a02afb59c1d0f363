#include <cstring>
#include <map>
#include <ostream>
#include <unordered_map>

#include "engine/log/event_codec.h"
#include "engine/log/event_log.h"
#include "engine/log/hash_chain.h"
#include "tools/commands.h"

namespace comanda::tools {

using namespace comanda::engine;

int verify(const std::filesystem::path& data, std::ostream& out, std::ostream& err) {
  auto log = EventLog::open(data / "log", {Durability::kSync, true});
  if (!log.ok()) {
    err << "comanda verify: " << log.error().message << "\n";
    return 1;
  }
  // The chain's links by the last position of their batch.
  std::map<uint64_t, ChainLink> links;
  std::string problem;
  Status chain = (*log)->scan_chain([&](uint64_t last, std::string_view link) {
    if (link.size() != 32) {
      problem = "hash chain: the link of the batch ending at position " + std::to_string(last) +
                " is malformed";
      return false;
    }
    std::memcpy(links[last].data(), link.data(), 32);
    return true;
  });
  if (!chain.ok()) problem = chain.error().message;

  uint64_t expected = 1;
  ChainHasher hasher;
  ChainLink previous{};
  uint64_t batch_start = 1;
  auto next_link = links.begin();
  hasher.begin(previous);
  std::unordered_map<Uuid, uint64_t, UuidHash> versions;
  // (stream, version) -> position as the events say, to check the index.
  std::map<std::pair<Uuid, uint64_t>, uint64_t> stream_positions;
  size_t skipped = 0;

  Status io = (*log)->scan_raw(1, [&](uint64_t position, std::string_view stored) {
    if (!problem.empty()) return false;  // the chain itself is unreadable
    auto fail = [&](const std::string& what) {
      problem = "position " + std::to_string(position) + ": " + what;
      return false;
    };
    if (position != expected)
      return fail("expected position " + std::to_string(expected) + " (a gap)");
    ++expected;
    // The chain covers the stored bytes exactly as they are, readable or not.
    hasher.add(stored);
    if (next_link == links.end())
      return fail("no link of the hash chain covers this position (written outside the engine?)");
    if (next_link->first == position) {
      const ChainLink link = hasher.finish();
      if (link != next_link->second)
        return fail("the hash chain breaks in the batch of positions " +
                    std::to_string(batch_start) + ".." + std::to_string(position) +
                    ": an event there was changed");
      previous = link;
      hasher.begin(previous);
      batch_start = position + 1;
      ++next_link;
    }
    auto event = decode_event(stored);
    if (!event.ok()) {
      if (event.error().code == ErrorCode::kUnprocessable) {
        ++skipped;  // written by a newer build
        return true;
      }
      return fail(event.error().message);
    }
    if (event->position != position)
      return fail("the envelope says position " + std::to_string(event->position));
    uint64_t& version = versions[event->stream];
    if (event->stream_version != version + 1)
      return fail("stream " + event->stream.to_string() + " jumps from version " +
                  std::to_string(version) + " to " + std::to_string(event->stream_version));
    version = event->stream_version;
    stream_positions[{event->stream, version}] = position;
    return true;
  });
  if (!io.ok()) problem = io.error().message;
  if (problem.empty() && next_link != links.end())
    problem = "hash chain: a link claims position " + std::to_string(next_link->first) +
              ", beyond the last event " + std::to_string(expected - 1);
  if (problem.empty() && batch_start != expected)
    problem = "position " + std::to_string(batch_start) +
              ": the last batch has no link in the hash chain";

  if (problem.empty()) {
    size_t indexed = 0;
    Status index =
        (*log)->scan_stream_index([&](const Uuid& stream, uint64_t version, uint64_t position) {
          auto it = stream_positions.find({stream, version});
          if (it == stream_positions.end() || it->second != position) {
            problem = "stream index: " + stream.to_string() + " version " +
                      std::to_string(version) + " points at position " + std::to_string(position) +
                      ", which does not hold it";
            return false;
          }
          ++indexed;
          return true;
        });
    if (!index.ok()) problem = index.error().message;
    if (problem.empty() && indexed != stream_positions.size())
      problem = "stream index: " + std::to_string(stream_positions.size() - indexed) +
                " events are not indexed";
  }

  if (!problem.empty()) {
    err << "comanda verify: FAILED at " << problem << "\n";
    return 1;
  }
  out << "ok: " << expected - 1 << " events in " << links.size() << " batches, " << versions.size()
      << " streams; positions dense, checksums good, hash chain intact (head "
      << to_hex(previous).substr(0, 16) << "...)";
  if (skipped) out << " (" << skipped << " events of unknown types skipped)";
  out << "\n";
  return 0;
}

}  // namespace comanda::tools
