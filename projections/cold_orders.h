// Finished orders that left memory: their summary rows and index keys in
// views/ (docs/storage.md, "Memory"). Each row is the order's ViewRow, as a
// snapshot writes it, under its id; each index key is an index's prefix and
// the order's placed position (u64 big-endian), so that a list walks it
// newest first from a cursor exactly as it walks an in-memory list.
//
// Unsynced, like all of views/: rebuildable from the log.
//
// Threads: write() and clear() from one thread at a time; row() and walks on
// any thread (RocksDB reads are thread-safe; a walk sees the store as it was
// when it began).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/ids.h"
#include "engine/base/time_zone.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Iterator;
}  // namespace rocksdb

namespace comanda::projections {

class ColdOrders {
 public:
  using Placement = std::pair<uint64_t, engine::Uuid>;  // (placed position, order id)

  // On views/' `orders` and `order_index` families (ViewStore opens them).
  ColdOrders(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* rows,
             rocksdb::ColumnFamilyHandle* index);

  // The index prefixes, one per list an order is in.
  struct Keys {
    static std::string all();
    static std::string restaurant(const engine::Uuid& r);
    static std::string group(const engine::Uuid& r, int group);
    static std::string date(const engine::Uuid& r, engine::LocalDate date);
    static std::string restaurant_customer(const engine::Uuid& r, std::string_view customer);
    static std::string customer(std::string_view customer);
    static std::string driver(const engine::Uuid& d);
  };

  // One order's change: its row (empty: the order is gone), the prefixes it
  // is listed under now, and those it is no longer listed under.
  struct Change {
    Placement placement;
    std::string row;
    std::vector<std::string> listed, unlisted;
  };
  // All of them as one write.
  engine::Status write(std::span<const Change> changes);

  // The order's row; nullopt when it is not here.
  engine::Result<std::optional<std::string>> row(const engine::Uuid& id) const;

  // The orders listed under `prefix`, newest first, placed before `before`
  // (0: from the newest).
  class Walk {
   public:
    ~Walk();
    // The next placement; false at the end (or on a read error: status()).
    bool next(Placement& out);
    engine::Status status() const;

   private:
    friend class ColdOrders;
    Walk() = default;
    std::unique_ptr<rocksdb::Iterator> it_;
    std::string prefix_;
    bool started_ = false;
    std::string seek_;
  };
  std::unique_ptr<Walk> walk(std::string prefix, uint64_t before) const;

  // How many orders are listed under `prefix` (for a query's plan: an
  // estimate is enough, and exact is cheap for the prefixes a plan asks).
  size_t count(const std::string& prefix, size_t stop_at) const;

  // Forgets every cold order (a rebuild starts from nothing).
  engine::Status clear();

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* rows_;
  rocksdb::ColumnFamilyHandle* index_;
};

}  // namespace comanda::projections
