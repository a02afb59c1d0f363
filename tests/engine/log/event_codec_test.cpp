// The stored form of events (engine/log/event_codec.h): round trips, checksums,
// and the big-endian keys.
#include "engine/log/event_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/base/bytes.h"
#include "engine/base/crc32c.h"

namespace {

using namespace comanda::engine;

Event envelope(EventPayload payload) {
  Event e;
  e.position = 42;
  e.stream = Uuid::v7();
  e.stream_version = 7;
  e.partition = Uuid::v7();
  e.recorded_at_us = 1'795'000'000'123'456;
  e.actor = {"u-owner-1", Role::kOwner};
  e.correlation_id = Uuid::v7();
  e.payload = std::move(payload);
  return e;
}

RestaurantRegistered restaurant() {
  RestaurantRegistered r;
  r.name = "Sede 1";
  r.address = "Av. Larco 101";
  r.location = GeoPoint{-12.12, -77.03};
  r.currency = "PEN";
  r.time_zone = "America/Lima";
  r.tax = {1800, true};
  r.owners = {"u-owner-1", "u-owner-2"};
  r.series = "B002";
  return r;
}

OrderPlaced order() {
  OrderPlaced o;
  o.restaurant_id = Uuid::v7();
  o.reference = "A001-000123";
  o.number = 123;
  o.customer = {"u-cust-1", "Ana Pérez", "+51 999 888 777", "", ""};
  o.items = {{"BURGER",
              "Hamburguesa",
              2,
              1550,
              {{"No onion", 0, true}, {"Extra cheese", 300, false}},
              "bien cocida",
              3700,
              PriceSource::kMenu},
             {"", "Chicha", 1, 500, {}, "", 500, PriceSource::kGiven}};
  o.fulfillment = {FulfillmentType::kCurbside, "Calle 1 234", GeoPoint{-12.1, -77.0}};
  o.payment = {"cash", 5000, {}};
  o.notes = "sin ají";
  o.currency = "PEN";
  o.tax = {1800, true};
  o.totals = {4200, 0, 0, 3559, 641, 200, 4400};
  o.status = OrderStatus::kPending;
  return o;
}

Event round_trip(const Event& e) {
  std::string stored;
  encode_event(e, stored);
  auto decoded = decode_event(stored);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  return decoded.ok() ? *decoded : Event{};
}

TEST(EventCodec, RoundTripsARestaurantRegistration) {
  const Event e = envelope(restaurant());
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsARestaurantWithoutALocation) {
  RestaurantRegistered r = restaurant();
  r.location.reset();
  r.owners.clear();
  const Event e = envelope(r);
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsARestaurantsSettings) {
  RestaurantRegistered r = restaurant();
  r.settings.delivery_fee = 450;
  r.settings.dispatch = {DispatchSettings::Mode::kNone, OrderStatus::kAccepted, 7, 900, 45};
  r.settings.geofence = {false, 0, 10'000};  // zeros are kept as zeros
  r.settings.auto_reject_after_s = 600;
  r.settings.preorder_lead_s = 0;
  const Event e = envelope(r);
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsTheChangesToARestaurant) {
  RestaurantUpdated nothing_but_a_name;
  nothing_but_a_name.name = "Sede 2";
  RestaurantUpdated everything;
  everything.name = "";
  everything.address = "Jr. Puno 5";
  everything.location = GeoPoint{-12.0, -77.1};
  everything.time_zone = "America/Bogota";
  everything.tax = TaxPolicy{0, false};
  everything.owners = std::vector<std::string>{"u-owner-3"};
  everything.series = "Z9";
  everything.settings = RestaurantSettings{};
  RestaurantUpdated no_owners;  // an empty list is not an absent one
  no_owners.owners = std::vector<std::string>{};
  for (const RestaurantUpdated& u : {nothing_but_a_name, everything, no_owners}) {
    const Event e = envelope(u);
    EXPECT_EQ(round_trip(e), e);
  }
  for (const Event& e : {envelope(RestaurantPaused{}), envelope(RestaurantResumed{})})
    EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsEveryMenuEvent) {
  const MenuItem burger{"BURGER",
                        "Hamburguesa",
                        1550,
                        true,
                        {{"Extra cheese", 300}, {"Tocino", 0}},
                        {"onion", "ketchup"}};
  const MenuItem soda{"SODA", "Inca Kola", 500, false, {}, {}};  // sold out
  for (const EventPayload& p : {EventPayload{MenuReplaced{{burger, soda}}},
                                EventPayload{MenuReplaced{}}, EventPayload{MenuItemUpserted{soda}},
                                EventPayload{MenuItemAvailabilityChanged{"SODA", true}},
                                EventPayload{MenuItemAvailabilityChanged{"SODA", false}},
                                EventPayload{MenuItemRemoved{"BURGER"}}}) {
    const Event e = envelope(p);
    EXPECT_EQ(round_trip(e), e) << event_type_name(p);
  }
}

TEST(EventCodec, RoundTripsAGuestsOrderWithItsAppAndZone) {
  OrderPlaced o = order();
  o.customer = {"", "Mesa 4", "", "mesa4@example.pe", "en"};
  o.app_id = "pos-tablet";
  o.delivery_zone = "Salón";
  const Event e = envelope(o);
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsEveryChangeToAnOrder) {
  const OrderPlaced o = order();
  OrderChanged only_totals;
  only_totals.totals = {100, 0, 0, 85, 15, 0, 100};
  OrderChanged everything;
  everything.customer = Customer{"u-cust-1", "Ana", "+51", "a@b.pe", "es"};
  everything.items = o.items;
  everything.fulfillment = Fulfillment{FulfillmentType::kPickup, "", std::nullopt};
  everything.payment = Payment{"cash", 0, {}};
  everything.notes = "";
  everything.delivery_zone = "Norte";
  everything.totals = o.totals;
  OrderChanged no_lines;  // an empty list is not an absent one
  no_lines.items = std::vector<OrderLine>{};
  const OrderReplaced replaced{o.customer, o.items,  o.fulfillment, o.payment,
                               o.notes,    "Centro", o.totals};
  for (const EventPayload& p :
       {EventPayload{only_totals}, EventPayload{everything}, EventPayload{no_lines},
        EventPayload{replaced}, EventPayload{OrderLineFulfilled{3, 2}},
        EventPayload{OrderArchived{}}, EventPayload{OrderDeleted{}}}) {
    const Event e = envelope(p);
    EXPECT_EQ(round_trip(e), e) << event_type_name(p);
  }
}

TEST(EventCodec, RoundTripsEveryAccountEventAndACreditPayment) {
  const Uuid order_id = Uuid::v7();
  AccountRegistered child{"u-cust-1", "Ana",      "3B",       "a@b.pe",
                          "+51",      "12345678", Uuid::v7(), {Uuid::v7(), Uuid::v7()}};
  AccountRegistered alone = child;
  alone.parent_id.reset();
  for (const EventPayload& p : {EventPayload{child}, EventPayload{alone},
                                EventPayload{CreditToppedUp{10000, "ARS", "top-up"}},
                                EventPayload{CreditAdjusted{-500, "ARS", "error"}},
                                EventPayload{CreditDebited{7006, "ARS", order_id}},
                                EventPayload{CreditRefunded{7006, "ARS", order_id}}}) {
    const Event e = envelope(p);
    EXPECT_EQ(round_trip(e), e) << event_type_name(p);
  }
  OrderPlaced paid = order();
  paid.payment = {"credit", std::nullopt, Uuid::v7()};
  const Event e = envelope(paid);
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsAnOrderPlacement) {
  const Event e = envelope(order());
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsAnOrderWithoutCashTenderedOrLocation) {
  OrderPlaced o = order();
  o.payment = {"card", std::nullopt, {}};
  o.fulfillment = {FulfillmentType::kEatIn, "", std::nullopt};
  const Event e = envelope(o);
  const Event back = round_trip(e);
  EXPECT_EQ(back, e);
  const auto& placed = std::get<OrderPlaced>(back.payload);
  EXPECT_FALSE(placed.payment.cash_tendered.has_value());
  EXPECT_FALSE(placed.fulfillment.location.has_value());
}

TEST(EventCodec, KeepsACashTenderedOfZero) {
  OrderPlaced o = order();
  o.payment = {"cash", 0, {}};
  const Event back = round_trip(envelope(o));
  const auto& placed = std::get<OrderPlaced>(back.payload);
  ASSERT_TRUE(placed.payment.cash_tendered.has_value());
  EXPECT_EQ(*placed.payment.cash_tendered, 0);
}

TEST(EventCodec, RoundTripsAStatusChange) {
  const Event e =
      envelope(OrderStatusChanged{OrderStatus::kReady, OrderStatus::kCancelled, "sin stock"});
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsAGeofenceStepWithItsPing) {
  const Event e =
      envelope(OrderStatusChanged{OrderStatus::kOnTheWay, OrderStatus::kDriverNearCustomer,
                                  "geofence: near the customer", 4'000'000'017});
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, RoundTripsEveryDispatchEvent) {
  const Uuid a = Uuid::v7(), b = Uuid::v7();
  for (const EventPayload& p :
       {EventPayload{DriverOffered{{a, b}, 1'795'000'060'000'000}},
        EventPayload{DriverOffered{{a}, 0}}, EventPayload{OfferExpired{{b, a}}},
        EventPayload{OfferWithdrawn{a}}, EventPayload{DispatchWaiting{{-12.12, -77.03}, 5000}},
        EventPayload{DriverAssigned{b}}, EventPayload{DriverUnassigned{b, "flat tyre"}},
        EventPayload{DriverUnassigned{b, ""}},
        EventPayload{DriverAvailabilityChanged{Availability::kAvailable, {}}},
        EventPayload{DriverAvailabilityChanged{Availability::kBusy, a}},
        EventPayload{DriverAvailabilityChanged{Availability::kOffline, {}}},
        EventPayload{DriverActiveChanged{false}}, EventPayload{DriverActiveChanged{true}},
        EventPayload{OrderNotReadyChanged{true}}, EventPayload{OrderNotReadyChanged{false}}}) {
    const Event e = envelope(p);
    EXPECT_EQ(round_trip(e), e) << event_type_name(p);
  }
}

TEST(EventCodec, RoundTripsEveryStatusAndFulfillmentType) {
  for (const StatusInfo& info : status_table()) {
    const Event e = envelope(OrderStatusChanged{OrderStatus::kScheduled, info.status, ""});
    EXPECT_EQ(round_trip(e), e) << info.name;
  }
  for (int t = 0; t <= static_cast<int>(FulfillmentType::kEatIn); ++t) {
    OrderPlaced o = order();
    o.fulfillment.type = static_cast<FulfillmentType>(t);
    const Event e = envelope(o);
    EXPECT_EQ(round_trip(e), e) << t;
  }
}

TEST(EventCodec, RoundTripsEveryActorRole) {
  for (Role role : {Role::kEngine, Role::kAdmin, Role::kOwner, Role::kCustomer, Role::kDriver}) {
    Event e = envelope(OrderStatusChanged{OrderStatus::kPending, OrderStatus::kAccepted, ""});
    e.actor = {"someone", role};
    EXPECT_EQ(round_trip(e), e) << role_name(role);
  }
}

TEST(EventCodec, RoundTripsNegativeAndExtremeValues) {
  Event e = envelope(order());
  e.recorded_at_us = -1;
  e.position = UINT64_MAX;
  std::get<OrderPlaced>(e.payload).totals.discount = INT64_MIN;
  EXPECT_EQ(round_trip(e), e);
}

TEST(EventCodec, AppendsToTheCallersBuffer) {
  const Event e = envelope(restaurant());
  std::string alone;
  encode_event(e, alone);
  std::string buffer = "prefix";
  encode_event(e, buffer);
  EXPECT_EQ(buffer, "prefix" + alone);
  auto decoded = decode_event(std::string_view(buffer).substr(6));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, e);
}

TEST(EventCodec, RefusesATruncatedValueAsCorruption) {
  std::string stored;
  encode_event(envelope(order()), stored);
  for (size_t length : {size_t{0}, size_t{3}, size_t{4}, stored.size() / 2, stored.size() - 1}) {
    auto decoded = decode_event(std::string_view(stored).substr(0, length));
    ASSERT_FALSE(decoded.ok()) << "decoded " << length << " of " << stored.size() << " bytes";
    EXPECT_EQ(decoded.error().code, ErrorCode::kCorruption) << length;
  }
}

TEST(EventCodec, RefusesABadChecksumAsCorruption) {
  std::string stored;
  encode_event(envelope(order()), stored);
  std::string bad_crc = stored;
  bad_crc[0] = static_cast<char>(bad_crc[0] ^ 0xFF);
  auto a = decode_event(bad_crc);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::kCorruption);

  std::string bad_body = stored;
  bad_body[stored.size() - 3] = static_cast<char>(bad_body[stored.size() - 3] ^ 0x01);
  auto b = decode_event(bad_body);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kCorruption);
  EXPECT_NE(b.error().message.find("checksum"), std::string::npos) << b.error().message;
}

// A value with a valid checksum over `body`.
std::string with_crc(const std::string& body) {
  const uint32_t crc = crc32c(body);
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(crc >> (8 * i)));
  return out + body;
}

void append_bytes_field(std::string& out, uint8_t tag, std::string_view bytes) {
  out.push_back(static_cast<char>(tag));
  out.push_back(static_cast<char>(bytes.size()));
  out += bytes;
}

TEST(EventCodec, RefusesAnEnvelopeThatDoesNotParseAsCorruption) {
  auto decoded = decode_event(with_crc("\xff\xff\xff\xff"));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::kCorruption);
}

TEST(EventCodec, RefusesAnEnvelopeWithAMalformedIdAsCorruption) {
  std::string body;
  body += "\x08\x01";                                // position = 1
  append_bytes_field(body, 0x12, "short");           // stream_id: not 16 bytes
  append_bytes_field(body, 0x22, Uuid::v7().raw());  // partition_key
  append_bytes_field(body, 0x3A, Uuid::v7().raw());  // correlation_id
  auto decoded = decode_event(with_crc(body));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::kCorruption);
}

TEST(EventCodec, ReportsAnEventOfAnUnknownTypeAsUnprocessable) {
  // A well-formed envelope whose payload is a field this build does not know
  // (as written by a newer build): readers skip it.
  std::string body;
  body += "\x08\x01";
  append_bytes_field(body, 0x12, Uuid::v7().raw());
  append_bytes_field(body, 0x22, Uuid::v7().raw());
  append_bytes_field(body, 0x3A, Uuid::v7().raw());
  body += "\x9a\x06\x02\x08\x01";  // field 99, length 2: {1: 1}
  auto decoded = decode_event(with_crc(body));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::kUnprocessable);
}

TEST(EventCodec, RefusesAnOutOfRangeStatusAsCorruption) {
  std::string body;
  body += "\x08\x01";
  append_bytes_field(body, 0x12, Uuid::v7().raw());
  append_bytes_field(body, 0x22, Uuid::v7().raw());
  append_bytes_field(body, 0x3A, Uuid::v7().raw());
  body += "\x92\x01\x02\x10\x63";  // order_status_changed (field 18) { to (field 2) = 99 }
  auto decoded = decode_event(with_crc(body));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::kCorruption);
}

TEST(EventCodec, RefusesAnUnknownDispatchModeAsCorruption) {
  std::string body;
  body += "\x08\x01";
  append_bytes_field(body, 0x12, Uuid::v7().raw());
  append_bytes_field(body, 0x22, Uuid::v7().raw());
  append_bytes_field(body, 0x3A, Uuid::v7().raw());
  // restaurant_updated (field 21) { settings (8) { dispatch_mode (2) = 7 } }
  body += "\xaa\x01\x04\x42\x02\x10\x07";
  auto decoded = decode_event(with_crc(body));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::kCorruption);
}

TEST(Crc32c, MatchesTheCastagnoliCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  // Long enough to cross any word-at-a-time path: the result does not depend
  // on alignment, and one flipped bit changes it.
  std::string data;
  for (int i = 0; i < 1001; ++i) data.push_back(static_cast<char>(i * 7));
  const std::string aligned = data.substr(1);
  EXPECT_EQ(crc32c(std::string_view(data).substr(1)), crc32c(aligned));
  std::string flipped = aligned;
  flipped[500] = static_cast<char>(flipped[500] ^ 0x04);
  EXPECT_NE(crc32c(flipped), crc32c(aligned));
}

TEST(BigEndianKeys, RoundTripAndSortNumerically) {
  std::string k;
  put_u64_be(k, 0x0102030405060708ull);
  EXPECT_EQ(k, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(get_u64_be(k), 0x0102030405060708ull);

  std::string a, b, c;
  put_u64_be(a, 255);
  put_u64_be(b, 256);
  put_u64_be(c, UINT64_MAX);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(get_u64_be(c), UINT64_MAX);
}

}  // namespace
