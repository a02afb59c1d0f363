#include "engine/pipeline/state_snapshot.h"

#include <algorithm>
#include <deque>
#include <type_traits>
#include <vector>

#include "engine/base/bytes.h"

namespace comanda::engine {
namespace {

// Bump when what a row means changes: older snapshots are then replayed
// from the log instead of read.
constexpr uint32_t kFormat = 1;
constexpr std::string_view kCodeVersion = COMANDA_VERSION;

// Row keys: a tag, then 16-byte ids. Streams: 'k', the kind's index in
// AggregateKinds, the stream. Order numbers: 'n', the restaurant. Standing
// offers: 'o', the driver. The scheduler's open orders: 's', the order
// (engine/pipeline/scheduler.h).
constexpr char kStreamTag = 'k', kNumberTag = 'n', kOffersTag = 'o';

std::string key_of(char tag, const Uuid& id) {
  std::string key(1, tag);
  key.append(id.raw());
  return key;
}

std::string stream_key(uint8_t kind, const Uuid& id) {
  std::string key{kStreamTag, static_cast<char>(kind)};
  key.append(id.raw());
  return key;
}

Result<Uuid> id_at(std::string_view key, size_t at) {
  if (key.size() != at + 16) return Error::corruption("a snapshot row has a bad key");
  auto id = Uuid::from_raw(key.substr(at));
  if (!id) return Error::corruption("a snapshot row has a bad key");
  return *id;
}

// Encoding and restoring one stream of a kind; orders carry where they are
// picked up while they wait for a driver (the book's index, not the state).
template <class Book, class State>
void encode_stream(const Book&, const Uuid& id, const State& state, std::string& out) {
  encode_state(id, state, out);
}
void encode_stream(const OrderBook& book, const Uuid& id, const OrderState& state,
                   std::string& out) {
  encode_state(state, book.waiting().where(id), out);
}
template <class Book>
Status restore_stream(Book& book, const Uuid& id, std::string_view value) {
  std::remove_cvref_t<decltype(*book.find(id))> state;
  if (Status decoded = decode_state(value, state); !decoded.ok()) return decoded;
  book.restore(id, std::move(state));
  return {};
}
Status restore_stream(OrderBook& book, const Uuid& id, std::string_view value) {
  OrderState state;
  std::optional<GeoPoint> waiting_pickup;
  if (Status decoded = decode_state(value, state, waiting_pickup); !decoded.ok()) return decoded;
  book.restore(id, std::move(state), waiting_pickup);
  return {};
}

}  // namespace

Status HotState::save(const RowSink& put) const {
  Status status;
  std::string value;
  uint8_t kind = 0;
  AggregateKinds::for_each_kind([&]<class K>() {
    const typename K::Book& book = this->book<K>();
    book.for_each([&](const Uuid& id, const typename K::State& state) {
      if (!status.ok()) return;
      value.clear();
      encode_stream(book, id, state, value);
      status = put(stream_key(kind, id), value);
    });
    ++kind;
  });
  if (!status.ok()) return status;
  const OrderBook& orders = book<Order>();
  orders.for_each_number([&](const Uuid& restaurant, uint64_t number) {
    if (!status.ok()) return;
    value.clear();
    put_u64_be(value, number);
    status = put(key_of(kNumberTag, restaurant), value);
  });
  orders.for_each_offers([&](const Uuid& driver, std::span<const Uuid> offered) {
    if (!status.ok()) return;
    value.clear();
    for (const Uuid& order : offered) value.append(order.raw());
    status = put(key_of(kOffersTag, driver), value);
  });
  return status;
}

Status HotState::restore_row(std::string_view key, std::string_view value) {
  if (key.empty()) return Error::corruption("a snapshot row has an empty key");
  OrderBook& orders = std::get<OrderBook>(books_);
  if (key[0] == kNumberTag) {
    auto restaurant = id_at(key, 1);
    if (!restaurant.ok()) return restaurant.error();
    if (value.size() != 8) return Error::corruption("a snapshot row has a bad order number");
    orders.restore_number(*restaurant, get_u64_be(value));
    return {};
  }
  if (key[0] == kOffersTag) {
    auto driver = id_at(key, 1);
    if (!driver.ok()) return driver.error();
    if (value.size() % 16 != 0) return Error::corruption("a snapshot row has bad offers");
    std::vector<Uuid> offered;
    for (size_t at = 0; at < value.size(); at += 16) {
      auto order = id_at(value.substr(at, 16), 0);
      if (!order.ok()) return order.error();
      offered.push_back(*order);
    }
    orders.restore_offers(*driver, offered);
    return {};
  }
  if (key[0] != kStreamTag || key.size() < 2)
    return Error::corruption("a snapshot row has an unknown key");
  auto id = id_at(key, 2);
  if (!id.ok()) return id.error();
  const auto wanted = static_cast<uint8_t>(key[1]);
  Status status = Error::corruption("a snapshot row is of an unknown kind");
  uint8_t kind = 0;
  AggregateKinds::for_each_kind([&]<class K>() {
    if (kind++ == wanted) status = restore_stream(std::get<typename K::Book>(books_), *id, value);
  });
  return status;
}

void HotState::finish_restore(int64_t last_recorded_at_us) {
  last_recorded_at_us_ = last_recorded_at_us;
  // The hot windows, oldest finished first, as following the log built them.
  AggregateKinds::for_each_kind([&]<class K>() {
    if constexpr (Evictable<K>) {
      std::deque<std::pair<int64_t, Uuid>> finished;
      book<K>().for_each([&](const Uuid& id, const typename K::State& state) {
        if (K::finished(state)) finished.emplace_back(state.updated_at_us, id);
      });
      std::sort(finished.begin(), finished.end());
      std::get<HotWindow<K>>(windows_).restore(std::move(finished));
    }
  });
}

Status write_state_snapshot(StateStore& store, const EventLog& log, uint64_t checkpoint,
                            const HotState& state, const Scheduler& scheduler) {
  StateSnapshotHeader header;
  header.format = kFormat;
  header.code_version = kCodeVersion;
  header.checkpoint = checkpoint;
  header.last_recorded_at_us = state.last_recorded_at_us();
  if (checkpoint != 0) {
    auto link = log.checkpoint_link(checkpoint, "the state's");
    if (!link.ok()) return link.error();
    header.checkpoint_link = std::move(link).value();
  }
  return store.write_state(std::move(header), [&](const RowSink& put) {
    if (Status saved = state.save(put); !saved.ok()) return saved;
    return scheduler.save(put);
  });
}

Result<uint64_t> read_state_snapshot(StateStore& store, const EventLog& log, HotState& state,
                                     Scheduler& scheduler, std::string* why) {
  auto unusable = [&](std::string reason) -> Result<uint64_t> {
    state.clear();
    scheduler.clear();
    if (why) *why = std::move(reason);
    return uint64_t{0};
  };
  auto header = store.state_header();
  if (!header.ok()) return header.error();
  if (!*header) return unusable("no snapshot");
  const StateSnapshotHeader& h = **header;
  if (h.format != kFormat || h.code_version != kCodeVersion)
    return unusable("the snapshot is of another format or version (" + std::to_string(h.format) +
                    ", " + h.code_version + ")");
  if (h.checkpoint == 0 || h.checkpoint > log.last_position())
    return unusable("the snapshot's checkpoint " + std::to_string(h.checkpoint) +
                    " is not in the log");
  auto same_log = log.matches_checkpoint(h.checkpoint, h.checkpoint_link);
  if (!same_log.ok()) return same_log.error();
  if (!*same_log) return unusable("the snapshot was taken of another log");

  uint64_t rows = 0;
  Status read = store.read_state([&](std::string_view key, std::string_view value) -> Status {
    ++rows;
    if (!key.empty() && key[0] == Scheduler::kSnapshotTag) return scheduler.restore_row(key, value);
    return state.restore_row(key, value);
  });
  if (!read.ok()) {
    if (read.error().code != ErrorCode::kCorruption) {
      state.clear();
      scheduler.clear();
      return read.error();
    }
    return unusable(read.error().message);
  }
  if (rows != h.rows)
    return unusable("the snapshot has " + std::to_string(rows) + " rows, not " +
                    std::to_string(h.rows));
  state.finish_restore(h.last_recorded_at_us);
  scheduler.restore_restaurants(state.book<Restaurant>());
  return h.checkpoint;
}

}  // namespace comanda::engine
