// Orders priced from the menu (engine/domain/order_lines.h): what a
// customer's lines cost, what is refused and why, what a point of sale may
// set, and the totals (DESIGN.md "Menus, money and pricing") of whole
// orders decided by the domain.
#include "engine/domain/order_lines.h"

#include <gtest/gtest.h>

#include "engine/domain/order.h"
#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

using Modifiers = std::vector<std::pair<std::string, std::optional<int64_t>>>;

LineSpec line(std::string sku, uint32_t quantity, Modifiers mods = {}) {
  return {std::move(sku), quantity, std::move(mods)};
}

class OrderLinesTest : public ::testing::Test {
 protected:
  void SetUp() override { menu_.replace(burger_menu_items()); }

  Result<std::vector<OrderLine>> price(const std::vector<LineSpec>& specs, bool pos = false,
                                       const MenuItems* menu = nullptr) {
    RequestedLines requested = lines(specs);
    if (Status priced = price_lines(requested, menu ? menu : &menu_, pos, "PEN"); !priced.ok())
      return priced.error();
    return std::move(requested.lines);
  }
  void expect_refused(std::vector<LineSpec> lines, std::string field, bool pos = false) {
    auto r = price(std::move(lines), pos);
    ASSERT_FALSE(r.ok()) << "accepted; expected a refusal of " << field;
    EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable) << r.error().message;
    EXPECT_EQ(r.error().field, field) << r.error().message;
  }

  MenuItems menu_;
};

TEST_F(OrderLinesTest, AMenuPricesACustomersLinesAndSpellsTheirModifiers) {
  auto lines = price(
      {line("BURGER", 2, {{"no ONION", std::nullopt}, {"extra cheese", 300}}), line("SODA", 1)});
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  ASSERT_EQ(lines->size(), 2u);
  const OrderLine& burger = (*lines)[0];
  EXPECT_EQ(burger.name, "Hamburguesa");
  EXPECT_EQ(burger.unit_price, 1550);
  EXPECT_EQ(burger.price_source, PriceSource::kMenu);
  EXPECT_EQ(burger.modifiers,
            (std::vector<Modifier>{{"No onion", 0, true}, {"Extra cheese", 300, false}}));
  EXPECT_EQ((*lines)[1].unit_price, 500);
}

TEST_F(OrderLinesTest, RefusesWhatTheMenuDoesNotSell) {
  expect_refused({line("PIZZA", 1)}, "items[0].sku");
  expect_refused({line("SODA", 1), line("", 1)}, "items[1].sku");
  expect_refused({line("BURGER", 1, {{"Extra bacon", std::nullopt}})},
                 "items[0].modifiers[0].name");
  expect_refused({line("BURGER", 1, {{"No tomato", std::nullopt}})},
                 "items[0].modifiers[0].name");                    // not a listed removal
  expect_refused({line("SODA", 1, {{"No onion", std::nullopt}})},  // the burger's, not the soda's
                 "items[0].modifiers[0].name");
  menu_.set_available("SODA", false);
  expect_refused({line("BURGER", 1), line("SODA", 1)}, "items[1].sku");
  RequestedLines any = lines({line("BURGER", 1)});
  auto no_menu = price_lines(any, nullptr, false, "PEN");
  ASSERT_FALSE(no_menu.ok());
  EXPECT_EQ(no_menu.error().field, "items[0].sku");
}

TEST_F(OrderLinesTest, APriceSentMustBeTheMenus) {
  LineSpec cheap = line("BURGER", 1);
  cheap.unit_price = 1000;
  expect_refused({cheap}, "items[0].unit_price");
  auto r = price({cheap});
  EXPECT_NE(r.error().message.find("1550 (S/ 15.50)"), std::string::npos) << r.error().message;
  expect_refused({line("BURGER", 1, {{"Extra cheese", 100}})}, "items[0].modifiers[0].price");
  expect_refused({line("BURGER", 1, {{"No onion", 50}})}, "items[0].modifiers[0].price");
  LineSpec exact = line("BURGER", 1, {{"Extra cheese", 300}, {"No onion", 0}});
  exact.unit_price = 1550;
  EXPECT_TRUE(price({exact}).ok());
}

TEST_F(OrderLinesTest, APointOfSaleSetsItsOwnPricesAndIsRecordedAsSuch) {
  LineSpec special = line("BURGER", 1, {{"Extra cheese", std::nullopt}, {"No onion", {}}});
  special.unit_price = 1200;  // the counter's price
  LineSpec off_menu;
  off_menu.name = "Chicha morada (jarra)";
  off_menu.quantity = 1;
  off_menu.unit_price = 1800;
  off_menu.modifiers = {{"No sugar", std::nullopt}, {"Hielo", 100}};
  auto lines = price({special, off_menu, line("SODA", 2)}, true);
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  const OrderLine& s = (*lines)[0];
  EXPECT_EQ(s.unit_price, 1200);
  EXPECT_EQ(s.price_source, PriceSource::kGiven);
  EXPECT_EQ(s.name, "Hamburguesa");  // from the menu, as the line named none
  EXPECT_EQ(s.modifiers,
            (std::vector<Modifier>{{"Extra cheese", 300, false}, {"No onion", 0, true}}));
  const OrderLine& o = (*lines)[1];
  EXPECT_EQ(o.name, "Chicha morada (jarra)");
  EXPECT_EQ(o.modifiers, (std::vector<Modifier>{{"No sugar", 0, true}, {"Hielo", 100, false}}));
  // Without a unit_price the menu prices a point-of-sale line too.
  EXPECT_EQ((*lines)[2].unit_price, 500);
  EXPECT_EQ((*lines)[2].price_source, PriceSource::kMenu);

  LineSpec unnamed = line("PIZZA", 1);
  unnamed.unit_price = 3000;
  expect_refused({unnamed}, "items[0].name", true);
}

// Whole orders: the menu's prices through the totals.
class MenuPricedOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(state_.decide(register_restaurant(restaurant_, details_)).ok());
    ASSERT_TRUE(state_.decide(replace_menu(restaurant_, menu_items_)).ok());
  }

  Result<OrderPlaced> place(const std::vector<LineSpec>& specs, int64_t tip = 0,
                            FulfillmentType type = FulfillmentType::kPickup,
                            std::optional<int64_t> cash = std::nullopt) {
    PlaceOrder body = order_body(Uuid::v7(), restaurant_, type);
    body.items = lines(specs);
    body.tip = tip;
    if (cash) body.payment = {"cash", cash, {}};
    auto outcome = state_.decide(place_order(body, customer()));
    if (!outcome.ok()) return outcome.error();
    return std::get<OrderPlaced>(outcome.event().payload);
  }

  const Uuid restaurant_ = Uuid::v7();
  RestaurantRegistered details_ = restaurant_details("PEN", {1800, true});
  std::vector<MenuItem> menu_items_ = burger_menu_items();
  DomainState state_;
};

TEST_F(MenuPricedOrderTest, MultiLineWithPricedModifiersRemovalsAndIncludedTax) {
  auto placed =
      place({line("BURGER", 2, {{"Extra cheese", {}}, {"No onion", {}}}), line("SODA", 3)}, 200,
            FulfillmentType::kPickup, 10000);
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  const Totals& t = placed->totals;
  EXPECT_EQ(placed->items[0].line_total, 2 * (1550 + 300));
  EXPECT_EQ(placed->items[1].line_total, 1500);
  EXPECT_EQ(t.subtotal, 5200);
  // 18 % included: base = round(5200 / 1.18) = 4407, tax = 793.
  EXPECT_EQ(t.taxable_base, 4407);
  EXPECT_EQ(t.tax, 793);
  EXPECT_EQ(t.tip, 200);
  EXPECT_EQ(t.total, 5400);
  EXPECT_EQ(*placed->payment.cash_tendered - t.total, 4600);  // the change due
}

class AddedTaxOrderTest : public MenuPricedOrderTest {
 protected:
  AddedTaxOrderTest() {
    details_ = restaurant_details("USD", {875, false});  // 8.75 % added
    details_.settings.delivery_fee = 299;
  }
};

TEST_F(AddedTaxOrderTest, AddedTaxOnTheItemsAndTheDeliveryFeeNotTheTip) {
  auto placed = place({line("BURGER", 1), line("SODA", 1)}, 300, FulfillmentType::kDelivery);
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  const Totals& t = placed->totals;
  EXPECT_EQ(t.subtotal, 2050);
  EXPECT_EQ(t.delivery_fee, 299);
  EXPECT_EQ(t.taxable_base, 2349);
  EXPECT_EQ(t.tax, 206);  // round(2349 * 0.0875) = round(205.54)
  EXPECT_EQ(t.total, 2050 + 299 + 206 + 300);
}

TEST_F(AddedTaxOrderTest, TheRestaurantsDiscountComesOffBeforeTheTax) {
  PlaceOrder body = order_body(Uuid::v7(), restaurant_, FulfillmentType::kDelivery);
  body.items = lines({line("BURGER", 2, {{"Extra cheese", {}}})});  // 2 x 1850 from the menu
  body.discount = 500;
  body.tip = 100;
  body.payment = {"cash", 5000, {}};
  auto outcome = state_.decide(place_order(body, owner()));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const Totals& t = std::get<OrderPlaced>(outcome.event().payload).totals;
  EXPECT_EQ(t.subtotal, 3700);
  EXPECT_EQ(t.discount, 500);
  EXPECT_EQ(t.taxable_base, 3700 - 500 + 299);
  EXPECT_EQ(t.tax, 306);  // round(3499 * 0.0875) = round(306.16)
  EXPECT_EQ(t.total, 3499 + 306 + 100);
  // The same discount from the customer is refused, naming it.
  body.order_id = Uuid::v7();
  EXPECT_EQ(state_.decide(place_order(body, customer())).error().field, "discount");
}

TEST_F(MenuPricedOrderTest, AnEditedMenuPricesTheNextOrder) {
  std::vector<MenuItem> dearer = menu_items_;
  dearer[0].price = 1700;
  ASSERT_TRUE(state_.decide(replace_menu(restaurant_, dearer)).ok());
  auto placed = place({line("BURGER", 1)});
  ASSERT_TRUE(placed.ok());
  EXPECT_EQ(placed->items[0].unit_price, 1700);
}

TEST_F(MenuPricedOrderTest, ARefusedLineRefusesTheOrderAndRecordsNothing) {
  const size_t before = state_.events().size();
  auto refused = place({line("SODA", 1), line("PIZZA", 1)});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "items[1].sku");
  EXPECT_EQ(state_.events().size(), before);
  EXPECT_EQ(state_.book<Order>().last_number(restaurant_), 0u);  // no number used up
}

}  // namespace
