// The cold order store in views/ (projections/cold_orders.h): rows by id,
// and index keys walked newest first from a cursor, each prefix apart from
// every other.
#include "projections/cold_orders.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "projections/view_store.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using comanda::projections::ColdOrders;
using comanda::projections::ViewStore;
using Keys = ColdOrders::Keys;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ColdOrdersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = ViewStore::open(dir_.path() / "views");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    views_ = std::move(opened).value();
  }
  ColdOrders& cold() { return views_->cold_orders(); }

  // Orders at positions 10, 20, ... under the given prefixes.
  std::vector<Uuid> put(const std::vector<std::vector<std::string>>& listed) {
    std::vector<ColdOrders::Change> changes;
    std::vector<Uuid> ids;
    for (size_t i = 0; i < listed.size(); ++i) {
      ids.push_back(Uuid::v7());
      changes.push_back({{10 * (i + 1), ids.back()}, "row " + std::to_string(i), listed[i], {}});
    }
    EXPECT_TRUE(cold().write(changes).ok());
    return ids;
  }
  std::vector<uint64_t> walk(const std::string& prefix, uint64_t before = 0) {
    std::vector<uint64_t> out;
    auto w = cold().walk(prefix, before);
    for (ColdOrders::Placement p; w->next(p);) out.push_back(p.first);
    EXPECT_TRUE(w->status().ok());
    return out;
  }

  comanda::test_support::TempDir dir_;
  std::unique_ptr<ViewStore> views_;
  const Uuid r1_ = Uuid::v7(), r2_ = Uuid::v7();
};

TEST_F(ColdOrdersTest, KeepsRowsByIdAndWalksEachIndexNewestFirstFromACursor) {
  const auto ids = put({{Keys::all(), Keys::restaurant(r1_)},
                        {Keys::all(), Keys::restaurant(r2_)},
                        {Keys::all(), Keys::restaurant(r1_)},
                        {Keys::all(), Keys::restaurant(r1_)}});
  EXPECT_EQ(**cold().row(ids[2]), "row 2");
  EXPECT_FALSE(*cold().row(Uuid::v7()));
  EXPECT_THAT(walk(Keys::all()), ElementsAre(40, 30, 20, 10));
  EXPECT_THAT(walk(Keys::restaurant(r1_)), ElementsAre(40, 30, 10));
  EXPECT_THAT(walk(Keys::restaurant(r1_), 30), ElementsAre(10));  // placed before 30
  EXPECT_THAT(walk(Keys::restaurant(r1_), 31), ElementsAre(30, 10));
  EXPECT_THAT(walk(Keys::restaurant(r2_), 20), IsEmpty());
  EXPECT_THAT(walk(Keys::restaurant(Uuid::v7())), IsEmpty());
  EXPECT_EQ(cold().count(Keys::restaurant(r1_), 100), 3u);
  EXPECT_EQ(cold().count(Keys::restaurant(r1_), 2), 2u);
  auto w = cold().walk(Keys::restaurant(r2_), 0);
  ColdOrders::Placement p;
  ASSERT_TRUE(w->next(p));
  EXPECT_EQ(p, (ColdOrders::Placement{20, ids[1]}));
}

TEST_F(ColdOrdersTest, KeepsEveryPrefixApartFromItsNeighbours) {
  // "an" and "ana" as customers, group 1 and 2, two dates, a driver.
  put({{Keys::customer("an"), Keys::group(r1_, 1), Keys::date(r1_, 20000)},
       {Keys::customer("ana"), Keys::group(r1_, 2), Keys::date(r1_, 20001)},
       {Keys::customer("an"), Keys::restaurant_customer(r1_, "an"), Keys::driver(r2_)}});
  EXPECT_THAT(walk(Keys::customer("an")), ElementsAre(30, 10));
  EXPECT_THAT(walk(Keys::customer("ana")), ElementsAre(20));
  EXPECT_THAT(walk(Keys::customer("a")), IsEmpty());
  EXPECT_THAT(walk(Keys::group(r1_, 1)), ElementsAre(10));
  EXPECT_THAT(walk(Keys::date(r1_, 20001)), ElementsAre(20));
  EXPECT_THAT(walk(Keys::restaurant_customer(r1_, "an")), ElementsAre(30));
  EXPECT_THAT(walk(Keys::driver(r2_)), ElementsAre(30));
  EXPECT_THAT(walk(Keys::driver(r1_)), IsEmpty());
}

TEST_F(ColdOrdersTest, AChangeMovesAnOrderBetweenListsAndAnEmptyRowRemovesIt) {
  const auto ids = put({{Keys::group(r1_, 1)}, {Keys::group(r1_, 1)}});
  ColdOrders::Change moved{
      {10, ids[0]}, "row 0, archived", {Keys::group(r1_, 2)}, {Keys::group(r1_, 1)}};
  ASSERT_TRUE(cold().write({&moved, 1}).ok());
  EXPECT_THAT(walk(Keys::group(r1_, 1)), ElementsAre(20));
  EXPECT_THAT(walk(Keys::group(r1_, 2)), ElementsAre(10));
  EXPECT_EQ(**cold().row(ids[0]), "row 0, archived");
  ColdOrders::Change gone{{20, ids[1]}, "", {}, {Keys::group(r1_, 1)}};
  ASSERT_TRUE(cold().write({&gone, 1}).ok());
  EXPECT_FALSE(*cold().row(ids[1]));
  EXPECT_THAT(walk(Keys::group(r1_, 1)), IsEmpty());

  ASSERT_TRUE(cold().clear().ok());
  EXPECT_FALSE(*cold().row(ids[0]));
  EXPECT_THAT(walk(Keys::group(r1_, 2)), IsEmpty());
}

TEST_F(ColdOrdersTest, OutlivesTheProcess) {
  const auto ids = put({{Keys::all()}});
  views_.reset();
  auto reopened = ViewStore::open(dir_.path() / "views");
  ASSERT_TRUE(reopened.ok());
  views_ = std::move(reopened).value();
  EXPECT_EQ(**cold().row(ids[0]), "row 0");
  EXPECT_THAT(walk(Keys::all()), ElementsAre(10));
}

}  // namespace
