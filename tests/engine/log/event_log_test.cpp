// The durable event log (engine/log/event_log.h) and `comanda verify`
// (tools/verify.h) against a real RocksDB in a temporary directory.
#include "engine/log/event_log.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/base/bytes.h"
#include "engine/log/event_codec.h"
#include "engine/log/hash_chain.h"
#include "tests/support/test_support.h"
#include "tools/verify.h"

namespace {

using namespace comanda::engine;
using comanda::test_support::TempDir;

Event make_event(uint64_t position, const Uuid& stream, uint64_t version,
                 EventPayload payload = {}) {
  Event e;
  e.position = position;
  e.stream = stream;
  e.stream_version = version;
  e.partition = stream;
  e.recorded_at_us = 1'700'000'000'000'000 + static_cast<int64_t>(position);
  e.actor = {"u-owner-1", Role::kOwner};
  e.correlation_id = Uuid::v7();
  e.payload = std::move(payload);
  return e;
}

OrderStatusChanged step(OrderStatus from, OrderStatus to) { return {from, to, "because"}; }

RestaurantRegistered restaurant() {
  RestaurantRegistered r;
  r.name = "Sede 1";
  r.currency = "PEN";
  r.series = "A001";
  return r;
}

class EventLogTest : public ::testing::Test {
 protected:
  std::filesystem::path log_dir() const { return data_.path() / "log"; }

  std::unique_ptr<EventLog> open(EventLog::Options options = {}) {
    auto log = EventLog::open(log_dir(), options);
    EXPECT_TRUE(log.ok()) << log.error().message;
    return log.ok() ? std::move(log).value() : nullptr;
  }

  // Opens the log, appends `event` as a batch of its own, and closes it again
  // (as a restart between batches would).
  void append_alone(const Event& event) {
    auto log = open();
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->append(std::vector<Event>{event}).ok());
  }

  std::vector<Event> scan_all(const EventLog& log) {
    std::vector<Event> out;
    Status s = log.scan(1, UINT64_MAX, [&](const Event& e) {
      out.push_back(e);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return out;
  }

  // Three events over two streams: A v1 @1, B v1 @2, A v2 @3.
  std::vector<Event> write_three() {
    auto log = open();
    std::vector<Event> events = {
        make_event(1, a_, 1, restaurant()),
        make_event(2, b_, 1, step(OrderStatus::kPending, OrderStatus::kAccepted)),
        make_event(3, a_, 2, step(OrderStatus::kAccepted, OrderStatus::kReady)),
    };
    Status s = log->append(events);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return events;
  }

  // Edits the stored log directly, as disk rot or a hand edit would: the
  // column families in the log's order (default, events, streams, meta,
  // idempotency).
  void with_raw_families(
      const std::function<void(rocksdb::DB&, std::vector<rocksdb::ColumnFamilyHandle*>&)>& edit) {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {{rocksdb::kDefaultColumnFamilyName, {}},
                                                        {"events", {}},
                                                        {"streams", {}},
                                                        {"meta", {}},
                                                        {"idempotency", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s =
        rocksdb::DB::Open(rocksdb::DBOptions(), log_dir().string(), cfs, &handles, &raw);
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::unique_ptr<rocksdb::DB> db(raw);
    edit(*db, handles);
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    ASSERT_TRUE(db->Close().ok());
  }
  void with_raw_db(
      const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle& events)>& edit) {
    with_raw_families([&](rocksdb::DB& db, auto& handles) { edit(db, *handles[1]); });
  }

  static std::string key(uint64_t position) {
    std::string k;
    put_u64_be(k, position);
    return k;
  }

  TempDir data_;
  const Uuid a_ = Uuid::v7();
  const Uuid b_ = Uuid::v7();
};

TEST_F(EventLogTest, StartsEmptyAtPositionZero) {
  auto log = open();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->last_position(), 0u);
  EXPECT_TRUE(scan_all(*log).empty());
}

TEST_F(EventLogTest, FindsTheLastPositionAfterReopening) {
  write_three();
  auto log = open();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->last_position(), 3u);
}

TEST_F(EventLogTest, FindsTheLastPositionRecordedByATime) {
  auto log = open();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(*log->last_position_at(0), 0u);  // an empty log
  // Batches recorded at 10, 20 (two events), 20 again and 30.
  const int64_t t0 = 1'700'000'000'000'000;
  const std::vector<std::pair<std::vector<uint64_t>, int64_t>> batches = {
      {{1}, 10}, {{2, 3}, 20}, {{4}, 20}, {{5}, 30}};
  for (const auto& [positions, at] : batches) {
    std::vector<Event> batch;
    for (uint64_t p : positions) {
      batch.push_back(make_event(p, p % 2 ? a_ : b_, (p + 1) / 2, restaurant()));
      batch.back().recorded_at_us = t0 + at;
    }
    ASSERT_TRUE(log->append(batch).ok());
  }
  const std::vector<std::pair<int64_t, uint64_t>> expected = {
      {0, 0}, {9, 0}, {10, 1}, {19, 1}, {20, 4}, {29, 4}, {30, 5}, {1'000, 5}};
  for (const auto& [at, position] : expected) {
    auto found = log->last_position_at(t0 + at);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, position) << "at +" << at;
  }
}

TEST_F(EventLogTest, ScansInChunksReadAheadInOrderAndStopsWhenAsked) {
  auto log = open();
  ASSERT_NE(log, nullptr);
  constexpr uint64_t kEvents = 10'000;
  std::vector<Event> batch;
  for (uint64_t p = 1; p <= kEvents; ++p) {
    batch.push_back(make_event(p, a_, p, restaurant()));
    if (batch.size() == 1000) {
      ASSERT_TRUE(log->append(batch).ok());
      batch.clear();
    }
  }
  std::vector<uint64_t> seen;
  size_t chunks = 0;
  ASSERT_TRUE(log->scan_chunks(1, kEvents,
                               [&](std::span<Event> chunk) {
                                 ++chunks;
                                 for (const Event& e : chunk) seen.push_back(e.position);
                                 return true;
                               })
                  .ok());
  ASSERT_EQ(seen.size(), kEvents);
  for (uint64_t i = 0; i < kEvents; ++i) ASSERT_EQ(seen[i], i + 1);
  EXPECT_GE(chunks, 3u);  // 4,096 at most each
  // Stopped after the first chunk: no other is handed over.
  size_t calls = 0;
  ASSERT_TRUE(log->scan_chunks(500, kEvents,
                               [&](std::span<Event> chunk) {
                                 ++calls;
                                 EXPECT_EQ(chunk.front().position, 500u);
                                 return false;
                               })
                  .ok());
  EXPECT_EQ(calls, 1u);
}

TEST_F(EventLogTest, ScansBackExactlyTheEventsWritten) {
  const auto written = write_three();
  auto log = open();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(scan_all(*log), written);
}

TEST_F(EventLogTest, ScansOnlyTheRequestedRangeAndStopsWhenAsked) {
  const auto written = write_three();
  auto log = open();
  ASSERT_NE(log, nullptr);
  std::vector<uint64_t> seen;
  ASSERT_TRUE(log->scan(2, 2,
                        [&](const Event& e) {
                          seen.push_back(e.position);
                          return true;
                        })
                  .ok());
  EXPECT_EQ(seen, std::vector<uint64_t>{2});
  seen.clear();
  ASSERT_TRUE(log->scan(1, 3,
                        [&](const Event& e) {
                          seen.push_back(e.position);
                          return false;
                        })
                  .ok());
  EXPECT_EQ(seen, std::vector<uint64_t>{1});
}

TEST_F(EventLogTest, ContinuesAppendingAfterReopening) {
  write_three();
  auto log = open();
  ASSERT_NE(log, nullptr);
  const std::vector<Event> more = {
      make_event(4, b_, 2, step(OrderStatus::kAccepted, OrderStatus::kCancelled))};
  ASSERT_TRUE(log->append(more).ok());
  EXPECT_EQ(log->last_position(), 4u);
  auto all = scan_all(*log);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all.back(), more[0]);
}

TEST_F(EventLogTest, ReadsOneStreamInVersionOrder) {
  const auto written = write_three();
  auto log = open();
  ASSERT_NE(log, nullptr);
  std::vector<Event> a_events;
  ASSERT_TRUE(log->read_stream(a_,
                               [&](const Event& e) {
                                 a_events.push_back(e);
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(a_events, (std::vector<Event>{written[0], written[2]}));

  std::vector<Event> b_events;
  ASSERT_TRUE(log->read_stream(b_,
                               [&](const Event& e) {
                                 b_events.push_back(e);
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(b_events, std::vector<Event>{written[1]});

  int unknown = 0;
  ASSERT_TRUE(log->read_stream(Uuid::v7(),
                               [&](const Event&) {
                                 ++unknown;
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(unknown, 0);
}

TEST_F(EventLogTest, IndexesEveryStreamVersion) {
  write_three();
  auto log = open();
  ASSERT_NE(log, nullptr);
  std::vector<std::tuple<Uuid, uint64_t, uint64_t>> index;
  ASSERT_TRUE(log->scan_stream_index([&](const Uuid& s, uint64_t v, uint64_t p) {
                   index.emplace_back(s, v, p);
                   return true;
                 })
                  .ok());
  std::sort(index.begin(), index.end(),
            [](const auto& x, const auto& y) { return std::get<2>(x) < std::get<2>(y); });
  ASSERT_EQ(index.size(), 3u);
  EXPECT_EQ(index[0], std::make_tuple(a_, uint64_t{1}, uint64_t{1}));
  EXPECT_EQ(index[1], std::make_tuple(b_, uint64_t{1}, uint64_t{2}));
  EXPECT_EQ(index[2], std::make_tuple(a_, uint64_t{2}, uint64_t{3}));
}

TEST_F(EventLogTest, RefusesAPositionThatSkipsAheadAndWritesNothing) {
  auto log = open();
  ASSERT_NE(log, nullptr);
  const std::vector<Event> first = {make_event(1, a_, 1)};
  ASSERT_TRUE(log->append(first).ok());

  const std::vector<Event> gap = {make_event(3, a_, 2)};
  Status s = log->append(gap);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);

  // A batch whose first event fits but whose second skips is refused whole.
  const std::vector<Event> torn = {make_event(2, a_, 2), make_event(4, a_, 3)};
  ASSERT_FALSE(log->append(torn).ok());
  EXPECT_EQ(log->last_position(), 1u);
  EXPECT_EQ(scan_all(*log), first);

  log.reset();
  auto reopened = open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->last_position(), 1u);
  EXPECT_EQ(scan_all(*reopened), first);
}

TEST_F(EventLogTest, RefusesARepeatedPosition) {
  auto log = open();
  ASSERT_NE(log, nullptr);
  const std::vector<Event> first = {make_event(1, a_, 1)};
  ASSERT_TRUE(log->append(first).ok());
  const std::vector<Event> again = {make_event(1, b_, 1)};
  EXPECT_FALSE(log->append(again).ok());
  EXPECT_EQ(scan_all(*log), first);
}

TEST_F(EventLogTest, AcceptsAnEmptyBatch) {
  auto log = open();
  ASSERT_NE(log, nullptr);
  EXPECT_TRUE(log->append(std::span<const Event>{}).ok());
  EXPECT_EQ(log->last_position(), 0u);
}

TEST_F(EventLogTest, RefusesASecondWriterWithAClearMessage) {
  auto first = open();
  ASSERT_NE(first, nullptr);
  auto second = EventLog::open(log_dir(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(second.error().message.find("in use"), std::string::npos) << second.error().message;
}

TEST_F(EventLogTest, OpensReadOnlyWhileAWriterHoldsTheDirectory) {
  const auto written = write_three();
  auto writer = open();
  ASSERT_NE(writer, nullptr);
  auto reader = open({Durability::kSync, true});
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->last_position(), 3u);
  EXPECT_EQ(scan_all(*reader), written);
  const std::vector<Event> more = {make_event(4, b_, 2)};
  EXPECT_FALSE(reader->append(more).ok()) << "a read-only log accepted a write";
  EXPECT_TRUE(writer->append(more).ok());
}

TEST_F(EventLogTest, DoesNotCreateADirectoryWhenOpenedReadOnly) {
  auto log = EventLog::open(log_dir(), {Durability::kSync, true});
  EXPECT_FALSE(log.ok());
  EXPECT_FALSE(std::filesystem::exists(log_dir() / "CURRENT"));
}

TEST_F(EventLogTest, WritesInAsyncModeToo) {
  auto log = open({Durability::kAsync, false});
  ASSERT_NE(log, nullptr);
  const std::vector<Event> events = {make_event(1, a_, 1), make_event(2, a_, 2)};
  ASSERT_TRUE(log->append(events).ok());
  log.reset();
  auto reopened = open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(scan_all(*reopened), events);
}

TEST_F(EventLogTest, ReportsACorruptedValueNamingItsPosition) {
  write_three();
  with_raw_db([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& events) {
    std::string value;
    ASSERT_TRUE(db.Get({}, &events, key(2), &value).ok());
    value[value.size() / 2] = static_cast<char>(value[value.size() / 2] ^ 0x01);
    ASSERT_TRUE(db.Put({}, &events, key(2), value).ok());
  });

  auto log = open({Durability::kSync, true});
  ASSERT_NE(log, nullptr);
  std::vector<uint64_t> seen;
  Status s = log->scan(1, UINT64_MAX, [&](const Event& e) {
    seen.push_back(e.position);
    return true;
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kCorruption);
  EXPECT_NE(s.error().message.find("position 2"), std::string::npos) << s.error().message;
  EXPECT_EQ(seen, std::vector<uint64_t>{1}) << "the scan went past the corrupt event";

  // Reading the damaged event through its stream fails the same way.
  Status stream = log->read_stream(b_, [](const Event&) { return true; });
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.error().code, ErrorCode::kCorruption);
}

TEST_F(EventLogTest, VerifyReportsACorruptedValue) {
  write_three();
  with_raw_db([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& events) {
    std::string value;
    ASSERT_TRUE(db.Get({}, &events, key(2), &value).ok());
    value.back() = static_cast<char>(value.back() ^ 0x40);
    ASSERT_TRUE(db.Put({}, &events, key(2), value).ok());
  });
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 1);
  EXPECT_NE(err.str().find("position 2"), std::string::npos) << err.str();
}

TEST_F(EventLogTest, VerifyReportsAGap) {
  write_three();
  with_raw_db([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& events) {
    ASSERT_TRUE(db.Delete({}, &events, key(2)).ok());
  });
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 1);
  EXPECT_NE(err.str().find("position 3"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("gap"), std::string::npos) << err.str();
}

TEST_F(EventLogTest, VerifyReportsAMissingLastEventThroughTheStreamIndex) {
  write_three();
  with_raw_db([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& events) {
    ASSERT_TRUE(db.Delete({}, &events, key(3)).ok());
  });
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 1);
  EXPECT_NE(err.str().find("position 3"), std::string::npos) << err.str();
}

TEST_F(EventLogTest, VerifyReportsAnEventStoredUnderTheWrongPosition) {
  write_three();
  with_raw_db([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& events) {
    std::string value;
    ASSERT_TRUE(db.Get({}, &events, key(3), &value).ok());
    ASSERT_TRUE(db.Put({}, &events, key(2), value).ok());  // position 2 now holds event 3
  });
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 1);
  EXPECT_NE(err.str().find("position 2"), std::string::npos) << err.str();
}

TEST_F(EventLogTest, VerifyCatchesAnEditedEventWhoseChecksumWasRecomputed) {
  write_three();
  with_raw_db([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& events) {
    // A careful forger: decode, change the reason, re-encode with a fresh CRC.
    std::string value;
    ASSERT_TRUE(db.Get({}, &events, key(2), &value).ok());
    auto event = decode_event(value);
    ASSERT_TRUE(event.ok());
    std::get<OrderStatusChanged>(event->payload).reason = "nothing happened here";
    std::string forged;
    encode_event(*event, forged);
    ASSERT_TRUE(decode_event(forged).ok()) << "the forgery must pass the checksum";
    ASSERT_TRUE(db.Put({}, &events, key(2), forged).ok());
  });
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 1);
  EXPECT_NE(err.str().find("hash chain"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("1..3"), std::string::npos) << err.str();
}

TEST_F(EventLogTest, VerifyReportsAStreamVersionGap) {
  auto log = open();
  ASSERT_TRUE(log->append(std::vector<Event>{make_event(1, a_, 1, restaurant())}).ok());
  ASSERT_TRUE(log->append(std::vector<Event>{make_event(
                              2, a_, 3, step(OrderStatus::kPending, OrderStatus::kAccepted))})
                  .ok());
  log.reset();
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 1);
  EXPECT_NE(err.str().find("position 2"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("version 1 to 3"), std::string::npos) << err.str();
}

TEST_F(EventLogTest, TheHashChainContinuesAcrossRestarts) {
  write_three();
  append_alone(make_event(4, b_, 2, step(OrderStatus::kAccepted, OrderStatus::kReady)));
  append_alone(make_event(5, b_, 3, step(OrderStatus::kReady, OrderStatus::kDelivered)));
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 0) << err.str();
  EXPECT_NE(out.str().find("5 events in 3 batches"), std::string::npos) << out.str();
}

TEST_F(EventLogTest, VerifyReportsADeletedLinkOfTheChain) {
  write_three();
  append_alone(make_event(4, b_, 2, step(OrderStatus::kAccepted, OrderStatus::kReady)));
  // Deleting the first batch's link makes two batches hash as one: caught.
  with_raw_families([&](rocksdb::DB& db, auto& handles) {
    ASSERT_TRUE(db.Delete({}, handles[3], chain_key(3)).ok());
  });
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 1);
  EXPECT_NE(err.str().find("hash chain"), std::string::npos) << err.str();
}

// An idempotency key of the command that wrote `a_` version 2 at
// `position` (3 is where it is).
IdempotencyRecord key_of_second_step(const Uuid& stream, uint64_t position) {
  return {"owner:u-1 POST /v1/orders/x/status k-1", 42, stream, 2, position, 1'000'000};
}

TEST_F(EventLogTest, VerifyChecksTheIdempotencyIndexAgainstTheLog) {
  {
    auto log = open();
    const std::vector<Event> events = {
        make_event(1, a_, 1, restaurant()),
        make_event(2, a_, 2, step(OrderStatus::kPending, OrderStatus::kAccepted))};
    const std::vector<IdempotencyRecord> keys = {key_of_second_step(a_, 2)};
    ASSERT_TRUE(log->append(events, keys).ok());
  }
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 0) << err.str();
  EXPECT_NE(out.str().find("1 idempotency keys"), std::string::npos) << out.str();

  // A key that names a position holding another event: caught, and named.
  append_alone(make_event(3, b_, 1, step(OrderStatus::kPending, OrderStatus::kAccepted)));
  {
    auto log = open();
    const std::vector<Event> events = {
        make_event(4, b_, 2, step(OrderStatus::kAccepted, OrderStatus::kReady))};
    const std::vector<IdempotencyRecord> keys = {
        {"owner:u-1 POST /v1/orders/y/status k-2", 7, b_, 2, 3, 2'000'000}};
    ASSERT_TRUE(log->append(events, keys).ok());
  }
  std::ostringstream out2, err2;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out2, err2), 1);
  EXPECT_NE(err2.str().find("idempotency index: the key 'owner:u-1 POST /v1/orders/y/status k-2' "
                            "points at position 3"),
            std::string::npos)
      << err2.str();
}

TEST_F(EventLogTest, QuickVerifyChecksChecksumsAndTheChainOnly) {
  write_three();
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err, /*quick=*/true), 0) << err.str();
  EXPECT_NE(out.str().find("quick"), std::string::npos) << out.str();
  // An index entry lost: the full check finds it, the quick one does not look.
  with_raw_families([&](rocksdb::DB& db, auto& handles) {
    std::string index_key(a_.raw());
    put_u64_be(index_key, 2);
    ASSERT_TRUE(db.Delete({}, handles[2], index_key).ok());
  });
  std::ostringstream quick_out, quick_err, full_out, full_err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), quick_out, quick_err, true), 0) << quick_err.str();
  EXPECT_EQ(comanda::tools::verify(data_.path(), full_out, full_err), 1);
  EXPECT_NE(full_err.str().find("stream index"), std::string::npos) << full_err.str();
  // A flipped byte: the quick check's own business.
  with_raw_db([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& events) {
    std::string value;
    ASSERT_TRUE(db.Get({}, &events, key(2), &value).ok());
    value.back() = static_cast<char>(value.back() ^ 0x40);
    ASSERT_TRUE(db.Put({}, &events, key(2), value).ok());
  });
  std::ostringstream flipped_out, flipped_err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), flipped_out, flipped_err, true), 1);
  EXPECT_NE(flipped_err.str().find("position 2"), std::string::npos) << flipped_err.str();
}

TEST_F(EventLogTest, VerifyPassesAHealthyLog) {
  write_three();
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 0) << err.str();
  EXPECT_TRUE(err.str().empty()) << err.str();
  EXPECT_NE(out.str().find("3 events"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("2 streams"), std::string::npos) << out.str();
}

TEST_F(EventLogTest, VerifyRunsBesideALiveWriter) {
  write_three();
  auto writer = open();
  ASSERT_NE(writer, nullptr);
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 0) << err.str();
}

TEST_F(EventLogTest, VerifyFailsOnAMissingDataDirectory) {
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path() / "absent", out, err), 1);
  EXPECT_FALSE(err.str().empty());
}

}  // namespace

namespace {

TEST_F(EventLogTest, WritesSeveralBatchesInOneWriteEachWithItsOwnLink) {
  {
    auto log = open();
    const std::vector<Event> first = {make_event(1, a_, 1, restaurant())};
    const std::vector<Event> second = {
        make_event(2, b_, 1, step(OrderStatus::kPending, OrderStatus::kAccepted)),
        make_event(3, a_, 2, step(OrderStatus::kAccepted, OrderStatus::kReady))};
    ChainHasher hasher;
    EncodedBatch a, b;
    encode_batch(first, {}, log->chain_head(), hasher, a);
    encode_batch(second, {}, a.link, hasher, b);
    const std::vector<const EncodedBatch*> units = {&a, &b};
    ASSERT_TRUE(log->append(units).ok());
    EXPECT_EQ(log->last_position(), 3u);
  }
  std::ostringstream out, err;
  EXPECT_EQ(comanda::tools::verify(data_.path(), out, err), 0) << err.str();
  EXPECT_NE(out.str().find("3 events in 2 batches"), std::string::npos) << out.str();
}

}  // namespace

namespace {

TEST_F(EventLogTest, ReadsAStreamOnlyUpToAGivenPosition) {
  write_three();  // A v1 @1, B v1 @2, A v2 @3
  auto log = open();
  std::vector<uint64_t> seen;
  ASSERT_TRUE(log->read_stream(
                     a_,
                     [&](const Event& e) {
                       seen.push_back(e.position);
                       return true;
                     },
                     /*up_to=*/2)
                  .ok());
  EXPECT_EQ(seen, std::vector<uint64_t>{1});
}

}  // namespace
