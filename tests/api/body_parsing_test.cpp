// Request bodies into commands (api/json/*_json.h), then the domain's rules
// that need no state, as the command path runs them: every refusal names the
// offending field and carries the right code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/http/problem.h"
#include "api/json/driver_json.h"
#include "api/json/order_json.h"
#include "api/json/restaurant_json.h"
#include "engine/domain/handlers.h"

namespace {

using namespace comanda::engine;
using comanda::api::parse_status_change;
using ::testing::HasSubstr;

// A parsed command, checked by the domain as the command path checks it.
template <typename Command>
Result<Command> validated(Result<Command> parsed) {
  if (!parsed.ok()) return parsed;
  CommandBody body{std::move(parsed).value()};
  if (auto valid = validate_command(body); !valid.ok()) return valid.error();
  return std::get<Command>(std::move(body));
}

Result<PlaceOrder> parse_place_order(std::string_view body) {
  return validated(comanda::api::parse_place_order(body));
}

Result<RegisterRestaurant> parse_register_restaurant(std::string_view body,
                                                     const std::string& default_time_zone) {
  return validated(comanda::api::parse_register_restaurant(body, default_time_zone));
}

constexpr std::string_view kRestaurantId = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";

const std::string kOrder = R"({"restaurant_id": "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b",
 "customer": {"id": "u-cust-1", "name": "Ana Pérez", "phone": "+51 999 888 777"},
 "items": [{"sku": "BURGER", "name": "Hamburguesa", "quantity": 2, "unit_price": 1550,
            "modifiers": [{"name": "No onion"}, {"name": "Extra cheese", "price": 300}],
            "notes": "bien cocida"},
           {"name": "Chicha", "quantity": 1, "unit_price": 500}],
 "fulfillment": {"type": "delivery", "address": "Calle 1 234",
                 "location": {"lat": -12.1, "lng": -77.0}, "scheduled_for": null},
 "payment": {"method": "cash", "cash_tendered": 5000}, "tip": 200, "notes": "sin ají"})";

const std::string kRestaurant = R"({"name": "Sede 1", "address": "Av. Larco 101",
 "location": {"lat": -12.12, "lng": -77.03}, "currency": "PEN", "time_zone": "America/Lima",
 "tax": {"rate_bp": 1800, "included": true}, "owners": ["u-owner-1"]})";

// `body` with the first occurrence of `from` replaced by `to`.
std::string with(std::string body, std::string_view from, std::string_view to) {
  const size_t at = body.find(from);
  EXPECT_NE(at, std::string::npos) << "the fixture has no '" << from << "'";
  if (at != std::string::npos) body.replace(at, from.size(), to);
  return body;
}

template <typename T>
void expect_refused(const Result<T>& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok()) << "accepted, expected a refusal naming '" << field << "'";
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

// ---- place order ----

TEST(PlaceOrderParsing, ParsesACompleteOrder) {
  auto r = parse_place_order(kOrder);
  ASSERT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
  const PlaceOrder& cmd = *r;
  EXPECT_EQ(cmd.restaurant_id, *Uuid::parse(kRestaurantId));
  EXPECT_EQ(cmd.customer, (Customer{"u-cust-1", "Ana Pérez", "+51 999 888 777", "", ""}));
  ASSERT_EQ(cmd.items.size(), 2u);
  EXPECT_EQ(cmd.items.lines[0].sku, "BURGER");
  EXPECT_EQ(cmd.items.lines[0].quantity, 2u);
  EXPECT_EQ(cmd.items.lines[0].unit_price, 1550);
  EXPECT_EQ(cmd.items.sent[0], (SentPrices{true, 0b10}));  // Extra cheese's price only
  EXPECT_EQ(cmd.items.lines[0].modifiers,
            (std::vector<Modifier>{{"No onion", 0, false}, {"Extra cheese", 300, false}}));
  EXPECT_EQ(cmd.items.lines[0].notes, "bien cocida");
  EXPECT_EQ(cmd.items.lines[1].sku, "");
  EXPECT_EQ(cmd.fulfillment.type, FulfillmentType::kDelivery);
  EXPECT_EQ(cmd.fulfillment.address, "Calle 1 234");
  ASSERT_TRUE(cmd.fulfillment.location.has_value());
  EXPECT_DOUBLE_EQ(cmd.fulfillment.location->lat, -12.1);
  EXPECT_EQ(cmd.payment.method, "cash");
  EXPECT_EQ(cmd.payment.cash_tendered, 5000);
  EXPECT_EQ(cmd.tip, 200);
  EXPECT_EQ(cmd.notes, "sin ají");
  EXPECT_FALSE(cmd.claimed_total.has_value());
  EXPECT_FALSE(cmd.claimed_subtotal.has_value());
}

TEST(PlaceOrderParsing, KeepsClaimedTotalsForTheEngineToCheck) {
  auto r = parse_place_order(
      with(kOrder, R"("tip": 200)", R"("tip": 200, "subtotal": 4200, "total": 4400)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->claimed_subtotal, 4200);
  EXPECT_EQ(r->claimed_total, 4400);
}

TEST(PlaceOrderParsing, RefusesAMissingRestaurantId) {
  expect_refused(parse_place_order(with(
                     kOrder, R"("restaurant_id": "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b",)", "")),
                 ErrorCode::kInvalidArgument, "restaurant_id");
}

TEST(PlaceOrderParsing, RefusesARestaurantIdThatIsNotAnId) {
  expect_refused(parse_place_order(with(kOrder, kRestaurantId, "sede-1")),
                 ErrorCode::kInvalidArgument, "restaurant_id");
  expect_refused(parse_place_order(with(kOrder, R"("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b")", "42")),
                 ErrorCode::kInvalidArgument, "restaurant_id");
}

TEST(PlaceOrderParsing, RefusesAQuantityGivenAsAString) {
  expect_refused(parse_place_order(with(kOrder, R"("quantity": 1,)", R"("quantity": "1",)")),
                 ErrorCode::kInvalidArgument, "items[1].quantity");
}

TEST(PlaceOrderParsing, RefusesAQuantityOfZero) {
  expect_refused(parse_place_order(with(kOrder, R"("quantity": 2,)", R"("quantity": 0,)")),
                 ErrorCode::kInvalidArgument, "items[0].quantity");
}

TEST(PlaceOrderParsing, RefusesAFractionalQuantity) {
  expect_refused(parse_place_order(with(kOrder, R"("quantity": 2,)", R"("quantity": 1.5,)")),
                 ErrorCode::kInvalidArgument, "items[0].quantity");
}

TEST(PlaceOrderParsing, RefusesANegativeUnitPrice) {
  expect_refused(parse_place_order(with(kOrder, R"("unit_price": 1550)", R"("unit_price": -1)")),
                 ErrorCode::kInvalidArgument, "items[0].unit_price");
}

TEST(PlaceOrderParsing, RefusesAnAmountBeyondSixtyFourBits) {
  expect_refused(parse_place_order(with(kOrder, R"("unit_price": 1550)",
                                        R"("unit_price": 18446744073709551615)")),
                 ErrorCode::kInvalidArgument, "items[0].unit_price");
}

TEST(PlaceOrderParsing, RefusesANegativeModifierPriceNamingItsPath) {
  expect_refused(parse_place_order(with(kOrder, R"("price": 300)", R"("price": -300)")),
                 ErrorCode::kInvalidArgument, "items[0].modifiers[1].price");
}

TEST(PlaceOrderParsing, RefusesAnEmptyItemList) {
  const std::string body = R"({"restaurant_id": "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b",
    "customer": {"id": "u-cust-1"}, "items": [],
    "fulfillment": {"type": "pickup"}, "payment": {"method": "card"}})";
  expect_refused(parse_place_order(body), ErrorCode::kInvalidArgument, "items");
}

TEST(PlaceOrderParsing, RefusesAnItemThatIsNotAnObject) {
  expect_refused(parse_place_order(
                     with(kOrder, R"({"name": "Chicha", "quantity": 1, "unit_price": 500})", "7")),
                 ErrorCode::kInvalidArgument, "items[1]");
}

TEST(PlaceOrderParsing, LeavesAMissingCustomerIdForTheDomain) {
  // A customer's own account, or a guest at the point of sale: the domain
  // knows who asks (engine/domain/order_rules.h).
  auto r = parse_place_order(with(kOrder, R"("id": "u-cust-1", )", ""));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->customer.id, "");
  EXPECT_EQ(r->customer.name, "Ana Pérez");
}

TEST(PlaceOrderParsing, ReadsTheCustomersEmailAndLanguage) {
  auto r =
      parse_place_order(with(kOrder, R"("id": "u-cust-1", )",
                             R"("id": "u-cust-1", "email": "ana@example.pe", "locale": "EN", )"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->customer.email, "ana@example.pe");
  EXPECT_EQ(r->customer.locale, "en");
  expect_refused(parse_place_order(with(kOrder, R"("id": "u-cust-1", )",
                                        R"("id": "u-cust-1", "locale": "fr", )")),
                 ErrorCode::kInvalidArgument, "customer.locale");
  expect_refused(parse_place_order(with(kOrder, R"("id": "u-cust-1", )",
                                        R"("id": "u-cust-1", "email": "ana", )")),
                 ErrorCode::kInvalidArgument, "customer.email");
}

TEST(PlaceOrderParsing, RefusesAMissingCustomer) {
  expect_refused(parse_place_order(with(kOrder, R"("customer": {)", R"("someone": {)")),
                 ErrorCode::kInvalidArgument, "customer");
}

TEST(PlaceOrderParsing, RefusesAnUnknownFulfillmentType) {
  expect_refused(parse_place_order(with(kOrder, R"("type": "delivery")", R"("type": "teleport")")),
                 ErrorCode::kInvalidArgument, "fulfillment.type");
}

TEST(PlaceOrderParsing, RefusesADeliveryWithoutAnAddress) {
  expect_refused(parse_place_order(with(kOrder, R"("address": "Calle 1 234",)", "")),
                 ErrorCode::kInvalidArgument, "fulfillment.address");
}

TEST(PlaceOrderParsing, AcceptsAPickupWithoutAnAddress) {
  auto r = parse_place_order(with(with(kOrder, R"("address": "Calle 1 234",)", ""),
                                  R"("type": "delivery")", R"("type": "pickup")"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->fulfillment.type, FulfillmentType::kPickup);
}

TEST(PlaceOrderParsing, RefusesALatitudeOutOfRange) {
  expect_refused(parse_place_order(with(kOrder, R"("lat": -12.1)", R"("lat": -91)")),
                 ErrorCode::kInvalidArgument, "fulfillment.location.lat");
}

TEST(PlaceOrderParsing, ReadsAPreorderTimeAndRefusesOneThatIsNotATime) {
  auto preorder = parse_place_order(
      with(kOrder, R"("scheduled_for": null)", R"("scheduled_for": "2026-11-24T12:00:00-05:00")"));
  ASSERT_TRUE(preorder.ok()) << preorder.error().message;
  EXPECT_EQ(preorder->fulfillment.scheduled_for_us, 1'795'539'600'000'000);
  for (const char* bad : {R"("scheduled_for": "mañana")", R"("scheduled_for": 1795539600)",
                          R"("scheduled_for": "1969-12-31T23:59:59Z")"})
    expect_refused(parse_place_order(with(kOrder, R"("scheduled_for": null)", bad)),
                   ErrorCode::kInvalidArgument, "fulfillment.scheduled_for");
}

TEST(PlaceOrderParsing, RefusesAnUnknownPaymentMethod) {
  expect_refused(parse_place_order(with(kOrder, R"("method": "cash")", R"("method": "bitcoin")")),
                 ErrorCode::kInvalidArgument, "payment.method");
}

TEST(PlaceOrderParsing, RefusesCashTenderedForACardPayment) {
  expect_refused(parse_place_order(with(kOrder, R"("method": "cash")", R"("method": "card")")),
                 ErrorCode::kUnprocessable, "payment.cash_tendered");
}

TEST(PlaceOrderParsing, RefusesAnAccountIdWithControlCharacters) {
  // Stored, such an id could never match a token's subject.
  expect_refused(
      parse_place_order(with(kOrder, R"("id": "u-cust-1")", R"("id": "u-cust-A\u0000evil")")),
      ErrorCode::kInvalidArgument, "customer.id");
  expect_refused(parse_register_restaurant(
                     with(kRestaurant, R"(["u-owner-1"])", R"(["u-owner-1", "u-\u001bx"])"), "UTC"),
                 ErrorCode::kInvalidArgument, "owners[1]");
  expect_refused(comanda::api::parse_register_driver(R"({"name": "Luis", "user_id": "a\tb"})"),
                 ErrorCode::kInvalidArgument, "user_id");
}

TEST(PlaceOrderParsing, NamesTheFirstErrorOfABodyWithSeveralInReadingOrder) {
  // The fulfillment is read before the payment, the payment before the tip;
  // the domain's rules on each part are checked as the part is read.
  const std::string no_address = with(kOrder, R"("address": "Calle 1 234",)", "");
  expect_refused(parse_place_order(with(no_address, R"("scheduled_for": null)",
                                        R"("scheduled_for": "2026-12-01T10:00:00Z")")),
                 ErrorCode::kInvalidArgument, "fulfillment.address");
  expect_refused(parse_place_order(with(with(kOrder, R"("method": "cash")", R"("method": "gold")"),
                                        R"("tip": 200)", R"("tip": "much")")),
                 ErrorCode::kInvalidArgument, "payment.method");
  expect_refused(parse_place_order(with(no_address, R"("method": "cash")", R"("method": "gold")")),
                 ErrorCode::kInvalidArgument, "fulfillment.address");
}

TEST(PlaceOrderParsing, RefusesANegativeTip) {
  expect_refused(parse_place_order(with(kOrder, R"("tip": 200)", R"("tip": -1)")),
                 ErrorCode::kInvalidArgument, "tip");
}

TEST(PlaceOrderParsing, TreatsNullAsAbsent) {
  auto r = parse_place_order(with(kOrder, R"("tip": 200)", R"("tip": null)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->tip, 0);
}

TEST(PlaceOrderParsing, RefusesABodyThatIsNotUtf8) {
  auto r = parse_place_order("\xff");
  expect_refused(r, ErrorCode::kInvalidArgument, "");
  EXPECT_THAT(r.error().message, HasSubstr("UTF-8"));
  auto inside = parse_place_order(with(kOrder, "Ana P\xc3\xa9rez", "Ana P\xc3rez"));
  expect_refused(inside, ErrorCode::kInvalidArgument, "");
  EXPECT_THAT(inside.error().message, HasSubstr("UTF-8"));
}

TEST(PlaceOrderParsing, RefusesABodyThatIsNotJson) {
  expect_refused(parse_place_order("restaurant_id=1"), ErrorCode::kInvalidArgument, "");
  expect_refused(parse_place_order(R"({"restaurant_id": )"), ErrorCode::kInvalidArgument, "");
  expect_refused(parse_place_order(""), ErrorCode::kInvalidArgument, "");
}

TEST(PlaceOrderParsing, RefusesATopLevelArray) {
  auto r = parse_place_order("[" + kOrder + "]");
  expect_refused(r, ErrorCode::kInvalidArgument, "");
  EXPECT_THAT(r.error().message, HasSubstr("object"));
}

// ---- register restaurant ----

TEST(RegisterRestaurantParsing, ParsesACompleteRestaurant) {
  auto r = parse_register_restaurant(kRestaurant, "UTC");
  ASSERT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
  const RestaurantRegistered& d = r->details;
  EXPECT_EQ(d.name, "Sede 1");
  EXPECT_EQ(d.address, "Av. Larco 101");
  ASSERT_TRUE(d.location.has_value());
  EXPECT_DOUBLE_EQ(d.location->lng, -77.03);
  EXPECT_EQ(d.currency, "PEN");
  EXPECT_EQ(d.time_zone, "America/Lima");
  EXPECT_EQ(d.tax, (TaxPolicy{1800, true}));
  EXPECT_EQ(d.owners, std::vector<std::string>{"u-owner-1"});
  EXPECT_EQ(d.series, "A001");
}

TEST(RegisterRestaurantParsing, UsesTheDefaultTimeZoneWhenNoneIsGiven) {
  auto r = parse_register_restaurant(with(kRestaurant, R"("time_zone": "America/Lima",)", ""),
                                     "America/Argentina/Buenos_Aires");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->details.time_zone, "America/Argentina/Buenos_Aires");
}

TEST(RegisterRestaurantParsing, RefusesAnUnsupportedCurrencyAsUnprocessable) {
  auto r = parse_register_restaurant(with(kRestaurant, R"("PEN")", R"("XYZ")"), "UTC");
  expect_refused(r, ErrorCode::kUnprocessable, "currency");
  EXPECT_EQ(comanda::api::http_status(r.error().code), 422);
  EXPECT_THAT(r.error().message, HasSubstr("PEN"));  // lists the supported ones
}

TEST(RegisterRestaurantParsing, RefusesACurrencyCodeOfTheWrongLength) {
  expect_refused(parse_register_restaurant(with(kRestaurant, R"("PEN")", R"("PENN")"), "UTC"),
                 ErrorCode::kInvalidArgument, "currency");
}

TEST(RegisterRestaurantParsing, RefusesAnUnknownTimeZoneAsUnprocessable) {
  auto r = parse_register_restaurant(with(kRestaurant, "America/Lima", "Mars/Olympus_Mons"), "UTC");
  expect_refused(r, ErrorCode::kUnprocessable, "time_zone");
  EXPECT_EQ(comanda::api::http_status(r.error().code), 422);
}

TEST(RegisterRestaurantParsing, RefusesAnUnknownDefaultTimeZone) {
  expect_refused(parse_register_restaurant(with(kRestaurant, R"("time_zone": "America/Lima",)", ""),
                                           "Nowhere"),
                 ErrorCode::kUnprocessable, "time_zone");
}

TEST(RegisterRestaurantParsing, RefusesASeriesWithLowercaseOrPunctuation) {
  expect_refused(parse_register_restaurant(
                     with(kRestaurant, R"("currency")", R"("series": "a-1", "currency")"), "UTC"),
                 ErrorCode::kInvalidArgument, "series");
  auto ok = parse_register_restaurant(
      with(kRestaurant, R"("currency")", R"("series": "B7", "currency")"), "UTC");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->details.series, "B7");
}

TEST(RegisterRestaurantParsing, RefusesAnOwnerThatIsNotAString) {
  expect_refused(parse_register_restaurant(
                     with(kRestaurant, R"(["u-owner-1"])", R"(["u-owner-1", 7])"), "UTC"),
                 ErrorCode::kInvalidArgument, "owners[1]");
}

TEST(RegisterRestaurantParsing, RefusesATaxRateAboveOneHundredPercent) {
  expect_refused(parse_register_restaurant(with(kRestaurant, "1800", "10001"), "UTC"),
                 ErrorCode::kInvalidArgument, "tax.rate_bp");
}

TEST(RegisterRestaurantParsing, RefusesAMissingOrEmptyName) {
  expect_refused(parse_register_restaurant(with(kRestaurant, R"("name": "Sede 1",)", ""), "UTC"),
                 ErrorCode::kInvalidArgument, "name");
  expect_refused(parse_register_restaurant(with(kRestaurant, R"("Sede 1")", R"("")"), "UTC"),
                 ErrorCode::kInvalidArgument, "name");
}

TEST(RegisterRestaurantParsing, RefusesABodyThatIsNotUtf8) {
  expect_refused(parse_register_restaurant("\xff", "UTC"), ErrorCode::kInvalidArgument, "");
}

// ---- status change ----

TEST(StatusChangeParsing, TurnsAnIntegerStatusIntoItsText) {
  auto r = parse_status_change(R"({"status": 7})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, "7");
}

TEST(StatusChangeParsing, KeepsANameAndTheReason) {
  auto r = parse_status_change(R"({"status": "aceptado", "reason": "listo en 20 min"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, "aceptado");
  EXPECT_EQ(r->reason, "listo en 20 min");
}

TEST(StatusChangeParsing, RefusesAMissingOrMistypedStatus) {
  expect_refused(parse_status_change(R"({"reason": "x"})"), ErrorCode::kInvalidArgument, "status");
  expect_refused(parse_status_change(R"({"status": null})"), ErrorCode::kInvalidArgument, "status");
  expect_refused(parse_status_change(R"({"status": true})"), ErrorCode::kInvalidArgument, "status");
  expect_refused(parse_status_change(R"({"status": ""})"), ErrorCode::kInvalidArgument, "status");
  expect_refused(parse_status_change(R"({"status": ["accepted"]})"), ErrorCode::kInvalidArgument,
                 "status");
}

TEST(StatusChangeParsing, RefusesAReasonThatIsNotAString) {
  expect_refused(parse_status_change(R"({"status": "accepted", "reason": 5})"),
                 ErrorCode::kInvalidArgument, "reason");
}

TEST(StatusChangeParsing, RefusesABodyThatIsNotAnObject) {
  expect_refused(parse_status_change("7"), ErrorCode::kInvalidArgument, "");
  expect_refused(parse_status_change("\xff"), ErrorCode::kInvalidArgument, "");
}

}  // namespace

namespace {

using comanda::api::parse_location;

int64_t at_of(std::string_view at) {
  const std::string body = R"({"lat": 1, "lng": 2, "at": ")" + std::string(at) + R"("})";
  auto ping = parse_location(body, int64_t{4'000'000'000'000'000});
  return ping.ok() ? ping->reported_at_us : -1;
}

TEST(LocationParsing, ReadsRfc3339TimesInAnyOffsetAndPrecision) {
  const int64_t noon = at_of("2026-11-24T12:00:00Z");
  ASSERT_GT(noon, 0);
  EXPECT_EQ(at_of("2026-11-24T07:00:00-05:00"), noon);
  EXPECT_EQ(at_of("2026-11-24T17:30:00+05:30"), noon);
  EXPECT_EQ(at_of("2026-11-24T12:00:00.5Z"), noon + 500'000);
  EXPECT_EQ(at_of("2026-11-24T12:00:00.123456789Z"), noon + 123'456) << "cut to microseconds";
  EXPECT_EQ(at_of("2026-11-24T12:00:00z"), noon);
  EXPECT_EQ(at_of("2026-11-24t12:00:00Z"), noon);
  EXPECT_EQ(at_of("2026-11-24T12:00:00.123456789012345678901234567890Z"), noon + 123'456);
}

TEST(LocationParsing, RefusesTimesThatAreNotRfc3339NamingTheField) {
  for (std::string_view bad :
       {"2026-11-24T12:00:00", "2026-11-24T12:00:00+25:00", "2026-11-24T12:00:00+05:60",
        "2026-11-24T12:00:00.Z", "2026-11-24 12:00:00Z", "2026-13-01T00:00:00Z", "yesterday"}) {
    const std::string body = R"({"lat": 1, "lng": 2, "at": ")" + std::string(bad) + R"("})";
    auto ping = parse_location(body, int64_t{4'000'000'000'000'000});
    ASSERT_FALSE(ping.ok()) << bad;
    EXPECT_EQ(ping.error().field, "at") << bad;
  }
}

TEST(LocationParsing, KeepsSevenDecimalsOfDegrees) {
  auto ping = parse_location(R"({"lat": -12.1234567, "lng": 179.9999999})", 0);
  ASSERT_TRUE(ping.ok()) << ping.error().message;
  EXPECT_EQ(ping->lat_e7, -121234567);
  EXPECT_EQ(ping->lng_e7, 1799999999);
  EXPECT_FALSE(ping->heading_deg);
  EXPECT_EQ(ping->reported_at_us, 0) << "no `at`: the engine's time is shown";
}

TEST(LocationParsing, NamesAFloatOutOfRange) {
  auto ping = parse_location(R"({"lat": 1e400, "lng": 1})", 0);
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().field, "lat");
}

}  // namespace
