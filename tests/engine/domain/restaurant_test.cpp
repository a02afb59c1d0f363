// The restaurant's rules (engine/domain/restaurant.h): registering with
// settings, changing them, pausing and resuming, decided on the domain alone.
#include "engine/domain/restaurant.h"

#include <gtest/gtest.h>

#include "engine/domain/order.h"
#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

class RestaurantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registered = state_.decide(register_restaurant(id_));
    ASSERT_TRUE(registered.ok()) << registered.error().message;
  }

  Decided update(RestaurantPatch patch, Principal who = owner(),
                 std::optional<uint64_t> version = std::nullopt) {
    Call call = update_restaurant(id_, std::move(patch), std::move(who), version);
    auto& cmd = std::get<UpdateRestaurant>(call.body);
    if (Status valid = validate(cmd); !valid.ok()) return {valid, std::nullopt, {}};
    return state_.decide(std::move(call));
  }

  const RestaurantState& now() const { return *state_.find<Restaurant>(id_); }

  Decided place(FulfillmentType type = FulfillmentType::kDelivery) {
    return state_.decide({admin(), order_body(Uuid::v7(), id_, type), std::nullopt});
  }

  const Uuid id_ = Uuid::v7();
  DomainState state_;
};

TEST_F(RestaurantTest, ANewRestaurantHasTheDocumentedSettings) {
  const RestaurantSettings& s = now().details.settings;
  EXPECT_EQ(s, RestaurantSettings{});
  EXPECT_EQ(s.dispatch.mode, DispatchSettings::Mode::kNearest);
  EXPECT_EQ(s.dispatch.offer_to, 3u);
  EXPECT_EQ(s.dispatch.radius_m, 5000u);
  EXPECT_EQ(s.preorder_lead_s, 1800u);
  EXPECT_FALSE(now().paused);
}

TEST_F(RestaurantTest, RecordsOnlyWhatAPatchChanges) {
  RestaurantPatch p;
  p.name = "Sede 1";  // as it is
  p.address = "Jr. Puno 5";
  p.dispatch_radius_m = 3000;
  auto outcome = update(p, owner(), 1);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(outcome.events.size(), 1u);
  const auto& u = std::get<RestaurantUpdated>(outcome.event().payload);
  EXPECT_FALSE(u.name);
  EXPECT_EQ(u.address, "Jr. Puno 5");
  ASSERT_TRUE(u.settings);  // settings are recorded whole
  EXPECT_EQ(u.settings->dispatch.radius_m, 3000u);
  EXPECT_EQ(u.settings->dispatch.mode, DispatchSettings::Mode::kNearest);
  EXPECT_EQ(now().version, 2u);
  EXPECT_EQ(now().details.address, "Jr. Puno 5");
  EXPECT_EQ(now().details.settings.dispatch.radius_m, 3000u);
}

TEST_F(RestaurantTest, APatchThatChangesNothingEmitsNothing) {
  RestaurantPatch p;
  p.name = "Sede 1";
  p.dispatch_mode = DispatchSettings::Mode::kNearest;
  p.paused = false;
  auto outcome = update(p);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(outcome.events.empty());
  EXPECT_EQ(now().version, 1u);
}

TEST_F(RestaurantTest, PausingRefusesNewOrdersAndResumingTakesThemAgain) {
  auto open = place();
  ASSERT_TRUE(open.ok());
  RestaurantPatch pause;
  pause.paused = true;
  auto paused = update(pause);
  ASSERT_TRUE(paused.ok());
  EXPECT_TRUE(std::holds_alternative<RestaurantPaused>(paused.event().payload));
  EXPECT_TRUE(now().paused);

  auto refused = place();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().field, "restaurant_id");
  // Its open orders go on.
  ChangeOrderStatus accept{open.event().stream, "accepted", ""};
  EXPECT_TRUE(state_.decide({owner(), accept, std::nullopt}).ok());

  RestaurantPatch resume;
  resume.paused = false;
  auto resumed = update(resume);
  ASSERT_TRUE(resumed.ok());
  EXPECT_TRUE(std::holds_alternative<RestaurantResumed>(resumed.event().payload));
  EXPECT_TRUE(place().ok());
}

TEST_F(RestaurantTest, AChangeAndAPauseAreTwoEventsOfOneCommand) {
  RestaurantPatch p;
  p.name = "Cerrado por hoy";
  p.paused = true;
  auto outcome = update(p);
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome.events.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<RestaurantUpdated>(outcome.events[0].payload));
  EXPECT_TRUE(std::holds_alternative<RestaurantPaused>(outcome.events[1].payload));
  EXPECT_EQ(now().version, 3u);
}

TEST_F(RestaurantTest, RegisteredPausedItTakesNoOrdersUntilResumed) {
  const Uuid other = Uuid::v7();
  RegisterRestaurant cmd{other, restaurant_details(), true};
  ASSERT_TRUE(validate(cmd).ok());
  auto registered = state_.decide({admin(), cmd, std::nullopt});
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(registered.events.size(), 2u);
  EXPECT_TRUE(state_.find<Restaurant>(other)->paused);
  auto refused = state_.decide({admin(), order_body(Uuid::v7(), other), std::nullopt});
  EXPECT_FALSE(refused.ok());
}

TEST_F(RestaurantTest, TheDeliveryFeeIsPricedOnDeliveryOrdersOnly) {
  RestaurantPatch p;
  p.delivery_fee = 500;
  ASSERT_TRUE(update(p).ok());
  auto delivery = place(FulfillmentType::kDelivery);
  ASSERT_TRUE(delivery.ok()) << delivery.error().message;
  const Totals& d = std::get<OrderPlaced>(delivery.event().payload).totals;
  EXPECT_EQ(d.delivery_fee, 500);
  EXPECT_EQ(d.total, 3700 + 500);  // the food (tax included) and the fee
  auto pickup = place(FulfillmentType::kPickup);
  ASSERT_TRUE(pickup.ok()) << pickup.error().message;
  EXPECT_EQ(std::get<OrderPlaced>(pickup.event().payload).totals.delivery_fee, 0);
}

TEST_F(RestaurantTest, WhoMayChangeARestaurant) {
  RestaurantPatch p;
  p.name = "x";
  auto stranger = update(p, owner("u-owner-2"));
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);  // as an absent one
  for (const Principal& who : {customer(), driver()}) {
    auto refused = update(p, who);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  }
  EXPECT_TRUE(update(p, admin()).ok());
  EXPECT_EQ(now().details.name, "x");
}

TEST_F(RestaurantTest, AStaleVersionChangesNothing) {
  RestaurantPatch p;
  p.name = "first";
  ASSERT_TRUE(update(p, owner(), 1).ok());
  p.name = "second";
  auto stale = update(p, owner(), 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kVersionMismatch);
  EXPECT_EQ(now().details.name, "first");
}

TEST_F(RestaurantTest, AnOwnerCannotTakeThemselfOffButAnAdminCan) {
  RestaurantPatch p;
  p.owners = std::vector<std::string>{"u-owner-2"};
  auto refused = update(p);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "owners");
  ASSERT_TRUE(update(p, admin()).ok());
  EXPECT_EQ(now().details.owners, std::vector<std::string>{"u-owner-2"});
  p.name = "y";
  EXPECT_EQ(update(p).error().code, ErrorCode::kNotFound);  // no longer theirs
}

TEST_F(RestaurantTest, SettingsStayWithinTheirBounds) {
  struct Case {
    RestaurantPatch patch;
    std::string field;
  };
  std::vector<Case> cases(7);
  cases[0].patch.dispatch_offer_to = 0, cases[0].field = "dispatch.offer_to";
  cases[1].patch.dispatch_radius_m = 100'001, cases[1].field = "dispatch.radius_m";
  cases[2].patch.dispatch_offer_timeout_s = 4, cases[2].field = "dispatch.offer_timeout_s";
  cases[3].patch.geofence_near_restaurant_m = 9, cases[3].field = "geofence.near_restaurant_m";
  cases[4].patch.auto_reject_after_s = 59, cases[4].field = "auto_reject_after_s";
  cases[5].patch.preorder_lead_s = 86'401, cases[5].field = "preorder_lead_s";
  cases[6].patch.dispatch_offer_on = OrderStatus::kReady, cases[6].field = "dispatch.offer_on";
  for (const Case& c : cases) {
    auto refused = update(c.patch);
    ASSERT_FALSE(refused.ok()) << c.field;
    EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable) << c.field;
    EXPECT_EQ(refused.error().field, c.field);
  }
  EXPECT_EQ(now().version, 1u);
  RestaurantPatch never;
  never.auto_reject_after_s = 0;  // 0 is "never", within bounds
  EXPECT_TRUE(update(never).ok());
}

TEST_F(RestaurantTest, ReplayingTheEventsGivesTheSameState) {
  RestaurantPatch p;
  p.series = "B7";
  p.tax_rate_bp = 1000;
  p.geofence_enabled = false;
  p.paused = true;
  ASSERT_TRUE(update(p).ok());
  DomainState replayed;
  for (const Event& e : state_.events()) replayed.apply(e);
  const RestaurantState* again = replayed.find<Restaurant>(id_);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->details, now().details);
  EXPECT_EQ(again->paused, now().paused);
  EXPECT_EQ(again->version, now().version);
}

}  // namespace
