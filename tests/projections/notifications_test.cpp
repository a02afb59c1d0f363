// Notifications (projections/notifications.h): a customer's message for each
// status in their language, GastroMóvil's texts as its customers see them,
// offers to each offered driver with what they decide on, new orders to the
// restaurant; nothing for other events or for a guest's status changes.
#include "projections/notifications.h"

#include <gtest/gtest.h>

#include "tests/engine/domain/domain_state.h"
#include "tests/support/models_under_test.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using comanda::projections::customer_message;
using comanda::projections::Notification;
using comanda::projections::NotificationsOf;

TEST(CustomerMessages, AreGastroMovilsTextsInSpanish) {
  EXPECT_EQ(customer_message(OrderStatus::kAccepted, "es"),
            "✅ ¡Tu pedido fue aceptado! El restaurante lo está preparando.");
  EXPECT_EQ(customer_message(OrderStatus::kPreparing, ""),
            "👨‍🍳 Tu pedido está siendo preparado.");
  EXPECT_EQ(customer_message(OrderStatus::kAwaitingDriver, "es"),
            "🛵 ¡Tu pedido está en camino!");
  EXPECT_EQ(customer_message(OrderStatus::kDelivered, "es"), "🎉 ¡Tu pedido fue entregado!");
  EXPECT_EQ(customer_message(OrderStatus::kCancelled, "es"), "❌ Tu pedido fue cancelado.");
  EXPECT_EQ(customer_message(OrderStatus::kDelivered, "en"), "🎉 Your order was delivered!");
}

TEST(CustomerMessages, EveryStatusHasATextInBothLanguages) {
  for (const StatusInfo& info : status_table()) {
    const auto es = customer_message(info.status, "es");
    const auto en = customer_message(info.status, "en");
    EXPECT_FALSE(es.empty()) << info.name;
    EXPECT_FALSE(en.empty()) << info.name;
    EXPECT_NE(es, en) << info.name;
  }
}

class NotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(run(register_restaurant(restaurant_)).ok()); }

  Decided run(Call call) {
    Decided d = state_.decide(std::move(call));
    if (d.ok()) models_.apply(d.events);
    return d;
  }
  // What the last accepted call's events gave, in order.
  std::vector<Notification> of(const Decided& d) const {
    NotificationsOf notify(models_.registry().get<comanda::projections::RestaurantsModel>(),
                           models_.registry().get<comanda::projections::OrdersModel>());
    std::vector<Notification> out;
    for (const Event& e : d.events)
      for (Notification& n : notify(e)) out.push_back(std::move(n));
    return out;
  }
  Uuid place(std::string locale = "") {
    const Uuid id = Uuid::v7();
    PlaceOrder body = order_body(id, restaurant_);
    body.customer.locale = std::move(locale);
    placed_ = run(place_order(body));
    EXPECT_TRUE(placed_.ok()) << placed_.error().message;
    return id;
  }

  const Uuid restaurant_ = Uuid::v7();
  DomainState state_;
  ModelsUnderTest models_;
  Decided placed_;
};

TEST_F(NotificationsTest, ANewOrderTellsItsRestaurant) {
  const Uuid id = place();
  auto got = of(placed_);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].to, Notification::To::kRestaurant);
  EXPECT_EQ(got[0].recipient, restaurant_.to_string());
  EXPECT_EQ(got[0].order_id, id);
  EXPECT_EQ(got[0].position, placed_.event().position);
  EXPECT_EQ(got[0].reference, "A001-000001");
  EXPECT_EQ(got[0].message, "Nuevo pedido A001-000001 (1 producto)");
}

TEST_F(NotificationsTest, AStatusChangeTellsTheCustomerInTheirLanguage) {
  const Uuid es = place();
  auto accepted = run(change_status(es, "aceptado"));
  auto got = of(accepted);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].to, Notification::To::kCustomer);
  EXPECT_EQ(got[0].recipient, "u-cust-1");
  EXPECT_EQ(got[0].message, "✅ ¡Tu pedido fue aceptado! El restaurante lo está preparando.");
  EXPECT_EQ(got[0].position, accepted.event().position);

  const Uuid en = place("en");
  got = of(run(change_status(en, "cancelled")));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message, "❌ Your order was cancelled.");
}

TEST_F(NotificationsTest, AGuestHasNoAccountToTell) {
  PlaceOrder body = order_body(Uuid::v7(), restaurant_);
  body.customer.id.clear();  // a guest
  auto placed = run(place_order(body));
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  EXPECT_TRUE(of(run(change_status(body.order_id, "accepted"))).empty());
}

TEST_F(NotificationsTest, AnOfferTellsEachOfferedDriverWhatTheyDecideOn) {
  std::vector<Uuid> drivers;
  for (int n = 1; n <= 2; ++n) {
    const Uuid d = Uuid::v7();
    const Principal who = driver("u-driver-" + std::to_string(n));
    ASSERT_TRUE(run(register_driver(d, who)).ok());
    auto ping = run(report_location(d, -12.12 + n * 0.001, -77.03, 0, who));
    EXPECT_TRUE(of(ping).empty()) << "a ping tells nobody";
    ASSERT_TRUE(run({who, SetAvailability{d, Availability::kAvailable}, {}}).ok());
    drivers.push_back(d);
  }
  const Uuid id = place();
  ASSERT_TRUE(run(change_status(id, "accepted")).ok());
  ASSERT_TRUE(run(change_status(id, "ready")).ok());
  auto step = run(change_status(id, "awaiting_driver"));
  auto got = of(step);
  ASSERT_EQ(got.size(), 3u) << "the customer, then each offered driver";
  EXPECT_EQ(got[0].message, "🛵 ¡Tu pedido está en camino!");
  for (size_t i = 0; i < 2; ++i) {
    const Notification& n = got[i + 1];
    EXPECT_EQ(n.to, Notification::To::kDriver);
    EXPECT_EQ(n.recipient, drivers[i].to_string());
    EXPECT_EQ(n.order_id, id);
    EXPECT_EQ(n.restaurant_name, "Sede 1");
    EXPECT_EQ(n.restaurant_address, "Av. Larco 101");
    EXPECT_EQ(n.delivery_address, "Calle 1 234");
    EXPECT_EQ(n.message, "Nuevo pedido A001-000001 en Sede 1 (Av. Larco 101) para Calle 1 234");
  }
}

TEST_F(NotificationsTest, ADeletedOrderTellsNobodyOnReplay) {
  const Uuid id = place();
  auto accepted = run(change_status(id, "accepted"));
  ASSERT_TRUE(run({owner(), DeleteOrder{id}, {}}).ok());
  EXPECT_TRUE(of(accepted).empty());
}

}  // namespace
