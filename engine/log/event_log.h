// The durable event log: one RocksDB instance (`<data>/log`) holding every
// event at a dense global position from 1, and an index of each stream's
// versions. RocksDB types stay behind this interface.
//
// Threads: append() and chain_head() are called by one writer thread at a time. The read
// methods are safe on any thread, concurrently with append(); a reader sees
// whole batches only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/log/encoded_batch.h"
#include "engine/log/hash_chain.h"
#include "engine/log/idempotency.h"

namespace comanda::engine {

enum class Durability : uint8_t {
  kSync,   // the WAL is fsynced before append() returns: survives a power cut
  kAsync,  // the WAL is written, not synced: survives a process crash only
};

class EventLog {
 public:
  struct Options {
    Durability durability = Durability::kSync;
    // Opens without taking the directory's lock, for tools running beside a
    // live server. append() then fails.
    bool read_only = false;
  };

  // Opens (creating if absent, unless read-only) the log under `dir`.
  // A directory held by another process fails at once with a clear message.
  static Result<std::unique_ptr<EventLog>> open(const std::filesystem::path& dir,
                                                const Options& options);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // The highest position written (0 for an empty log).
  uint64_t last_position() const;

  // Encodes and writes `events` as one atomic WriteBatch (one WAL write, one
  // sync in kSync mode), with each event's stream-index entry, the
  // idempotency records and the batch's link of the hash chain
  // (engine/hash_chain.h). Their positions must continue the log densely. On
  // error nothing of the batch is visible.
  Status append(std::span<const Event> events, std::span<const IdempotencyRecord> idempotency = {});

  // Writes batches already encoded (engine/encoded_batch.h) as one
  // WriteBatch: one WAL write, one sync. Each must continue the log and the
  // chain where the previous one ends. All or nothing.
  Status append(std::span<const EncodedBatch* const> batches);

  // After a failed write: clears RocksDB's background error so that writes
  // can go on, and re-reads the last position and chain head from disk (a
  // write whose sync failed may or may not be there). Writer side only, with
  // no append() running.
  Status resume();

  // The link of the last batch written (32 zero bytes for an empty log).
  ChainLink chain_head() const;

  // Every stored idempotency record, in key order.
  Status scan_idempotency(const std::function<bool(const IdempotencyRecord&)>& fn) const;
  // Removes the records recorded before `cutoff_us` (outside the window).
  Status expire_idempotency(int64_t cutoff_us);

  // Calls `fn` for each event with from <= position <= to, in order, until it
  // returns false. Events of a type unknown to this build are skipped with a
  // warning on stderr; a corrupt event stops the scan with kCorruption naming
  // its position.
  // `fn` may take the event as `Event&` and move from it (each is decoded
  // afresh).
  Status scan(uint64_t from, uint64_t to, const std::function<bool(Event&)>& fn) const;

  // Like scan(), but in chunks of up to 4,096 events, read and decoded on a
  // thread of its own while `fn` works on the previous chunk (a start-up or
  // a rebuild is then bound by the slower of the two, not their sum). `fn`
  // may move from the events; returning false stops the scan.
  Status scan_chunks(uint64_t from, uint64_t to,
                     const std::function<bool(std::span<Event>)>& fn) const;

  // The last position recorded at or before `unix_us`, 0 when none is: a
  // binary search, since recorded times never go backwards (DESIGN.md
  // "Time and identity"). Positions of one batch share their time, so the
  // answer ends a batch.
  Result<uint64_t> last_position_at(int64_t unix_us) const;

  // Like scan() but hands over the stored bytes undecoded, from `from` to
  // the end; for integrity checks.
  Status scan_raw(uint64_t from,
                  const std::function<bool(uint64_t position, std::string_view stored)>& fn) const;

  // Every event of one stream at or before position `up_to`, in version
  // order. A server passes its committed position, so that no reader sees an
  // event that is written but not yet durable and published.
  Status read_stream(const Uuid& stream, const std::function<bool(const Event&)>& fn,
                     uint64_t up_to = UINT64_MAX) const;

  // The link of the batch that ends at `last_position`; nullopt when no batch
  // ends there.
  Result<std::optional<ChainLink>> chain_link(uint64_t last_position) const;
  // For snapshots (of the read models, of the sequencer's state): the link
  // at `checkpoint` as bytes to record (kCorruption when no batch ends
  // there, naming `whose` position), and whether a recorded link is this
  // log's at `checkpoint` (false for another log, or an older copy).
  Result<std::string> checkpoint_link(uint64_t checkpoint, std::string_view whose) const;
  Result<bool> matches_checkpoint(uint64_t checkpoint, std::string_view link) const;

  // An online copy of the log into `dir`, which must not exist (RocksDB's
  // checkpoint: the table files hard-linked where the filesystem allows,
  // copied otherwise, and the WAL copied), consistent at one moment while
  // appends go on. Not on a read-only log: it cannot hold back the writer's
  // file deletions meanwhile.
  Status checkpoint(const std::filesystem::path& dir) const;

  // Visits the hash chain: (last position of a batch, its 32-byte link), in
  // position order.
  Status scan_chain(
      const std::function<bool(uint64_t last_position, std::string_view link)>& fn) const;

  // Visits the stream index: (stream, version) -> position, in key order.
  Status scan_stream_index(
      const std::function<bool(const Uuid& stream, uint64_t version, uint64_t position)>& fn) const;

 private:
  struct Impl;
  explicit EventLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace comanda::engine
