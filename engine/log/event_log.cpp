#include "engine/log/event_log.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/base/blocking_queue.h"
#include "engine/base/bytes.h"
#include "engine/log/event_codec.h"
#include "engine/log/hash_chain.h"
#include "engine/log/log_options.h"

namespace comanda::engine {
namespace {

constexpr const char* kFormatKey = "format_version";
constexpr const char* kFormatVersion = "1";

Error io_error(const rocksdb::Status& s, const std::string& what) {
  return Error::io(what + ": " + s.ToString());
}

}  // namespace

struct EventLog::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // in log_column_families() order
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* streams = nullptr;
  rocksdb::WriteOptions write_options;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency = nullptr;
  std::atomic<uint64_t> last_position{0};
  bool read_only = false;
  ChainLink chain_head{};  // link of the last batch written (writer thread)
  ChainHasher hasher;
  // Reused across append() calls (writer thread only): no per-event allocation
  // once they have grown to the largest batch.
  rocksdb::WriteBatch batch;
  std::string key_buf;
  std::string stream_key_buf;
  EncodedBatch encoded;  // for append(events): encoded here, on the caller's thread

  // Reads the last position and the chain head from disk: at open, and
  // after a failed write (whose sync may or may not have reached the disk).
  Status read_tail();

  ~Impl() {
    if (db) {
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      db->Close();
    }
  }
};

EventLog::EventLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventLog::~EventLog() = default;

namespace {

// The format of what this build writes: written into a new log; a log of
// another format is refused rather than misread.
Status check_format(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta, bool may_write,
                    uint64_t last_position, const std::string& path) {
  std::string format;
  rocksdb::Status s = db.Get(rocksdb::ReadOptions(), meta, kFormatKey, &format);
  if (s.IsNotFound() && may_write && last_position == 0) {
    s = db.Put(rocksdb::WriteOptions(), meta, kFormatKey, kFormatVersion);
    format = kFormatVersion;
  }
  if (!s.ok() && !s.IsNotFound()) return io_error(s, "cannot read the log's format version");
  if (!format.empty() && format != kFormatVersion)
    return Error::corruption("the log at " + path + " has format " + format +
                             "; this build reads format " + kFormatVersion);
  return {};
}

}  // namespace

Result<std::unique_ptr<EventLog>> EventLog::open(const std::filesystem::path& dir,
                                                 const Options& options) {
  const rocksdb::DBOptions db_options = log_db_options(!options.read_only);
  const std::vector<rocksdb::ColumnFamilyDescriptor> cfs = log_column_families();
  auto impl = std::make_unique<Impl>();
  rocksdb::DB* raw = nullptr;
  const std::string path = dir.string();
  rocksdb::Status s;
  impl->read_only = options.read_only;
  std::error_code missing;
  if (options.read_only && !std::filesystem::exists(dir / "CURRENT", missing))
    return Error::not_found("no event log at " + path + ": is --data a Comanda data directory?");
  if (options.read_only) {
    s = rocksdb::DB::OpenForReadOnly(db_options, path, cfs, &impl->handles, &raw);
  } else {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    s = rocksdb::DB::Open(db_options, path, cfs, &impl->handles, &raw);
  }
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      return Error::unavailable(
          "the data directory " + path +
          " is in use by another process (is comandad already running on it?)");
    return io_error(s, "cannot open the event log at " + path);
  }
  impl->db.reset(raw);
  impl->events = impl->handles[1];
  impl->streams = impl->handles[2];
  impl->meta = impl->handles[3];
  impl->idempotency = impl->handles[4];
  impl->write_options.sync = options.durability == Durability::kSync;
  if (Status tail = impl->read_tail(); !tail.ok()) return tail.error();
  if (Status format =
          check_format(*impl->db, impl->meta, !options.read_only, impl->last_position, path);
      !format.ok())
    return format.error();
  return std::unique_ptr<EventLog>(new EventLog(std::move(impl)));
}

Status EventLog::Impl::read_tail() {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), events));
  it->SeekToLast();
  if (!it->status().ok()) return io_error(it->status(), "cannot read the event log");
  const uint64_t last =
      it->Valid() ? get_u64_be(std::string_view(it->key().data(), it->key().size())) : 0;
  // The chain head is the link stored under the highest chain key; it must
  // belong to the last position, as both are written in one batch.
  std::unique_ptr<rocksdb::Iterator> chain(db->NewIterator(rocksdb::ReadOptions(), meta));
  chain->SeekForPrev(chain_key(UINT64_MAX));
  if (!chain->status().ok()) return io_error(chain->status(), "cannot read the hash chain");
  ChainLink head{};
  if (chain->Valid() && chain->key().starts_with(chain_key_prefix())) {
    const std::string_view key(chain->key().data(), chain->key().size());
    const uint64_t head_position = get_u64_be(key.substr(chain_key_prefix().size()));
    if (head_position != last || chain->value().size() != 32)
      return Error::corruption("the hash chain ends at position " + std::to_string(head_position) +
                               " but the log at " + std::to_string(last));
    std::memcpy(head.data(), chain->value().data(), 32);
  } else if (last != 0) {
    return Error::corruption("the log has events but no hash chain");
  }
  chain_head = head;
  last_position.store(last, std::memory_order_release);
  return {};
}

uint64_t EventLog::last_position() const {
  return impl_->last_position.load(std::memory_order_acquire);
}

Status EventLog::scan_idempotency(const std::function<bool(const IdempotencyRecord&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->idempotency));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto record = decode_idempotency(std::string_view(it->key().data(), it->key().size()),
                                     std::string_view(it->value().data(), it->value().size()));
    if (!record) return Error::corruption("malformed idempotency record");
    if (!fn(*record)) break;
  }
  if (!it->status().ok()) return io_error(it->status(), "cannot read the idempotency records");
  return {};
}

Status EventLog::expire_idempotency(int64_t cutoff_us) {
  rocksdb::WriteBatch batch;
  Status status = scan_idempotency([&](const IdempotencyRecord& r) {
    if (r.recorded_at_us < cutoff_us) batch.Delete(impl_->idempotency, r.scope);
    return true;
  });
  if (!status.ok() || batch.Count() == 0) return status;
  rocksdb::Status s = impl_->db->Write(impl_->write_options, &batch);
  if (!s.ok()) return io_error(s, "cannot expire idempotency records");
  return {};
}

Status EventLog::append(std::span<const Event> events,
                        std::span<const IdempotencyRecord> idempotency) {
  Impl& d = *impl_;
  encode_batch(events, idempotency, d.chain_head, d.hasher, d.encoded);
  const EncodedBatch* one = &d.encoded;
  return append(std::span<const EncodedBatch* const>(&one, 1));
}

ChainLink EventLog::chain_head() const { return impl_->chain_head; }

Status EventLog::checkpoint(const std::filesystem::path& dir) const {
  if (impl_->read_only)
    return Error::invalid("",
                          "a checkpoint needs the log's writer (a read-only instance cannot "
                          "hold back its file deletions)");
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(impl_->db.get(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Never a flush for the checkpoint's sake: the WAL is copied instead.
  if (s.ok()) s = checkpoint->CreateCheckpoint(dir.string(), UINT64_MAX);
  if (!s.ok()) return io_error(s, "cannot write a checkpoint to " + dir.string());
  return {};
}

Status EventLog::resume() {
  rocksdb::Status s = impl_->db->Resume();
  if (!s.ok() && !s.IsNotSupported()) return io_error(s, "cannot resume writing");
  return impl_->read_tail();
}

Status EventLog::append(std::span<const EncodedBatch* const> batches) {
  Impl& d = *impl_;
  uint64_t next = d.last_position.load(std::memory_order_relaxed) + 1;
  d.batch.Clear();
  const EncodedBatch* last = nullptr;
  for (const EncodedBatch* b : batches) {
    if (b->empty()) continue;
    if (b->first_position != next || !b->dense)
      return Error::invalid("", "positions must continue the log densely");
    for (size_t i = 0; i < b->size(); ++i) {
      d.key_buf.clear();
      put_u64_be(d.key_buf, next++);
      const std::string_view value = b->value(i);
      d.batch.Put(d.events, d.key_buf, rocksdb::Slice(value.data(), value.size()));
      d.stream_key_buf.assign(b->stream_versions[i].first.raw());
      put_u64_be(d.stream_key_buf, b->stream_versions[i].second);
      d.batch.Put(d.streams, d.stream_key_buf, d.key_buf);
    }
    for (const auto& [key, value] : b->idempotency) d.batch.Put(d.idempotency, key, value);
    d.batch.Put(d.meta, chain_key(b->last_position),
                rocksdb::Slice(reinterpret_cast<const char*>(b->link.data()), b->link.size()));
    last = b;
  }
  if (!last) return {};
  rocksdb::Status s = d.db->Write(d.write_options, &d.batch);
  if (!s.ok()) return io_error(s, "append failed");
  d.chain_head = last->link;
  d.last_position.store(last->last_position, std::memory_order_release);
  return {};
}

Status EventLog::scan_raw(uint64_t from,
                          const std::function<bool(uint64_t, std::string_view)>& fn) const {
  std::string start;
  put_u64_be(start, from);
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->events));
  for (it->Seek(start); it->Valid(); it->Next()) {
    const uint64_t pos = get_u64_be(std::string_view(it->key().data(), it->key().size()));
    if (!fn(pos, std::string_view(it->value().data(), it->value().size()))) break;
  }
  if (!it->status().ok()) return io_error(it->status(), "cannot read the event log");
  return {};
}

Status EventLog::scan(uint64_t from, uint64_t to, const std::function<bool(Event&)>& fn) const {
  Status result;
  Status io = scan_raw(from, [&](uint64_t pos, std::string_view stored) {
    if (pos > to) return false;
    auto event = decode_event(stored);
    if (!event.ok()) {
      if (event.error().code == ErrorCode::kUnprocessable) {
        std::cerr << "warning: skipping event at position " << pos << ": " << event.error().message
                  << "\n";
        return true;
      }
      result = Error::corruption("position " + std::to_string(pos) + ": " + event.error().message);
      return false;
    }
    return fn(*event);
  });
  if (!io.ok()) return io;
  return result;
}

Status EventLog::scan_chunks(uint64_t from, uint64_t to,
                             const std::function<bool(std::span<Event>)>& fn) const {
  // Four chunks in all, going back and forth between the two queues, bound
  // the memory read ahead.
  constexpr size_t kChunk = 4096;
  using Chunk = std::vector<Event>;
  BlockingQueue<Chunk> filled, empty;
  for (int i = 0; i < 4; ++i) empty.push(Chunk{});
  std::atomic<bool> stop{false};
  Status read;
  std::thread reader([&] {
    std::optional<Chunk> chunk = empty.pop();
    read = scan(from, to, [&](Event& e) {
      chunk->push_back(std::move(e));
      if (chunk->size() < kChunk) return true;
      filled.push(std::move(*chunk));
      chunk = empty.pop();
      return !stop.load(std::memory_order_relaxed);
    });
    if (!chunk->empty()) filled.push(std::move(*chunk));
    filled.close();
  });
  while (std::optional<Chunk> chunk = filled.pop()) {
    if (!stop.load(std::memory_order_relaxed) && !fn(*chunk))
      stop.store(true, std::memory_order_relaxed);
    chunk->clear();
    empty.push(std::move(*chunk));
  }
  reader.join();
  return read;
}

Result<uint64_t> EventLog::last_position_at(int64_t unix_us) const {
  // The first event at or after `pos` (an unknown type is skipped), and
  // whether it was recorded by then.
  const uint64_t last = last_position();
  uint64_t lo = 0, hi = last;  // lo: known by then (0: none); hi + 1: known after
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo + 1) / 2;
    std::optional<Event> probe;
    Status s = scan(mid, last, [&](const Event& e) {
      probe = e;
      return false;
    });
    if (!s.ok()) return s.error();
    if (probe && probe->recorded_at_us <= unix_us)
      lo = probe->position;  // by then, and so is everything before it
    else
      hi = mid - 1;
  }
  return lo;
}

Status EventLog::read_stream(const Uuid& stream, const std::function<bool(const Event&)>& fn,
                             uint64_t up_to) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->streams));
  const std::string prefix(stream.raw());
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const uint64_t pos = get_u64_be(std::string_view(it->value().data(), it->value().size()));
    if (pos > up_to) break;  // versions ascend with positions: the rest is newer still
    std::string value;
    rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->events, it->value(), &value);
    if (!s.ok())
      return io_error(s, "stream index points at missing position " + std::to_string(pos));
    auto event = decode_event(value);
    if (!event.ok()) {
      if (event.error().code == ErrorCode::kUnprocessable) continue;
      return Error::corruption("position " + std::to_string(pos) + ": " + event.error().message);
    }
    if (!fn(*event)) break;
  }
  if (!it->status().ok()) return io_error(it->status(), "cannot read the stream index");
  return {};
}

Result<std::optional<ChainLink>> EventLog::chain_link(uint64_t last_position) const {
  std::string value;
  rocksdb::Status s =
      impl_->db->Get(rocksdb::ReadOptions(), impl_->meta, chain_key(last_position), &value);
  if (s.IsNotFound()) return std::optional<ChainLink>{};
  if (!s.ok()) return io_error(s, "cannot read the hash chain");
  ChainLink link{};
  if (value.size() != link.size())
    return Error::corruption("the hash-chain link at " + std::to_string(last_position) +
                             " is malformed");
  std::memcpy(link.data(), value.data(), link.size());
  return std::optional<ChainLink>{link};
}

Status EventLog::scan_chain(const std::function<bool(uint64_t, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->meta));
  const std::string_view prefix = chain_key_prefix();
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
       it->Valid() && it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size()));
       it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (!fn(get_u64_be(key.substr(prefix.size())),
            std::string_view(it->value().data(), it->value().size())))
      break;
  }
  if (!it->status().ok()) return io_error(it->status(), "cannot read the hash chain");
  return {};
}

Status EventLog::scan_stream_index(
    const std::function<bool(const Uuid&, uint64_t, uint64_t)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->streams));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (key.size() != 24) return Error::corruption("malformed stream index key");
    const Uuid stream = *Uuid::from_raw(key.substr(0, 16));
    if (!fn(stream, get_u64_be(key.substr(16)),
            get_u64_be(std::string_view(it->value().data(), it->value().size()))))
      break;
  }
  if (!it->status().ok()) return io_error(it->status(), "cannot read the stream index");
  return {};
}

Result<std::string> EventLog::checkpoint_link(uint64_t checkpoint, std::string_view whose) const {
  auto link = chain_link(checkpoint);
  if (!link.ok()) return link.error();
  if (!*link)
    return Error::corruption("no batch of the log ends at " + std::string(whose) + " position " +
                             std::to_string(checkpoint));
  return std::string(reinterpret_cast<const char*>((*link)->data()), (*link)->size());
}

Result<bool> EventLog::matches_checkpoint(uint64_t checkpoint, std::string_view link) const {
  auto ours = chain_link(checkpoint);
  if (!ours.ok()) return ours.error();
  return *ours &&
         link == std::string_view(reinterpret_cast<const char*>((**ours).data()), (**ours).size());
}

}  // namespace comanda::engine
