// The menu's rules (engine/domain/menu.h): replacing a menu, adding,
// changing and removing items, who may, and what each records.
#include "engine/domain/menu.h"

#include <gtest/gtest.h>

#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

class MenuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registered = state_.decide(register_restaurant(restaurant_));
    ASSERT_TRUE(registered.ok()) << registered.error().message;
  }

  // Validates as the command path does, then decides.
  template <class C>
  Decided run(C command, Principal who = owner(), std::optional<uint64_t> version = {}) {
    if (Status valid = validate(command); !valid.ok()) return {valid, std::nullopt, {}};
    return state_.decide({std::move(who), std::move(command), version});
  }

  Decided put_menu(std::vector<MenuItem> items = burger_menu_items()) {
    return run(ReplaceMenu{restaurant_, std::move(items)});
  }

  const MenuState* menu() const { return state_.find<Menu>(menu_stream_of(restaurant_)); }

  const Uuid restaurant_ = Uuid::v7();
  DomainState state_;
};

TEST_F(MenuTest, AMenuLivesOnAStreamOfItsOwnDerivedFromItsRestaurant) {
  const Uuid stream = menu_stream_of(restaurant_);
  EXPECT_NE(stream, restaurant_);
  EXPECT_EQ(menu_stream_of(stream), restaurant_);
  EXPECT_NE(menu_stream_of(Uuid::v7()), stream);
  auto put = put_menu();
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put.event().stream, stream);
  EXPECT_EQ(put.event().partition, restaurant_);  // its audience is the restaurant's
  EXPECT_EQ(put.event().stream_version, 1u);
}

TEST_F(MenuTest, ReplacingKeepsItemsBySku) {
  std::vector<MenuItem> items = burger_menu_items();
  std::swap(items[0], items[1]);  // SODA first
  ASSERT_TRUE(put_menu(items).ok());
  ASSERT_NE(menu(), nullptr);
  ASSERT_EQ(menu()->items.all().size(), 2u);
  EXPECT_EQ(menu()->items.all()[0].sku, "BURGER");
  EXPECT_EQ(menu()->items.find("SODA")->price, 500);
  EXPECT_EQ(menu()->items.find("PIZZA"), nullptr);
  // The same menu again records nothing.
  auto again = put_menu(items);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(menu()->version, 1u);
}

TEST_F(MenuTest, ChangingOnlyTheAvailabilityRecordsJustThat) {
  ASSERT_TRUE(put_menu().ok());
  MenuItemPatch sold_out;
  sold_out.available = false;
  auto outcome = run(ChangeMenuItem{restaurant_, "BURGER", sold_out});
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(std::get<MenuItemAvailabilityChanged>(outcome.event().payload),
            (MenuItemAvailabilityChanged{"BURGER", false}));
  EXPECT_FALSE(menu()->items.find("BURGER")->available);

  MenuItemPatch dearer;
  dearer.price = 1600;
  dearer.available = true;
  outcome = run(ChangeMenuItem{restaurant_, "BURGER", dearer});
  ASSERT_TRUE(outcome.ok());
  const MenuItem& item = std::get<MenuItemUpserted>(outcome.event().payload).item;
  EXPECT_EQ(item.price, 1600);
  EXPECT_TRUE(item.available);
  EXPECT_EQ(item.modifiers, burger_menu_items()[0].modifiers);  // the rest as it was
  EXPECT_EQ(menu()->version, 3u);

  auto unchanged = run(ChangeMenuItem{restaurant_, "BURGER", dearer});
  ASSERT_TRUE(unchanged.ok());
  EXPECT_TRUE(unchanged.events.empty());
}

TEST_F(MenuTest, ItemsAreAddedReplacedAndRemovedOneAtATime) {
  MenuItem pizza{"PIZZA", "Pizza margarita", 3200, true, {{"Extra queso", 500}}, {"albahaca"}};
  auto added = run(PutMenuItem{restaurant_, pizza});  // the menu's first change
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(menu()->items.find("PIZZA")->name, "Pizza margarita");
  pizza.price = 3000;
  ASSERT_TRUE(run(PutMenuItem{restaurant_, pizza}).ok());
  EXPECT_EQ(menu()->items.find("PIZZA")->price, 3000);
  auto removed = run(RemoveMenuItem{restaurant_, "PIZZA"});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(std::get<MenuItemRemoved>(removed.event().payload).sku, "PIZZA");
  EXPECT_EQ(menu()->items.find("PIZZA"), nullptr);
  auto again = run(RemoveMenuItem{restaurant_, "PIZZA"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto absent = run(ChangeMenuItem{restaurant_, "PIZZA", {}});
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
}

TEST_F(MenuTest, WhoMayChangeAMenu) {
  auto stranger = run(ReplaceMenu{restaurant_, burger_menu_items()}, owner("u-owner-2"));
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);  // as an absent restaurant
  for (const Principal& who : {customer(), driver()}) {
    auto refused = run(ReplaceMenu{restaurant_, burger_menu_items()}, who);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  }
  auto unknown = run(ReplaceMenu{Uuid::v7(), burger_menu_items()}, admin());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(run(ReplaceMenu{restaurant_, burger_menu_items()}, admin()).ok());
}

TEST_F(MenuTest, IfMatchIsTheMenusVersionZeroBeforeItsFirstChange) {
  auto stale = run(ReplaceMenu{restaurant_, burger_menu_items()}, owner(), 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kVersionMismatch);
  ASSERT_TRUE(run(ReplaceMenu{restaurant_, burger_menu_items()}, owner(), 0).ok());
  MenuItemPatch p;
  p.price = 1;
  EXPECT_EQ(run(ChangeMenuItem{restaurant_, "SODA", p}, owner(), 0).error().code,
            ErrorCode::kVersionMismatch);
  EXPECT_TRUE(run(ChangeMenuItem{restaurant_, "SODA", p}, owner(), 1).ok());
}

TEST_F(MenuTest, RefusesItemsThatBreakTheRules) {
  struct Case {
    const char* why;
    MenuItem item;
    std::string field;
  };
  const MenuItem good = burger_menu_items()[0];
  std::vector<Case> cases;
  auto with = [&](const char* why, std::string field, auto change) {
    MenuItem item = good;
    change(item);
    cases.push_back({why, std::move(item), std::move(field)});
  };
  with("sku with a space", "items[0].sku", [](MenuItem& i) { i.sku = "BIG MAC"; });
  with("empty sku", "items[0].sku", [](MenuItem& i) { i.sku = ""; });
  with("empty name", "items[0].name", [](MenuItem& i) { i.name = ""; });
  with("negative price", "items[0].price", [](MenuItem& i) { i.price = -1; });
  with("repeated modifier", "items[0].modifiers[1].name", [](MenuItem& i) {
    i.modifiers.push_back({"EXTRA CHEESE", 100});
  });
  with("modifier named as a removal", "items[0].modifiers[1].name", [](MenuItem& i) {
    i.modifiers.push_back({"No pickles", 0});
  });
  with("removal spelt as ordered", "items[0].removals[2]",
       [](MenuItem& i) { i.removals.push_back("No pickles"); });
  with("repeated removal", "items[0].removals[2]",
       [](MenuItem& i) { i.removals.push_back("Onion"); });
  for (const Case& c : cases) {
    auto refused = put_menu({c.item});
    ASSERT_FALSE(refused.ok()) << c.why;
    EXPECT_EQ(refused.error().field, c.field) << c.why << ": " << refused.error().message;
  }
  std::vector<MenuItem> twice = {good, good};
  EXPECT_EQ(put_menu(twice).error().field, "items[1].sku");
  EXPECT_EQ(menu(), nullptr);  // nothing was recorded
}

TEST_F(MenuTest, APatchIsCheckedAsTheItemItMakes) {
  ASSERT_TRUE(put_menu().ok());
  MenuItemPatch p;
  p.modifiers = std::vector<MenuModifier>{{"No onion", 0}};  // the item lists onion as a removal
  auto refused = run(ChangeMenuItem{restaurant_, "BURGER", p});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "modifiers[0].name");
}

TEST_F(MenuTest, ReplayingTheEventsGivesTheSameMenu) {
  ASSERT_TRUE(put_menu().ok());
  MenuItemPatch p;
  p.available = false;
  ASSERT_TRUE(run(ChangeMenuItem{restaurant_, "SODA", p}).ok());
  ASSERT_TRUE(run(PutMenuItem{restaurant_, {"TEA", "Té", 300, true, {}, {}}}).ok());
  ASSERT_TRUE(run(RemoveMenuItem{restaurant_, "BURGER"}).ok());
  DomainState replayed;
  for (const Event& e : state_.events()) replayed.apply(e);
  const MenuState* again = replayed.find<Menu>(menu_stream_of(restaurant_));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->items, menu()->items);
  EXPECT_EQ(again->version, 4u);
}

}  // namespace
