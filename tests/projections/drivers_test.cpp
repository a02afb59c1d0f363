// Drivers: who may register one and report its position (engine/domain/driver.h),
// how a ping is stored (engine/log/event_codec.h), and the position a dashboard
// reads (projections/drivers.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "engine/log/event_codec.h"
#include "engine/pipeline/hot_state.h"
#include "tests/support/models_under_test.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'795'000'000'000'000;
const Principal kAdmin{"u-admin", Role::kAdmin};

// Decides and writes one command per batch, and applies it to the read
// models, as the sequencer does.
class DriversTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = EventLog::open(dir_.path() / "log", {Durability::kAsync, false});
    ASSERT_TRUE(log.ok()) << log.error().message;
    log_ = std::move(log).value();
  }

  CommandOutcome commit(Command command) {
    std::vector<Event> events;
    BatchContext ctx{now_ += 1'000'000, log_->last_position() + 1};
    CommandOutcome outcome = state_.decide(command, ctx, events);
    if (!outcome.ok()) {
      EXPECT_TRUE(events.empty()) << "a refused command produced events";
    }
    EXPECT_TRUE(log_->append(events).ok());
    models_.apply(events);
    return outcome;
  }

  Uuid registered(Principal who = driver()) {
    const Uuid id = Uuid::v7();
    auto outcome = commit(register_driver(id, std::move(who)));
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return id;
  }

  TempDir dir_;
  std::unique_ptr<EventLog> log_;
  HotState state_;
  ModelsUnderTest models_;
  int64_t now_ = kNow;
};

TEST_F(DriversTest, ADriverSignsThemselfUpUnderTheirOwnAccount) {
  const Uuid id = registered(driver("u-driver-7"));
  auto view = models_.driver_for(id, driver("u-driver-7"));
  ASSERT_TRUE(view);
  EXPECT_EQ(view->details.user_id, "u-driver-7");
  EXPECT_EQ(view->details.name, "Luis Rojas");
  EXPECT_EQ(view->version, 1u);
  EXPECT_FALSE(view->position);
}

TEST_F(DriversTest, ADriverCannotRegisterAnotherAccount) {
  Command c = register_driver(Uuid::v7(), driver("u-driver-1"));
  std::get<RegisterDriver>(c.body).details.user_id = "u-driver-2";
  auto outcome = commit(std::move(c));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(outcome.error().field, "user_id");
}

TEST_F(DriversTest, AnAdminRegistersADriverForAGivenAccountOnly) {
  Command without = register_driver(Uuid::v7(), kAdmin);
  auto refused = commit(std::move(without));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.error().field, "user_id");

  Command with = register_driver(Uuid::v7(), kAdmin);
  std::get<RegisterDriver>(with.body).details.user_id = "u-driver-9";
  auto accepted = commit(std::move(with));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_TRUE(models_.driver_for(accepted->stream, driver("u-driver-9")));
}

TEST_F(DriversTest, OwnersAndCustomersCannotRegisterDrivers) {
  for (const Principal& who : {owner(), customer()}) {
    auto outcome = commit(register_driver(Uuid::v7(), who));
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, ErrorCode::kForbidden);
  }
}

TEST_F(DriversTest, OneAccountIsOneDriverAlsoAfterARestart) {
  registered(driver("u-driver-1"));
  auto twice = commit(register_driver(Uuid::v7(), driver("u-driver-1")));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(twice.error().field, "user_id");

  HotState reloaded;
  ASSERT_TRUE(reloaded.load(*log_).ok());
  std::vector<Event> events;
  BatchContext ctx{now_ + 1, log_->last_position() + 1};
  auto after_restart =
      reloaded.decide(register_driver(Uuid::v7(), driver("u-driver-1")), ctx, events);
  ASSERT_FALSE(after_restart.ok());
  EXPECT_EQ(after_restart.error().code, ErrorCode::kConflict);
}

TEST_F(DriversTest, APingMovesTheDriverAndAdvancesItsVersion) {
  const Uuid id = registered();
  auto outcome = commit(report_location(id, -12.1234567, -77.0301234, now_));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->stream, id);
  EXPECT_EQ(outcome->stream_version, 2u);

  auto view = models_.driver_for(id, driver());
  ASSERT_TRUE(view && view->position);
  EXPECT_EQ(view->position->location.lat_e7, -121234567);
  EXPECT_EQ(view->position->location.lng_e7, -770301234);
  EXPECT_EQ(view->position->location.heading_deg, 90.0f);
  EXPECT_EQ(view->position->location.speed_mps, 8.5f);
  EXPECT_FALSE(view->position->location.accuracy_m);
  EXPECT_EQ(view->position->log_position, outcome->position);
  EXPECT_EQ(view->version, 2u);
}

TEST_F(DriversTest, OnlyTheDriversOwnAccountOrAnAdminReportsItsPosition) {
  const Uuid id = registered(driver("u-driver-1"));
  registered(driver("u-driver-2"));
  for (const Principal& who : {driver("u-driver-2"), owner(), customer()}) {
    auto outcome = commit(report_location(id, 1, 1, 0, who));
    ASSERT_FALSE(outcome.ok()) << who.subject;
    EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound) << who.subject;
  }
  EXPECT_TRUE(commit(report_location(id, 1, 1, 0, kAdmin)).ok());
  EXPECT_TRUE(commit(report_location(id, 1, 1, 0, driver("u-driver-1"))).ok());
}

TEST_F(DriversTest, AnUnknownDriverIsNotFound) {
  auto outcome = commit(report_location(Uuid::v7(), 1, 1));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound);
}

TEST_F(DriversTest, AStaleExpectedVersionIsRefused) {
  const Uuid id = registered();
  Command ping = report_location(id, 1, 1);
  ping.expected_version = 7;
  auto outcome = commit(std::move(ping));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kVersionMismatch);
  EXPECT_THAT(outcome.error().message, HasSubstr("current version is 1"));
}

TEST_F(DriversTest, ALatePingIsRecordedButNeverMovesTheDriverBack) {
  const Uuid id = registered();
  ASSERT_TRUE(commit(report_location(id, 10, 10, kNow + 60'000'000)).ok());
  auto late = commit(report_location(id, 20, 20, kNow + 30'000'000));
  ASSERT_TRUE(late.ok());
  auto view = models_.driver_for(id, driver());
  ASSERT_TRUE(view && view->position);
  EXPECT_EQ(view->position->location.lat_e7, 100000000);
  EXPECT_EQ(view->version, 3u) << "the late ping is in the driver's stream";
}

TEST_F(DriversTest, OthersCannotSeeADriver) {
  const Uuid id = registered(driver("u-driver-1"));
  EXPECT_TRUE(models_.driver_for(id, kAdmin));
  EXPECT_FALSE(models_.driver_for(id, driver("u-driver-2")));
  EXPECT_FALSE(models_.driver_for(id, owner()));
  EXPECT_FALSE(models_.driver_for(id, customer()));
  EXPECT_FALSE(models_.driver_for(Uuid::v7(), kAdmin));
}

TEST_F(DriversTest, APingsAudienceIsTheDriverAlone) {
  const Uuid id = registered(driver("u-driver-1"));
  ASSERT_TRUE(commit(report_location(id, 1, 1)).ok());
  std::vector<Event> stream;
  ASSERT_TRUE(log_->read_stream(id,
                                [&](const Event& e) {
                                  stream.push_back(e);
                                  return true;
                                })
                  .ok());
  ASSERT_EQ(stream.size(), 2u);
  for (const Event& e : stream) {
    auto audience = models_.audience(e);
    EXPECT_EQ(audience.driver_user, "u-driver-1");
    EXPECT_TRUE(audience.owners.empty());
    EXPECT_TRUE(audience.customer_id.empty());
  }
}

TEST_F(DriversTest, RebuildingFromTheLogGivesTheLivePositions) {
  const Uuid a = registered(driver("u-driver-1"));
  const Uuid b = registered(driver("u-driver-2"));
  ASSERT_TRUE(commit(report_location(a, 1.5, 2.5, kNow + 5)).ok());
  ASSERT_TRUE(commit(report_location(b, -3.25, 4.75, 0, driver("u-driver-2"))).ok());
  ASSERT_TRUE(commit(report_location(a, 1.0, 2.0, kNow + 1)).ok());  // late
  ModelsUnderTest rebuilt;
  ASSERT_TRUE(rebuilt.rebuild(*log_).ok());
  for (const Uuid& id : {a, b}) {
    auto live = models_.driver_for(id, kAdmin);
    auto again = rebuilt.driver_for(id, kAdmin);
    ASSERT_TRUE(live && again && live->position && again->position);
    EXPECT_EQ(again->position->location, live->position->location);
    EXPECT_EQ(again->position->log_position, live->position->log_position);
    EXPECT_EQ(again->version, live->version);
  }
}

// A ping as the engine records it: the driver is its own partition.
Event ping_event(DriverLocationReported ping, uint64_t position = 9) {
  Event e;
  e.position = position;
  e.stream = e.partition = Uuid::v7();
  e.stream_version = 4;
  e.recorded_at_us = kNow;
  e.actor = driver("u-driver-123456");
  e.correlation_id = Uuid::v7();
  ping.lat_e7 = -121234567;
  ping.lng_e7 = -770301234;
  e.payload = ping;
  return e;
}

TEST(DriverEvents, RoundTripThroughTheStoredForm) {
  DriverLocationReported ping;
  ping.heading_deg = 271.5f;
  ping.accuracy_m = 4.0f;
  ping.reported_at_us = kNow - 800'000;
  Event e = ping_event(ping);

  std::string stored;
  encode_event(e, stored);
  auto back = decode_event(stored);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, e);
  EXPECT_FALSE(std::get<DriverLocationReported>(back->payload).speed_mps);

  e.payload = DriverRegistered{"Luis", "+51 1", "u-driver-1", "moto"};
  stored.clear();
  encode_event(e, stored);
  back = decode_event(stored);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(DriverEvents, APingIsStoredCompactly) {
  // The log's most frequent event: the driver is its own partition (stored
  // once) and coordinates are integers.
  DriverLocationReported ping;
  ping.heading_deg = 90;
  ping.speed_mps = 8.5f;
  ping.reported_at_us = kNow;
  Event e = ping_event(ping, 123'456'789);
  e.stream_version = 40'000;
  std::string stored;
  encode_event(e, stored);
  EXPECT_LE(stored.size(), 120u);
  e.partition = Uuid::v7();
  std::string with_partition;
  encode_event(e, with_partition);
  EXPECT_EQ(with_partition.size(), stored.size() + 18) << "partition stored only when different";
}

}  // namespace
