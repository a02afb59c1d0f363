#include "projections/cold_orders.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "engine/base/bytes.h"

namespace comanda::projections {

using engine::Error;
using engine::Uuid;

namespace {

engine::Error io_error(const rocksdb::Status& s, const std::string& what) {
  return Error::io(what + ": " + s.ToString());
}

std::string with_position(const std::string& prefix, uint64_t position) {
  std::string key = prefix;
  engine::put_u64_be(key, position);
  return key;
}

}  // namespace

// Kinds, one byte each: a prefix of one kind is never a prefix of another's.
std::string ColdOrders::Keys::all() { return "A"; }
std::string ColdOrders::Keys::restaurant(const Uuid& r) { return "R" + std::string(r.raw()); }
std::string ColdOrders::Keys::group(const Uuid& r, int group) {
  return "G" + std::string(r.raw()) + static_cast<char>(group);
}
std::string ColdOrders::Keys::date(const Uuid& r, engine::LocalDate date) {
  std::string key = "D" + std::string(r.raw());
  engine::put_u64_be(key, static_cast<uint64_t>(static_cast<int64_t>(date)));
  return key;
}
// A customer id has no control characters (the API refuses them): NUL ends it.
std::string ColdOrders::Keys::restaurant_customer(const Uuid& r, std::string_view customer) {
  return "C" + std::string(r.raw()) + std::string(customer) + '\0';
}
std::string ColdOrders::Keys::customer(std::string_view customer) {
  return "c" + std::string(customer) + '\0';
}
std::string ColdOrders::Keys::driver(const Uuid& d) { return "V" + std::string(d.raw()); }

ColdOrders::ColdOrders(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* rows,
                       rocksdb::ColumnFamilyHandle* index)
    : db_(db), rows_(rows), index_(index) {}

engine::Status ColdOrders::write(std::span<const Change> changes) {
  rocksdb::WriteBatch batch;
  for (const Change& c : changes) {
    const std::string id(c.placement.second.raw());
    if (c.row.empty())
      batch.Delete(rows_, id);
    else
      batch.Put(rows_, id, c.row);
    for (const std::string& prefix : c.unlisted)
      batch.Delete(index_, with_position(prefix, c.placement.first));
    for (const std::string& prefix : c.listed)
      batch.Put(index_, with_position(prefix, c.placement.first), id);
  }
  // Unsynced (a power cut is repaired from the log), but through the WAL: a
  // process that dies keeps what it wrote, as memory no longer has it.
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return io_error(s, "cannot write cold orders");
  return {};
}

engine::Result<std::optional<std::string>> ColdOrders::row(const Uuid& id) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), rows_, id.raw(), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return io_error(s, "cannot read a cold order");
  return std::optional<std::string>(std::move(value));
}

ColdOrders::Walk::~Walk() = default;

std::unique_ptr<ColdOrders::Walk> ColdOrders::walk(std::string prefix, uint64_t before) const {
  std::unique_ptr<Walk> w(new Walk);
  w->it_.reset(db_->NewIterator(rocksdb::ReadOptions(), index_));
  w->prefix_ = std::move(prefix);
  // The last key below (prefix, before): positions are big-endian, so key
  // order is position order within the prefix.
  w->seek_ = before == 0 ? w->prefix_ + std::string(8, '\xff') + '\xff'
                         : with_position(w->prefix_, before - 1);
  return w;
}

bool ColdOrders::Walk::next(Placement& out) {
  if (!started_) {
    it_->SeekForPrev(seek_);
    started_ = true;
  } else if (it_->Valid()) {
    it_->Prev();
  }
  if (!it_->Valid() || !it_->key().starts_with(prefix_)) return false;
  const rocksdb::Slice key = it_->key();
  if (key.size() != prefix_.size() + 8) return false;
  auto id = Uuid::from_raw(std::string_view(it_->value().data(), it_->value().size()));
  if (!id) return false;
  out = {engine::get_u64_be(std::string_view(key.data() + prefix_.size(), 8)), *id};
  return true;
}

engine::Status ColdOrders::Walk::status() const {
  if (!it_->status().ok()) return io_error(it_->status(), "cannot read cold orders");
  return {};
}

size_t ColdOrders::count(const std::string& prefix, size_t stop_at) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_));
  size_t n = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) && n < stop_at; it->Next())
    ++n;
  return n;
}

engine::Status ColdOrders::clear() {
  rocksdb::WriteBatch batch;
  const std::string from(1, '\0'), to(17, '\xff');
  batch.DeleteRange(rows_, from, to);
  batch.DeleteRange(index_, from, std::string(1, '\xff'));
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return io_error(s, "cannot clear cold orders");
  return {};
}

}  // namespace comanda::projections
