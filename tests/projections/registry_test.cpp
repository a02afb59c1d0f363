// The projection registry (projections/registry.h) and the view store's
// rows per model (projections/view_store.h), with models made for the test:
// any class deriving from Projection is fanned batches out to, found by its
// type, and snapshotted under its own name without the store reading its
// rows.
#include "projections/registry.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "projections/view_store.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda;
using namespace comanda::test_support;
using engine::Event;
using projections::Projection;
using projections::ProjectionRegistry;

// Remembers the positions it saw; its rows are "position -> stream".
class Ledger : public Projection {
 public:
  explicit Ledger(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  void apply(std::span<const Event> events) override {
    for (const Event& e : events) seen_[e.position] = e.stream.to_string();
    position_ = events.back().position;
    ++batches_;
  }
  void reset(uint64_t position) override {
    seen_.clear();
    position_ = position;
  }
  uint64_t position() const override { return position_; }
  engine::Status save(const projections::RowSink& put) const override {
    for (const auto& [position, stream] : seen_)
      if (auto s = put(std::to_string(position), stream); !s.ok()) return s;
    return {};
  }
  engine::Status load_row(std::string_view key, std::string_view value) override {
    if (value.size() != 36) return engine::Error::corruption("not a stream");
    seen_[std::stoull(std::string(key))] = std::string(value);
    return {};
  }
  void finish_load() override { ++loads_; }

  std::map<uint64_t, std::string> seen_;
  uint64_t position_ = 0;
  int batches_ = 0;
  int loads_ = 0;

 private:
  std::string name_;
};

// Another kind of model, to be told apart by type.
class Tally : public Ledger {
 public:
  Tally() : Ledger("tally") {}
};

std::vector<std::unique_ptr<Projection>> two_models() {
  std::vector<std::unique_ptr<Projection>> models;
  models.push_back(std::make_unique<Ledger>("ledger"));
  models.push_back(std::make_unique<Tally>());
  return models;
}

std::vector<Event> events(uint64_t from, uint64_t to) {
  std::vector<Event> out;
  for (uint64_t p = from; p <= to; ++p) {
    Event& e = out.emplace_back();
    e.position = p;
    e.stream = engine::Uuid::v7();
  }
  return out;
}

TEST(ProjectionRegistry, FansEachBatchOutToEveryModelAndFindsThemByType) {
  ProjectionRegistry registry{two_models()};
  registry.apply(events(1, 3));
  registry.apply(events(4, 4));
  Ledger& ledger = registry.get<Ledger>();
  Tally& tally = registry.get<Tally>();
  EXPECT_EQ(ledger.name(), "ledger") << "the first model that is a Ledger";
  EXPECT_EQ(tally.name(), "tally");
  for (Ledger* model : {&ledger, static_cast<Ledger*>(&tally)}) {
    EXPECT_EQ(model->seen_.size(), 4u);
    EXPECT_EQ(model->position(), 4u);
    EXPECT_EQ(model->batches_, 2);
  }
  EXPECT_EQ(registry.position(), 4u);
  EXPECT_FALSE(registry.has_gap());
}

TEST(ProjectionRegistry, SkipsWhatWasAppliedAndRemembersASkippedPosition) {
  ProjectionRegistry registry{two_models()};
  registry.apply(events(1, 3));
  registry.apply(events(2, 3));  // published again, after a recovery
  EXPECT_EQ(registry.get<Tally>().batches_, 1);
  registry.apply(events(2, 5));  // partly new: only 4 and 5 reach the models
  EXPECT_EQ(registry.get<Tally>().batches_, 2);
  EXPECT_EQ(registry.get<Tally>().seen_.size(), 5u);
  EXPECT_FALSE(registry.has_gap());
  registry.apply(events(7, 7));
  EXPECT_TRUE(registry.has_gap());
  EXPECT_EQ(registry.position(), 7u);
}

// A log and a view store in a temporary directory.
class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = engine::EventLog::open(dir_.path() / "log", {engine::Durability::kAsync, false});
    ASSERT_TRUE(log.ok()) << log.error().message;
    log_ = std::move(log).value();
    auto views = projections::ViewStore::open(dir_.path() / "views");
    ASSERT_TRUE(views.ok()) << views.error().message;
    views_ = std::move(views).value();
  }

  TempDir dir_;
  std::unique_ptr<engine::EventLog> log_;
  std::unique_ptr<projections::ViewStore> views_;
};

TEST_F(SnapshotTest, EachModelsRowsGoBackToItUnderItsOwnName) {
  const std::vector<Event> written = events(1, 3);
  ASSERT_TRUE(log_->append(written).ok());

  ProjectionRegistry live{two_models()};
  live.apply(written);
  live.get<Tally>().seen_.erase(2);  // the models differ: rows are each model's own
  ASSERT_TRUE(views_->save(live, *log_).ok());

  ProjectionRegistry loaded{two_models()};
  auto checkpoint = views_->load(loaded, *log_);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.error().message;
  EXPECT_EQ(*checkpoint, 3u);
  EXPECT_EQ(loaded.get<Ledger>().seen_, live.get<Ledger>().seen_);
  EXPECT_EQ(loaded.get<Tally>().seen_, live.get<Tally>().seen_);
  EXPECT_EQ(loaded.get<Tally>().position(), 3u);
  EXPECT_EQ(loaded.get<Tally>().loads_, 1);
}

TEST_F(SnapshotTest, ARowAModelCannotReadLeavesEveryModelEmpty) {
  const std::vector<Event> written = events(1, 2);
  ASSERT_TRUE(log_->append(written).ok());
  ProjectionRegistry live{two_models()};
  live.apply(written);
  live.get<Tally>().seen_[9] = "not a stream";
  ASSERT_TRUE(views_->save(live, *log_).ok());

  ProjectionRegistry loaded{two_models()};
  std::string why;
  auto checkpoint = views_->load(loaded, *log_, &why);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, 0u);
  EXPECT_NE(why.find("not a stream"), std::string::npos) << why;
  EXPECT_TRUE(loaded.get<Ledger>().seen_.empty());
  EXPECT_EQ(loaded.position(), 0u);
}

TEST_F(SnapshotTest, ASnapshotWithRowsOfAModelThisBuildLacksIsNotUsed) {
  const std::vector<Event> written = events(1, 2);
  ASSERT_TRUE(log_->append(written).ok());
  ProjectionRegistry live{two_models()};
  live.apply(written);
  ASSERT_TRUE(views_->save(live, *log_).ok());

  std::vector<std::unique_ptr<Projection>> fewer;
  fewer.push_back(std::make_unique<Ledger>("ledger"));
  ProjectionRegistry loaded{std::move(fewer)};
  std::string why;
  auto checkpoint = views_->load(loaded, *log_, &why);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, 0u) << "the tally's rows are not this build's";
  EXPECT_NE(why.find("rows"), std::string::npos) << why;
  EXPECT_TRUE(loaded.get<Ledger>().seen_.empty());
}

TEST_F(SnapshotTest, ModelsThatMovedPastTheCheckpointAreNotSnapshotted) {
  ASSERT_TRUE(log_->append(events(1, 2)).ok());
  ProjectionRegistry live{two_models()};
  live.apply(events(1, 2));
  live.get<Tally>().position_ = 3;  // applied beyond the registry's checkpoint
  EXPECT_FALSE(views_->save(live, *log_).ok());
}

}  // namespace
