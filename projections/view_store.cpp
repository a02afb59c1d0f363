#include "projections/view_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <mutex>

#include "comanda/v1/views.pb.h"
#include "engine/log/event_codec.h"

namespace comanda::projections {
namespace {

using engine::Error;
using engine::ErrorCode;
using engine::Event;

// Bump when what a snapshot row means changes (a field of a view added or
// reinterpreted): older snapshots are then ignored, and rebuilt from the log.
constexpr uint32_t kFormat = 1;
constexpr char kMetaKey[] = "snapshot";
constexpr size_t kRowsPerBatch = 4096;

enum class Kind : char { kRestaurant = 'r', kOrder = 'o', kDriver = 'd' };

std::string row_key(Kind kind, const Uuid& id) {
  std::string key(1, static_cast<char>(kind));
  key += id.raw();
  return key;
}

Error io_error(const rocksdb::Status& s, const std::string& what) {
  return Error::io(what + ": " + s.ToString());
}

std::string stored(const Event& e) {
  std::string out;
  engine::encode_event(e, out);
  return out;
}

// A view's founding event: the event that created it, as the log stores it.
Event founding(const Uuid& stream, const Uuid& partition, uint64_t position, int64_t recorded_at_us,
               engine::EventPayload payload) {
  Event e;
  e.position = position;
  e.stream = stream;
  e.stream_version = 1;
  e.partition = partition;
  e.recorded_at_us = recorded_at_us;
  e.payload = std::move(payload);
  return e;
}

std::string code_version() { return COMANDA_VERSION; }

}  // namespace

engine::Result<std::unique_ptr<ViewStore>> ViewStore::open(const std::filesystem::path& dir) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.keep_log_file_num = 2;
  rocksdb::ColumnFamilyOptions rows;
  rows.compression = rocksdb::kLZ4Compression;
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"rows", rows},
      {"meta", rocksdb::ColumnFamilyOptions()},
  };
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::unique_ptr<ViewStore> store(new ViewStore);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir.string(), families, &store->handles_, &raw);
  if (!s.ok()) return io_error(s, "cannot open the view store at " + dir.string());
  store->db_.reset(raw);
  store->rows_ = store->handles_[1];
  store->meta_ = store->handles_[2];
  return store;
}

ViewStore::~ViewStore() {
  if (!db_) return;
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close();
}

engine::Status ViewStore::clear() {
  rocksdb::WriteBatch batch;
  batch.Delete(meta_, kMetaKey);
  batch.DeleteRange(rows_, std::string(1, '\0'), std::string(2, '\xff'));
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return io_error(s, "cannot clear the view store");
  return {};
}

engine::Status ViewStore::save(const ReadModels& models, const engine::EventLog& log) {
  std::shared_lock lock(models.mu_);
  if (models.gap_)
    // Loaded back, they would stay without what they missed for good; the
    // previous snapshot, if any, plus the log after it is still right.
    return Error::corruption("the read models skipped a position since the start; not snapshotted");
  v1::SnapshotMeta meta;
  meta.set_format(kFormat);
  meta.set_code_version(code_version());
  meta.set_checkpoint(models.position_);
  if (models.position_ != 0) {
    auto link = log.chain_link(models.position_);
    if (!link.ok()) return link.error();
    if (!*link)
      return Error::corruption("no batch of the log ends at the read models' position " +
                               std::to_string(models.position_));
    meta.set_checkpoint_link((*link)->data(), (*link)->size());
  }
  // The old snapshot goes first: a crash halfway leaves no snapshot (a
  // rebuild at the next start), never a mixed one. The meta row, written
  // last, is what makes the rows a snapshot.
  if (auto cleared = clear(); !cleared.ok()) return cleared;

  rocksdb::WriteBatch batch;
  uint64_t rows = 0;
  std::string value;
  auto put = [&](std::string key, const v1::ViewRow& row) -> engine::Status {
    value.clear();
    row.SerializeToString(&value);
    batch.Put(rows_, key, value);
    ++rows;
    if (batch.Count() < kRowsPerBatch) return {};
    rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
    batch.Clear();
    if (!s.ok()) return io_error(s, "cannot write the view store");
    return {};
  };
  for (const auto& [id, r] : models.restaurants_) {
    v1::ViewRow row;
    row.set_origin(stored(founding(id, id, 0, r.registered_at_us, r.details)));
    row.set_version(r.version);
    if (auto s = put(row_key(Kind::kRestaurant, id), row); !s.ok()) return s;
  }
  for (const auto& [id, o] : models.orders_) {
    v1::ViewRow row;
    row.set_origin(
        stored(founding(id, o.placed.restaurant_id, o.placed_position, o.placed_at_us, o.placed)));
    row.set_version(o.version);
    row.set_updated_at_us(o.updated_at_us);
    row.set_status(static_cast<v1::OrderStatus>(o.status));
    row.set_cancelled_by_customer(o.cancelled_by_customer);
    row.set_status_reason(o.status_reason);
    if (auto s = put(row_key(Kind::kOrder, id), row); !s.ok()) return s;
  }
  for (const auto& [id, d] : models.drivers_) {
    v1::ViewRow row;
    row.set_origin(stored(founding(id, id, 0, d.registered_at_us, d.details)));
    row.set_version(d.version);
    if (d.position) {
      Event ping = founding(id, id, d.position->log_position, d.position->recorded_at_us,
                            d.position->location);
      row.set_position_event(stored(ping));
    }
    if (auto s = put(row_key(Kind::kDriver, id), row); !s.ok()) return s;
  }
  meta.set_rows(rows);
  batch.Put(meta_, kMetaKey, meta.SerializeAsString());
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return io_error(s, "cannot write the view store");
  // Unsynced: rebuildable. Flushed so that the next start reads tables, not a WAL.
  s = db_->Flush(rocksdb::FlushOptions(), {rows_, meta_});
  if (!s.ok()) return io_error(s, "cannot flush the view store");
  return {};
}

engine::Result<uint64_t> ViewStore::load(ReadModels& models, const engine::EventLog& log,
                                         std::string* why) {
  if (models.position() != 0)
    return Error::invalid("", "a snapshot loads into empty read models only");
  auto unusable = [&](std::string reason) -> engine::Result<uint64_t> {
    if (why) *why = std::move(reason);
    return uint64_t{0};
  };
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta_, kMetaKey, &value);
  if (s.IsNotFound()) return unusable("no snapshot");
  if (!s.ok()) return io_error(s, "cannot read the view store");
  v1::SnapshotMeta meta;
  if (!meta.ParseFromString(value)) return unusable("the snapshot's header does not parse");
  if (meta.format() != kFormat || meta.code_version() != code_version())
    return unusable("the snapshot is of another format or version (" +
                    std::to_string(meta.format()) + ", " + meta.code_version() + ")");
  if (meta.checkpoint() == 0 || meta.checkpoint() > log.last_position())
    return unusable("the snapshot's checkpoint " + std::to_string(meta.checkpoint()) +
                    " is not in the log");
  auto link = log.chain_link(meta.checkpoint());
  if (!link.ok()) return link.error();
  if (!*link ||
      meta.checkpoint_link() !=
          std::string_view(reinterpret_cast<const char*>((*link)->data()), (*link)->size()))
    return unusable("the snapshot was taken of another log");

  // Built aside and moved in only when whole: a bad row leaves `models` empty.
  ReadModels fresh;
  uint64_t rows = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), rows_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++rows;
    v1::ViewRow row;
    if (!row.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())))
      return unusable("a snapshot row does not parse");
    auto origin = engine::decode_event(row.origin());
    if (!origin.ok()) return unusable("a snapshot row is corrupt: " + origin.error().message);
    const Uuid id = origin->stream;
    if (auto* r = std::get_if<engine::RestaurantRegistered>(&origin->payload)) {
      fresh.restaurants_[id] =
          RestaurantView{id, row.version(), origin->recorded_at_us, std::move(*r)};
    } else if (auto* p = std::get_if<engine::OrderPlaced>(&origin->payload)) {
      if (row.status() < 0 || row.status() >= static_cast<int>(engine::kStatusCount))
        return unusable("a snapshot row has an unknown status");
      OrderView& o = fresh.orders_[id];
      o.id = id;
      o.version = row.version();
      o.placed_position = origin->position;
      o.placed_at_us = origin->recorded_at_us;
      o.updated_at_us = row.updated_at_us();
      o.placed = std::move(*p);
      o.status = static_cast<engine::OrderStatus>(row.status());
      o.cancelled_by_customer = row.cancelled_by_customer();
      o.status_reason = row.status_reason();
      fresh.index_order(o);
    } else if (auto* d = std::get_if<engine::DriverRegistered>(&origin->payload)) {
      DriverView& v = fresh.drivers_[id];
      v.id = id;
      v.version = row.version();
      v.registered_at_us = origin->recorded_at_us;
      v.details = std::move(*d);
      if (!row.position_event().empty()) {
        auto ping = engine::decode_event(row.position_event());
        auto* location =
            ping.ok() ? std::get_if<engine::DriverLocationReported>(&ping->payload) : nullptr;
        if (!location) return unusable("a snapshot row has a corrupt position");
        v.position = DriverPosition{*location, ping->recorded_at_us, ping->position};
      }
    } else {
      return unusable("a snapshot row holds an unexpected event");
    }
  }
  if (!it->status().ok()) return io_error(it->status(), "cannot read the view store");
  if (rows != meta.rows())
    return unusable("the snapshot has " + std::to_string(rows) + " rows, not " +
                    std::to_string(meta.rows()));
  fresh.sort_indexes();
  fresh.position_ = meta.checkpoint();
  models.take(std::move(fresh));
  return meta.checkpoint();
}

}  // namespace comanda::projections
