#include "projections/view_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include "comanda/v1/views.pb.h"

namespace comanda::projections {
namespace {

using engine::Error;

// Bump when what a snapshot row means changes (a field of a view added or
// reinterpreted): older snapshots are then ignored, and rebuilt from the log.
// 2: rows under each model's name.
constexpr uint32_t kFormat = 7;
constexpr char kMetaKey[] = "snapshot";
constexpr char kStateMetaKey[] = "state";
constexpr size_t kRowsPerBatch = 4096;

Error io_error(const rocksdb::Status& s, const std::string& what) {
  return Error::io(what + ": " + s.ToString());
}

// A model's rows live under "<name>/".
std::string prefix_of(const Projection& model) { return std::string(model.name()) + "/"; }

std::string code_version() { return COMANDA_VERSION; }

}  // namespace

engine::Result<std::unique_ptr<ViewStore>> ViewStore::open(const std::filesystem::path& dir,
                                                           bool read_only) {
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
      {"orders", rows},
      {"order_index", rows},
      {"state", rows},
  };
  std::unique_ptr<ViewStore> store(new ViewStore);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (read_only) {
    s = rocksdb::DB::OpenForReadOnly(options, dir.string(), families, &store->handles_, &raw);
  } else {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    s = rocksdb::DB::Open(options, dir.string(), families, &store->handles_, &raw);
  }
  if (!s.ok()) return io_error(s, "cannot open the view store at " + dir.string());
  store->db_.reset(raw);
  store->rows_ = store->handles_[1];
  store->meta_ = store->handles_[2];
  store->state_ = store->handles_[5];
  store->cold_ = std::make_unique<ColdOrders>(raw, store->handles_[3], store->handles_[4]);
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

// Writes a snapshot's rows in batches, and its header last: what makes the
// rows a snapshot. The old snapshot goes first: a crash halfway leaves no
// snapshot (a rebuild at the next start), never a mixed one. Unsynced:
// rebuildable.
class ViewStore::RowsWriter {
 public:
  explicit RowsWriter(ViewStore& store) : store_(store) {}

  engine::Status begin() { return store_.clear(); }

  engine::Status put(std::string_view key, std::string_view value) {
    batch_.Put(store_.rows_, rocksdb::Slice(key.data(), key.size()),
               rocksdb::Slice(value.data(), value.size()));
    ++rows_;
    if (batch_.Count() < kRowsPerBatch) return {};
    return write();
  }

  engine::Status finish(uint64_t checkpoint, const std::string& link) {
    v1::SnapshotMeta meta;
    meta.set_format(kFormat);
    meta.set_code_version(code_version());
    meta.set_checkpoint(checkpoint);
    meta.set_checkpoint_link(link);
    meta.set_rows(rows_);
    batch_.Put(store_.meta_, kMetaKey, meta.SerializeAsString());
    return write();
  }

 private:
  engine::Status write() {
    rocksdb::Status s = store_.db_->Write(rocksdb::WriteOptions(), &batch_);
    batch_.Clear();
    if (!s.ok()) return io_error(s, "cannot write the view store");
    return {};
  }

  ViewStore& store_;
  rocksdb::WriteBatch batch_;
  uint64_t rows_ = 0;
};

engine::Status ViewStore::save(const ProjectionRegistry& models, const engine::EventLog& log) {
  RowsWriter writer(*this);
  Snapshot header;
  engine::Status rows = each_row(
      models, log, header, [&] { return writer.begin(); },
      [&](std::string_view k, std::string_view v) { return writer.put(k, v); });
  if (!rows.ok()) return rows;
  return writer.finish(header.checkpoint, header.link);
}

engine::Status ViewStore::flush() {
  // So that the next start reads tables, not a WAL. The cold orders too:
  // the snapshot counts on every order that left memory before its
  // checkpoint being there (OrdersModel::flush_cold()).
  rocksdb::Status s = db_->Flush(rocksdb::FlushOptions(), handles_);
  if (!s.ok()) return io_error(s, "cannot flush the view store");
  return {};
}

engine::Status ViewStore::each_row(const ProjectionRegistry& models, const engine::EventLog& log,
                                   Snapshot& header,
                                   const std::function<engine::Status()>& before_rows,
                                   const engine::RowSink& put) const {
  // The first step of every model, with the publisher paused: its rows are
  // kept here (few), the rest of each model's comes after.
  std::vector<std::pair<std::string, std::string>> still;
  std::vector<std::pair<std::string, std::unique_ptr<Projection::Later>>> later;
  engine::Status begun = models.holding_still([&]() -> engine::Status {
    if (models.has_gap())
      // Loaded back, they would stay without what they missed for good; the
      // previous snapshot, if any, plus the log after it is still right.
      return Error::corruption(
          "the read models skipped a position since the start; not snapshotted");
    header.checkpoint = models.position();
    for (const auto& model : models.models())
      if (model->position() != header.checkpoint)
        return Error::corruption("the " + std::string(model->name()) + " model is at position " +
                                 std::to_string(model->position()) + ", not at the checkpoint " +
                                 std::to_string(header.checkpoint) + ": not snapshotted");
    if (header.checkpoint != 0) {
      auto link = log.checkpoint_link(header.checkpoint, "the read models'");
      if (!link.ok()) return link.error();
      header.link = std::move(link).value();
    }
    for (const auto& model : models.models()) {
      const std::string prefix = prefix_of(*model);
      auto rest = model->save_still([&](std::string_view k, std::string_view v) -> engine::Status {
        still.emplace_back(prefix + std::string(k), v);
        return {};
      });
      if (!rest.ok()) return rest.error();
      if (*rest) later.emplace_back(prefix, std::move(rest).value());
    }
    return {};
  });
  if (!begun.ok()) return begun;
  if (auto s = before_rows(); !s.ok()) return s;
  for (const auto& [key, value] : still)
    if (auto s = put(key, value); !s.ok()) return s;
  still = {};
  std::string key;
  for (auto& [prefix, rest] : later) {
    engine::Status saved = rest->save([&](std::string_view k, std::string_view v) {
      key.assign(prefix).append(k);
      return put(key, v);
    });
    if (!saved.ok()) return saved;
    rest.reset();  // the model stops keeping copies
  }
  return {};
}

engine::Result<ViewStore::Snapshot> ViewStore::take(const ProjectionRegistry& models,
                                                    const engine::EventLog& log) const {
  Snapshot snapshot;
  engine::Status rows = each_row(
      models, log, snapshot, [] { return engine::Status(); },
      [&](std::string_view k, std::string_view v) {
        snapshot.rows.emplace_back(k, v);
        return engine::Status();
      });
  if (!rows.ok()) return rows.error();
  return snapshot;
}

engine::Status ViewStore::write(const Snapshot& snapshot) {
  RowsWriter writer(*this);
  if (auto cleared = writer.begin(); !cleared.ok()) return cleared;
  for (const auto& [key, value] : snapshot.rows)
    if (auto s = writer.put(key, value); !s.ok()) return s;
  return writer.finish(snapshot.checkpoint, snapshot.link);
}

engine::Result<uint64_t> ViewStore::load(ProjectionRegistry& models, const engine::EventLog& log,
                                         std::string* why) {
  if (models.position() != 0)
    return Error::invalid("", "a snapshot loads into empty read models only");
  auto unusable = [&](std::string reason) -> engine::Result<uint64_t> {
    models.reset(0);
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
  auto same_log = log.matches_checkpoint(meta.checkpoint(), meta.checkpoint_link());
  if (!same_log.ok()) return same_log.error();
  if (!*same_log) return unusable("the snapshot was taken of another log");

  // Any bad row leaves every model empty (unusable() resets them).
  models.reset(meta.checkpoint());
  uint64_t rows = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), rows_));
  for (const auto& model : models.models()) {
    const std::string prefix = prefix_of(*model);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      ++rows;
      const std::string_view key(it->key().data() + prefix.size(),
                                 it->key().size() - prefix.size());
      engine::Status loaded =
          model->load_row(key, std::string_view(it->value().data(), it->value().size()));
      if (!loaded.ok()) return unusable(loaded.error().message);
    }
    if (!it->status().ok()) {
      models.reset(0);
      return io_error(it->status(), "cannot read the view store");
    }
    model->finish_load();
  }
  if (rows != meta.rows())
    return unusable("the snapshot has " + std::to_string(rows) +
                    " rows of these read models, not " + std::to_string(meta.rows()));
  return meta.checkpoint();
}

}  // namespace comanda::projections

namespace comanda::projections {

engine::Status ViewStore::write_state(
    engine::StateSnapshotHeader header,
    const std::function<engine::Status(const engine::RowSink&)>& write) {
  // As for the read models: the old snapshot goes first, the header last.
  rocksdb::WriteBatch batch;
  batch.Delete(meta_, kStateMetaKey);
  batch.DeleteRange(state_, std::string(1, '\0'), std::string(2, '\xff'));
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return io_error(s, "cannot clear the sequencer's snapshot");
  batch.Clear();
  engine::Status written = write([&](std::string_view k, std::string_view v) -> engine::Status {
    batch.Put(state_, rocksdb::Slice(k.data(), k.size()), rocksdb::Slice(v.data(), v.size()));
    ++header.rows;
    if (batch.Count() < kRowsPerBatch) return {};
    rocksdb::Status put = db_->Write(rocksdb::WriteOptions(), &batch);
    batch.Clear();
    if (!put.ok()) return io_error(put, "cannot write the sequencer's snapshot");
    return {};
  });
  if (!written.ok()) return written;
  std::string meta;
  engine::encode_header(header, meta);
  batch.Put(meta_, kStateMetaKey, meta);
  s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return io_error(s, "cannot write the sequencer's snapshot");
  return {};
}

engine::Result<std::optional<engine::StateSnapshotHeader>> ViewStore::state_header() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta_, kStateMetaKey, &value);
  if (s.IsNotFound()) return std::optional<engine::StateSnapshotHeader>();
  if (!s.ok()) return io_error(s, "cannot read the view store");
  engine::StateSnapshotHeader header;
  // A header that does not parse is as good as none: the log is replayed.
  if (!engine::decode_header(value, header).ok())
    return std::optional<engine::StateSnapshotHeader>();
  return std::optional<engine::StateSnapshotHeader>(std::move(header));
}

engine::Status ViewStore::read_state(const engine::RowSink& row) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), state_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    engine::Status read = row(std::string_view(it->key().data(), it->key().size()),
                              std::string_view(it->value().data(), it->value().size()));
    if (!read.ok()) return read;
  }
  if (!it->status().ok()) return io_error(it->status(), "cannot read the view store");
  return {};
}

}  // namespace comanda::projections
