// Money formatting, rounding, checked arithmetic (engine/domain/money.h) and order
// pricing (engine/domain/pricing.h).
#include "engine/domain/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "engine/domain/pricing.h"

namespace {

using namespace comanda::engine;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

CurrencyInfo currency(std::string_view code) {
  auto c = find_currency(code);
  EXPECT_TRUE(c.has_value()) << code;
  return c.value_or(CurrencyInfo{"???", "?", 2, '.', ','});
}

// ---- formatting ----

TEST(MoneyFormat, WritesPeruvianSolesWithADecimalPoint) {
  EXPECT_EQ(format_money(3700, currency("PEN")), "S/ 37.00");
  EXPECT_EQ(format_money(5, currency("PEN")), "S/ 0.05");
  EXPECT_EQ(format_money(0, currency("PEN")), "S/ 0.00");
}

TEST(MoneyFormat, WritesArgentinePesosWithADecimalComma) {
  EXPECT_EQ(format_money(7006, currency("ARS")), "$ 70,06");
}

TEST(MoneyFormat, GroupsThousands) {
  EXPECT_EQ(format_money(123456789, currency("PEN")), "S/ 1,234,567.89");
  EXPECT_EQ(format_money(123456789, currency("ARS")), "$ 1.234.567,89");
  EXPECT_EQ(format_money(100000, currency("PEN")), "S/ 1,000.00");
  EXPECT_EQ(format_money(99999, currency("PEN")), "S/ 999.99");
}

TEST(MoneyFormat, WritesNoDecimalsForChileanPesos) {
  EXPECT_EQ(format_money(1234567, currency("CLP")), "$ 1.234.567");
  EXPECT_EQ(format_money(0, currency("CLP")), "$ 0");
  EXPECT_EQ(format_money(999, currency("CLP")), "$ 999");
}

TEST(MoneyFormat, PutsTheSignBeforeTheSymbolOfANegativeAmount) {
  EXPECT_EQ(format_money(-3700, currency("PEN")), "-S/ 37.00");
  EXPECT_EQ(format_money(-5, currency("ARS")), "-$ 0,05");
}

TEST(MoneyFormat, FormatsTheExtremesWithoutOverflow) {
  EXPECT_EQ(format_money(kMin, currency("PEN")), "-S/ 92,233,720,368,547,758.08");
  EXPECT_EQ(format_money(kMax, currency("PEN")), "S/ 92,233,720,368,547,758.07");
  EXPECT_EQ(format_money(kMin, currency("CLP")), "-$ 9.223.372.036.854.775.808");
}

TEST(MoneyFormat, KnowsOnlySupportedCurrencyCodes) {
  EXPECT_FALSE(find_currency("XYZ").has_value());
  EXPECT_FALSE(find_currency("pen").has_value());
  EXPECT_FALSE(find_currency("").has_value());
  const std::string supported = supported_currencies();
  EXPECT_NE(supported.find("PEN"), std::string::npos);
  EXPECT_NE(supported.find("ARS"), std::string::npos);
  EXPECT_NE(supported.find("CLP"), std::string::npos);
}

// ---- rounding and checked arithmetic ----

TEST(MoneyRounding, RoundsHalvesAwayFromZero) {
  EXPECT_EQ(divide_round_half_away(5, 2), 3);
  EXPECT_EQ(divide_round_half_away(-5, 2), -3);
  EXPECT_EQ(divide_round_half_away(7, 2), 4);
  EXPECT_EQ(divide_round_half_away(-7, 2), -4);
  EXPECT_EQ(divide_round_half_away(15, 10), 2);
  EXPECT_EQ(divide_round_half_away(-15, 10), -2);
}

TEST(MoneyRounding, RoundsOtherFractionsToTheNearest) {
  EXPECT_EQ(divide_round_half_away(4, 3), 1);
  EXPECT_EQ(divide_round_half_away(5, 3), 2);
  EXPECT_EQ(divide_round_half_away(-4, 3), -1);
  EXPECT_EQ(divide_round_half_away(-5, 3), -2);
  EXPECT_EQ(divide_round_half_away(1, 3), 0);
  EXPECT_EQ(divide_round_half_away(-1, 3), 0);
  EXPECT_EQ(divide_round_half_away(0, 7), 0);
  EXPECT_EQ(divide_round_half_away(14, 7), 2);
}

TEST(MoneyArithmetic, ReportsOverflowInsteadOfWrapping) {
  int64_t out = 0;
  EXPECT_FALSE(checked_add(kMax, 1, out));
  EXPECT_FALSE(checked_sub(kMin, 1, out));
  EXPECT_FALSE(checked_mul(kMax / 2 + 1, 2, out));
  ASSERT_TRUE(checked_add(40, 2, out));
  EXPECT_EQ(out, 42);
  ASSERT_TRUE(checked_mul(-21, 2, out));
  EXPECT_EQ(out, -42);
}

// ---- pricing ----

OrderLine line(int64_t unit_price, uint32_t quantity, std::vector<Modifier> modifiers = {}) {
  OrderLine l;
  l.name = "item";
  l.unit_price = unit_price;
  l.quantity = quantity;
  l.modifiers = std::move(modifiers);
  return l;
}

TEST(Pricing, SplitsIncludedTaxAsTheDesignExampleSays) {
  std::vector<OrderLine> items = {line(338600, 1)};
  auto t = price_order({&items, {1800, true}});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->subtotal, 338600);
  EXPECT_EQ(t->taxable_base, 286949);
  EXPECT_EQ(t->tax, 51651);
  EXPECT_EQ(t->total, 338600);
}

TEST(Pricing, AddsTaxOnTopWhenNotIncluded) {
  std::vector<OrderLine> items = {line(10000, 1)};
  auto t = price_order({&items, {1800, false}});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->taxable_base, 10000);
  EXPECT_EQ(t->tax, 1800);
  EXPECT_EQ(t->total, 11800);
}

TEST(Pricing, RoundsAddedTaxHalfAwayFromZero) {
  std::vector<OrderLine> items = {line(5, 1)};
  auto t = price_order({&items, {1000, false}});  // 10 % of 5 = 0.5
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->tax, 1);
  EXPECT_EQ(t->total, 6);

  std::vector<OrderLine> more = {line(1003, 1)};  // 18 % of 1003 = 180.54
  auto u = price_order({&more, {1800, false}});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->tax, 181);
}

TEST(Pricing, DoesNotTaxTheTip) {
  std::vector<OrderLine> items = {line(338600, 1)};
  auto included = price_order({&items, {1800, true}, 0, 0, 500});
  ASSERT_TRUE(included.ok());
  EXPECT_EQ(included->tax, 51651);
  EXPECT_EQ(included->tip, 500);
  EXPECT_EQ(included->total, 339100);

  std::vector<OrderLine> more = {line(10000, 1)};
  auto added = price_order({&more, {1800, false}, 0, 0, 500});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->tax, 1800);
  EXPECT_EQ(added->total, 12300);
}

TEST(Pricing, TaxesItemsAfterDiscountAndTheDeliveryFee) {
  std::vector<OrderLine> items = {line(10000, 1)};
  auto t = price_order({&items, {1000, false}, 1000, 500, 0});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->discount, 1000);
  EXPECT_EQ(t->delivery_fee, 500);
  EXPECT_EQ(t->taxable_base, 9500);
  EXPECT_EQ(t->tax, 950);
  EXPECT_EQ(t->total, 10450);
}

TEST(Pricing, PricesModifiersPerUnitTimesQuantity) {
  std::vector<OrderLine> items = {line(1550, 2, {{"No onion", 0}, {"Extra cheese", 300}}),
                                  line(500, 3)};
  auto t = price_order({&items, {0, false}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(items[0].line_total, 3700);
  EXPECT_EQ(items[1].line_total, 1500);
  EXPECT_EQ(t->subtotal, 5200);
  EXPECT_EQ(t->tax, 0);
  EXPECT_EQ(t->total, 5200);
}

TEST(Pricing, RefusesALineTotalThatOverflowsNamingTheQuantity) {
  std::vector<OrderLine> items = {line(10, 1), line(kMax / 2 + 1, 2)};
  auto t = price_order({&items, {0, false}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(t.error().field, "items[1].quantity");
}

TEST(Pricing, RefusesAModifierSumThatOverflowsNamingTheModifiers) {
  std::vector<OrderLine> items = {line(kMax, 1, {{"Extra", 1}})};
  auto t = price_order({&items, {0, false}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(t.error().field, "items[0].modifiers");
}

TEST(Pricing, RefusesASubtotalThatOverflowsNamingTheItems) {
  std::vector<OrderLine> items = {line(kMax / 2 + 1, 1), line(kMax / 2 + 1, 1)};
  auto t = price_order({&items, {0, false}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(t.error().field, "items");
}

TEST(Pricing, RefusesAddedTaxThatOverflowsTheTotal) {
  std::vector<OrderLine> items = {line(kMax - 10, 1)};
  auto t = price_order({&items, {1800, false}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(t.error().field, "items");
}

TEST(Pricing, RefusesATipThatOverflowsTheTotalNamingTheTip) {
  std::vector<OrderLine> items = {line(kMax - 10, 1)};
  auto t = price_order({&items, {0, false}, 0, 0, 11});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(t.error().field, "tip");
}

TEST(Pricing, HandlesIncludedTaxOnTheLargestAmountWithoutOverflow) {
  std::vector<OrderLine> items = {line(kMax, 1)};
  auto t = price_order({&items, {1800, true}});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->total, kMax);
  EXPECT_EQ(t->taxable_base + t->tax, kMax);
}

}  // namespace
