// The scheduler (engine/pipeline/scheduler.h): preorders open at their time
// less the lead, orders left pending are rejected, offers expire; what is due
// follows from the events alone (a new scheduler fed the log agrees), and a
// command whose moment passed is refused without writing anything. The
// clock is the test's: nothing here waits for real time but the thread test,
// which waits for a command it makes due at once.
#include "engine/pipeline/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/engine/domain/domain_state.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;

constexpr int64_t kSecond = 1'000'000;

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RestaurantRegistered details = restaurant_details();
    details.settings.auto_reject_after_s = 690;  // Uber Eats' 11.5 minutes
    details.settings.preorder_lead_s = 1800;
    ASSERT_TRUE(decide(register_restaurant(restaurant_, details)).ok());
  }

  // Decides like the pipeline and feeds the accepted events to the scheduler.
  Decided decide(Call call, int64_t now = kNow) {
    Decided d = state_.decide(std::move(call), now);
    if (d.ok()) scheduler_.observe(d.events);
    return d;
  }
  Decided decide(Command command, int64_t now) {
    return decide(Call{command.principal, std::move(command.body), command.expected_version}, now);
  }
  Uuid place(int64_t scheduled_for_us = 0, int64_t now = kNow) {
    const Uuid id = Uuid::v7();
    PlaceOrder body = order_body(id, restaurant_);
    body.fulfillment.scheduled_for_us = scheduled_for_us;
    auto placed = decide(place_order(body), now);
    EXPECT_TRUE(placed.ok()) << placed.error().message;
    return id;
  }
  const OrderState& order(const Uuid& id) const { return *state_.find<Order>(id); }

  const Uuid restaurant_ = Uuid::v7();
  DomainState state_;
  Scheduler scheduler_;
};

TEST_F(SchedulerTest, APreorderWaitsScheduledAndOpensAtItsTimeLessTheLead) {
  const int64_t at = kNow + 2 * 3600 * kSecond;
  const Uuid id = place(at);
  EXPECT_EQ(order(id).status, OrderStatus::kScheduled);
  const int64_t opens = at - 1800 * kSecond;
  EXPECT_EQ(scheduler_.next_due(), opens);
  EXPECT_TRUE(scheduler_.due(opens - 1).empty());

  auto due = scheduler_.due(opens);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].principal, kEnginePrincipal);
  auto opened = decide(std::move(due[0]), opens);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(order(id).status, OrderStatus::kPending);
  EXPECT_EQ(opened.event().actor, kEnginePrincipal);
  EXPECT_EQ(std::get<OrderStatusChanged>(opened.event().payload).reason, "preorder_window_open");
  // Now pending: the auto-reject counts from here.
  EXPECT_EQ(scheduler_.next_due(), opens + 690 * kSecond);
}

TEST_F(SchedulerTest, APreorderWithinTheLeadIsPendingAndOneInThePastIsRefused) {
  EXPECT_EQ(order(place(kNow + 600 * kSecond)).status, OrderStatus::kPending);
  PlaceOrder late = order_body(Uuid::v7(), restaurant_);
  late.fulfillment.scheduled_for_us = kNow - 3600 * kSecond;
  auto refused = decide(place_order(late));
  EXPECT_EQ(refused.error().field, "fulfillment.scheduled_for");
}

TEST_F(SchedulerTest, AnOrderLeftPendingIsRejectedAsNotAcceptedInTime) {
  const Uuid id = place();
  EXPECT_TRUE(scheduler_.due(kNow + 689 * kSecond).empty());
  auto due = scheduler_.due(kNow + 690 * kSecond);
  ASSERT_EQ(due.size(), 1u);
  auto rejected = decide(std::move(due[0]), kNow + 690 * kSecond);
  ASSERT_TRUE(rejected.ok()) << rejected.error().message;
  EXPECT_EQ(order(id).status, OrderStatus::kRejected);
  EXPECT_EQ(std::get<OrderStatusChanged>(rejected.event().payload).reason, "not_accepted_in_time");
  EXPECT_EQ(scheduler_.tracked(), 0u) << "finished orders are forgotten";
}

TEST_F(SchedulerTest, AnAcceptedOrderIsNotRejectedAndAnEditDoesNotPostponeIt) {
  const Uuid accepted = place();
  ASSERT_TRUE(decide(change_status(accepted, "accepted"), kNow + 10 * kSecond).ok());
  const Uuid edited = place();
  OrderPatch p;
  p.notes = "timbre roto";
  ASSERT_TRUE(decide({owner(), ChangeOrder{edited, p}, std::nullopt}, kNow + 100 * kSecond).ok());
  auto due = scheduler_.due(kNow + 690 * kSecond);
  ASSERT_EQ(due.size(), 1u) << "only the edited order, at its first deadline";
  EXPECT_EQ(std::get<ChangeOrderStatus>(due[0].body).order_id, edited);
  EXPECT_EQ(due[0].expected_version, 2u);
}

TEST_F(SchedulerTest, ACommandWhoseMomentPassedIsRefusedAndWritesNothing) {
  const Uuid id = place();
  auto due = scheduler_.due(kNow + 690 * kSecond);
  ASSERT_EQ(due.size(), 1u);
  // The owner accepts while the rejection is on its way.
  ASSERT_TRUE(decide(change_status(id, "accepted"), kNow + 690 * kSecond).ok());
  const size_t events = state_.events().size();
  auto late = decide(std::move(due[0]), kNow + 690 * kSecond);
  EXPECT_EQ(late.error().code, ErrorCode::kVersionMismatch);
  EXPECT_EQ(state_.events().size(), events);
  EXPECT_EQ(order(id).status, OrderStatus::kAccepted);
}

TEST_F(SchedulerTest, OffersExpireAndTheNextOfferIsScheduledInTurn) {
  RestaurantPatch patch;
  patch.auto_reject_after_s = 0;
  patch.dispatch_offer_to = 1;
  ASSERT_TRUE(decide(update_restaurant(restaurant_, patch)).ok());
  for (int n = 1; n <= 2; ++n) {
    const Uuid d = Uuid::v7();
    const Principal who = driver("u-driver-" + std::to_string(n));
    ASSERT_TRUE(decide(register_driver(d, who)).ok());
    ASSERT_TRUE(decide(report_location(d, -12.12 + n * 0.001, -77.03, 0, who)).ok());
    ASSERT_TRUE(decide({who, SetAvailability{d, Availability::kAvailable}, {}}).ok());
  }
  const Uuid id = place();
  for (const char* step : {"accepted", "ready", "awaiting_driver"})
    ASSERT_TRUE(decide(change_status(id, step)).ok());
  ASSERT_EQ(order(id).offered.size(), 1u);
  const Uuid first = order(id).offered[0];
  EXPECT_EQ(scheduler_.next_due(), kNow + 60 * kSecond);

  auto due = scheduler_.due(kNow + 60 * kSecond);
  ASSERT_EQ(due.size(), 1u);
  ASSERT_TRUE(decide(std::move(due[0]), kNow + 60 * kSecond).ok());
  ASSERT_EQ(order(id).offered.size(), 1u);
  EXPECT_NE(order(id).offered[0], first) << "the next nearest";
  EXPECT_EQ(scheduler_.next_due(), kNow + 120 * kSecond);
}

TEST_F(SchedulerTest, ANewSchedulerFedTheLogFindsTheSameWork) {
  const Uuid pending = place();
  const Uuid preorder = place(kNow + 5 * 3600 * kSecond);
  const Uuid accepted = place();
  ASSERT_TRUE(decide(change_status(accepted, "accepted")).ok());
  Scheduler restarted;  // as a server starts: the log's events, then what is due
  for (const Event& e : state_.events()) restarted.observe_loaded(e);
  EXPECT_FALSE(restarted.next_due()) << "nothing armed while loading";
  restarted.finish_load();
  EXPECT_EQ(restarted.tracked(), scheduler_.tracked());
  EXPECT_EQ(restarted.next_due(), scheduler_.next_due());
  auto a = scheduler_.due(kNow + 6 * 3600 * kSecond);
  auto b = restarted.due(kNow + 6 * 3600 * kSecond);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(std::get<ChangeOrderStatus>(a[i].body).order_id,
              std::get<ChangeOrderStatus>(b[i].body).order_id);
    EXPECT_EQ(a[i].expected_version, b[i].expected_version);
  }
  EXPECT_EQ(std::get<ChangeOrderStatus>(a[0].body).order_id, pending);
  EXPECT_EQ(std::get<ChangeOrderStatus>(a[1].body).order_id, preorder);
}

TEST_F(SchedulerTest, ACommandTheLogCouldNotWriteIsTriedAgain) {
  place();
  auto due = scheduler_.due(kNow + 690 * kSecond);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(scheduler_.next_due());
  due[0].done(Error::unavailable("the log refused a write"));
  EXPECT_EQ(scheduler_.next_due(), kNow + 691 * kSecond);
  auto again = scheduler_.due(kNow + 691 * kSecond);
  ASSERT_EQ(again.size(), 1u);
  // A refusal by the domain (the order moved on) is not tried again.
  again[0].done(Error::conflict("status", "the order moved on"));
  EXPECT_FALSE(scheduler_.next_due());
}

TEST_F(SchedulerTest, ItsThreadSubmitsWhatFallsDueByTheInjectedClock) {
  std::atomic<int64_t> clock{kNow};
  std::mutex mu;
  std::vector<Command> submitted;
  int refusals = 1;  // the pipeline is full once: retried
  scheduler_.start([&] { return clock.load(); },
                   [&](Command&& c) {
                     std::lock_guard lock(mu);
                     if (refusals-- > 0) return false;
                     submitted.push_back(std::move(c));
                     return true;
                   });
  const Uuid id = place();
  clock = kNow + 700 * kSecond;
  scheduler_.poke();
  // Refused once; the retry comes a second (of the test's clock) later.
  for (int i = 0; i < 500; ++i) {  // at most 5 s
    {
      std::lock_guard lock(mu);
      if (refusals == 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  clock = kNow + 702 * kSecond;
  scheduler_.poke();
  for (int i = 0; i < 500; ++i) {  // at most 5 s
    {
      std::lock_guard lock(mu);
      if (!submitted.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  scheduler_.stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(refusals, -1);
  ASSERT_EQ(submitted.size(), 1u);
  EXPECT_EQ(std::get<ChangeOrderStatus>(submitted[0].body).order_id, id);
  EXPECT_EQ(std::get<ChangeOrderStatus>(submitted[0].body).status, "rejected");
}

}  // namespace
