// The read models (projections/orders.h and the registry): order lists, filters,
// pagination, and rebuilding from the log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "engine/pipeline/hot_state.h"
#include "tests/support/committed_log.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using comanda::projections::OrderPage;
using comanda::projections::OrderQuery;
using comanda::projections::OrderView;

class ReadModelsTest : public ::testing::Test {
 protected:
  // Decides `commands` as one batch, writes it to the log and applies it to
  // the read models, as the sequencer does.
  std::vector<CommandOutcome> commit(std::vector<Command> commands) {
    return db_.commit_batch(std::move(commands));
  }
  CommandOutcome commit(Command command) { return db_.commit(std::move(command)); }

  Uuid restaurant() {
    const Uuid id = Uuid::v7();
    EXPECT_TRUE(commit(register_restaurant(id)).ok());
    return id;
  }
  Uuid order_at(const Uuid& restaurant_id) {
    const Uuid id = Uuid::v7();
    auto outcome = commit(place_order(id, restaurant_id));
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return id;
  }

  static std::vector<Uuid> ids(const OrderPage& page) {
    std::vector<Uuid> out;
    for (const OrderView& o : page.orders) out.push_back(o.id);
    return out;
  }

  // Every page of `query`, following next_cursor; bounded.
  std::vector<OrderPage> all_pages(const ModelsUnderTest& models, OrderQuery query) {
    std::vector<OrderPage> pages;
    for (int guard = 0; guard < 1000; ++guard) {
      pages.push_back(models.list_orders(query));
      if (pages.back().next_cursor == 0) return pages;
      EXPECT_LT(pages.back().next_cursor,
                query.before_position == 0 ? UINT64_MAX : query.before_position)
          << "the cursor did not move back";
      query.before_position = pages.back().next_cursor;
    }
    ADD_FAILURE() << "pagination did not end";
    return pages;
  }

  TempDir dir_;
  CommittedLog db_{dir_.path() / "log"};
  std::unique_ptr<EventLog>& log_ = db_.log;
  HotState& state_ = db_.state;
  ModelsUnderTest& models_ = db_.models;
  int64_t& now_ = db_.now;
};

TEST_F(ReadModelsTest, ListsOrdersNewestFirst) {
  const Uuid r = restaurant();
  std::vector<Uuid> placed;
  for (int i = 0; i < 5; ++i) placed.push_back(order_at(r));
  const OrderPage page = models_.list_orders({});
  EXPECT_EQ(ids(page), std::vector<Uuid>(placed.rbegin(), placed.rend()));
  EXPECT_EQ(page.next_cursor, 0u);
  EXPECT_EQ(page.position, log_->last_position());
}

TEST_F(ReadModelsTest, ListsOneRestaurantsOrders) {
  const Uuid r1 = restaurant(), r2 = restaurant();
  std::vector<Uuid> at_r1, at_r2;
  for (int i = 0; i < 3; ++i) {
    at_r1.push_back(order_at(r1));
    at_r2.push_back(order_at(r2));
  }
  OrderQuery q;
  q.restaurant_id = r2;
  EXPECT_EQ(ids(models_.list_orders(q)), std::vector<Uuid>(at_r2.rbegin(), at_r2.rend()));
  q.restaurant_id = r1;
  EXPECT_EQ(ids(models_.list_orders(q)), std::vector<Uuid>(at_r1.rbegin(), at_r1.rend()));
  q.restaurant_id = Uuid::v7();
  EXPECT_TRUE(models_.list_orders(q).orders.empty());
}

TEST_F(ReadModelsTest, FiltersByStatus) {
  const Uuid r = restaurant();
  const Uuid a = order_at(r), b = order_at(r), c = order_at(r);
  ASSERT_TRUE(commit(change_status(a, "accepted")).ok());
  ASSERT_TRUE(commit(change_status(c, "cancelled")).ok());

  OrderQuery q;
  q.statuses = {OrderStatus::kAccepted};
  EXPECT_EQ(ids(models_.list_orders(q)), std::vector<Uuid>{a});
  q.statuses = {OrderStatus::kPending, OrderStatus::kCancelled};
  EXPECT_EQ(ids(models_.list_orders(q)), (std::vector<Uuid>{c, b}));
  q.statuses = {OrderStatus::kDelivered};
  EXPECT_TRUE(models_.list_orders(q).orders.empty());
}

TEST_F(ReadModelsTest, PagesVisitEveryOrderExactlyOnceNewestFirst) {
  const Uuid r = restaurant();
  std::vector<Uuid> placed;
  for (int i = 0; i < 23; ++i) placed.push_back(order_at(r));

  OrderQuery q;
  q.limit = 5;
  const auto pages = all_pages(models_, q);
  std::vector<size_t> sizes;
  std::vector<Uuid> visited;
  for (const auto& p : pages) {
    sizes.push_back(p.orders.size());
    for (const Uuid& id : ids(p)) visited.push_back(id);
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{5, 5, 5, 5, 3}));
  EXPECT_EQ(visited, std::vector<Uuid>(placed.rbegin(), placed.rend()));
}

TEST_F(ReadModelsTest, EndsPaginationWithoutAnEmptyPageWhenTheLimitDividesTheCount) {
  const Uuid r = restaurant();
  for (int i = 0; i < 10; ++i) order_at(r);
  OrderQuery q;
  q.limit = 5;
  const auto pages = all_pages(models_, q);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[1].orders.size(), 5u);
}

TEST_F(ReadModelsTest, PagesThroughAFilteredRestaurantList) {
  const Uuid r1 = restaurant(), r2 = restaurant();
  std::vector<Uuid> expected;  // r1's accepted orders, oldest first
  for (int i = 0; i < 30; ++i) {
    const Uuid id = order_at(i % 3 == 0 ? r2 : r1);
    if (i % 3 != 0 && i % 2 == 0) {
      ASSERT_TRUE(commit(change_status(id, "accepted")).ok());
      expected.push_back(id);
    }
  }
  OrderQuery q;
  q.restaurant_id = r1;
  q.statuses = {OrderStatus::kAccepted};
  q.limit = 3;
  std::vector<Uuid> visited;
  for (const auto& p : all_pages(models_, q)) {
    EXPECT_LE(p.orders.size(), 3u);
    for (const Uuid& id : ids(p)) visited.push_back(id);
  }
  EXPECT_EQ(visited, std::vector<Uuid>(expected.rbegin(), expected.rend()));
}

TEST_F(ReadModelsTest, RebuildsFromTheLogTheSamePagesAsLiveUpdates) {
  const Uuid r1 = restaurant(), r2 = restaurant();
  std::vector<Uuid> orders;
  for (int i = 0; i < 12; ++i) orders.push_back(order_at(i % 2 ? r1 : r2));
  std::vector<Command> batch;
  batch.push_back(change_status(orders[0], "accepted"));
  batch.push_back(change_status(orders[1], "cancelled", customer()));
  batch.push_back(change_status(orders[2], "ready"));
  batch.push_back(change_status(orders[2], "awaiting_driver"));
  commit(batch);

  ModelsUnderTest rebuilt;
  ASSERT_TRUE(rebuilt.rebuild(*log_).ok());
  EXPECT_EQ(rebuilt.position(), models_.position());

  for (std::optional<Uuid> restaurant_id : {std::optional<Uuid>{}, std::optional<Uuid>{r1}}) {
    OrderQuery q;
    q.restaurant_id = restaurant_id;
    q.limit = 4;
    const auto live = all_pages(models_, q);
    const auto again = all_pages(rebuilt, q);
    ASSERT_EQ(live.size(), again.size());
    for (size_t p = 0; p < live.size(); ++p) {
      EXPECT_EQ(live[p].next_cursor, again[p].next_cursor);
      ASSERT_EQ(live[p].orders.size(), again[p].orders.size());
      for (size_t i = 0; i < live[p].orders.size(); ++i) {
        const OrderView &a = live[p].orders[i], &b = again[p].orders[i];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.version, b.version);
        EXPECT_EQ(a.status, b.status);
        EXPECT_EQ(a.placed_position, b.placed_position);
        EXPECT_EQ(a.placed_at_us, b.placed_at_us);
        EXPECT_EQ(a.updated_at_us, b.updated_at_us);
        EXPECT_EQ(a.placed, b.placed);
        EXPECT_EQ(a.cancelled_by_customer, b.cancelled_by_customer);
        EXPECT_EQ(a.status_reason, b.status_reason);
      }
    }
  }
  auto restaurant_view = rebuilt.restaurant(r1);
  ASSERT_TRUE(restaurant_view.has_value());
  EXPECT_EQ(restaurant_view->details, models_.restaurant(r1)->details);
}

TEST_F(ReadModelsTest, RebuildDropsWhatWasThereBefore) {
  const Uuid r = restaurant();
  order_at(r);
  TempDir empty_dir;
  auto empty = EventLog::open(empty_dir.path() / "log", {Durability::kAsync, false});
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(models_.rebuild(**empty).ok());
  EXPECT_TRUE(models_.list_orders({}).orders.empty());
  EXPECT_FALSE(models_.restaurant(r).has_value());
  EXPECT_EQ(models_.position(), 0u);
}

TEST_F(ReadModelsTest, AnswersNothingForUnknownIds) {
  restaurant();
  EXPECT_FALSE(models_.order(Uuid::v7()).has_value());
  EXPECT_FALSE(models_.restaurant(Uuid::v7()).has_value());
}

TEST_F(ReadModelsTest, KeepsAnOrdersSummaryUpToDate) {
  const Uuid r = restaurant();
  const Uuid id = order_at(r);
  auto placed = models_.order(id);
  ASSERT_TRUE(placed.has_value());
  EXPECT_EQ(placed->version, 1u);
  EXPECT_EQ(placed->status, OrderStatus::kPending);
  EXPECT_EQ(placed->placed.reference, "A001-000001");
  EXPECT_EQ(placed->placed.totals.total, 3700);
  const int64_t placed_at = placed->placed_at_us;

  Command accept = change_status(id, "aceptado");
  std::get<ChangeOrderStatus>(accept.body).reason = "listo en 20 min";
  ASSERT_TRUE(commit(accept).ok());
  auto accepted = models_.order(id);
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->version, 2u);
  EXPECT_EQ(accepted->status, OrderStatus::kAccepted);
  EXPECT_EQ(accepted->status_reason, "listo en 20 min");
  EXPECT_EQ(accepted->placed_at_us, placed_at);
  EXPECT_GT(accepted->updated_at_us, placed_at);
  EXPECT_EQ(models_.position(), log_->last_position());
}

TEST_F(ReadModelsTest, MarksACancellationByTheCustomer) {
  const Uuid r = restaurant();
  const Uuid by_customer = order_at(r), by_owner = order_at(r);
  ASSERT_TRUE(commit(change_status(by_customer, "cancelado", customer())).ok());
  ASSERT_TRUE(commit(change_status(by_owner, "cancelled", owner())).ok());
  EXPECT_TRUE(models_.order(by_customer)->cancelled_by_customer);
  EXPECT_FALSE(models_.order(by_owner)->cancelled_by_customer);
  EXPECT_EQ(status_code(models_.order(by_customer)->status,
                        models_.order(by_customer)->cancelled_by_customer),
            16);
  EXPECT_EQ(
      status_code(models_.order(by_owner)->status, models_.order(by_owner)->cancelled_by_customer),
      2);
}

TEST_F(ReadModelsTest, KeepsEachRestaurantsMenuInItsCurrency) {
  EXPECT_FALSE(models_.menu(Uuid::v7()).has_value());  // no such restaurant
  const Uuid r = restaurant();
  auto empty = models_.menu(r);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->version, 0u);
  EXPECT_EQ(empty->currency, "PEN");
  EXPECT_TRUE(empty->items.all().empty());

  ASSERT_TRUE(commit(replace_menu(r)).ok());
  MenuItemPatch sold_out;
  sold_out.available = false;
  ASSERT_TRUE(commit(Call{admin(), ChangeMenuItem{r, "SODA", sold_out}, std::nullopt}).ok());
  auto menu = models_.menu(r);
  ASSERT_TRUE(menu.has_value());
  EXPECT_EQ(menu->version, 2u);
  EXPECT_EQ(menu->updated_at_us, now_);
  ASSERT_EQ(menu->items.all().size(), 2u);
  EXPECT_FALSE(menu->items.find("SODA")->available);
  EXPECT_EQ(menu->items.find("BURGER")->removals, (std::vector<std::string>{"onion", "ketchup"}));
  // Another restaurant's menu is its own.
  const Uuid other = restaurant();
  EXPECT_TRUE(models_.menu(other)->items.all().empty());
}

TEST_F(ReadModelsTest, ShowsEachChangeToAnOrder) {
  const Uuid r = restaurant();
  const Uuid id = order_at(r);
  OrderPatch p;
  p.notes = "sin sal";
  p.tip = 0;
  ASSERT_TRUE(commit(Call{owner(), ChangeOrder{id, p}, std::nullopt}).ok());
  auto o = models_.order(id);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->placed.notes, "sin sal");
  EXPECT_EQ(o->placed.totals.tip, 0);
  EXPECT_EQ(o->version, 2u);

  ASSERT_TRUE(commit(change_status(id, "accepted")).ok());
  ASSERT_TRUE(commit(Call{owner(), FulfillLine{id, 0, 1}, std::nullopt}).ok());
  EXPECT_EQ(models_.order(id)->fulfilled, std::vector<uint32_t>{1});
  const int64_t cancelled_at = now_ + 1000;
  ASSERT_TRUE(commit(change_status(id, "cancelled")).ok());
  EXPECT_EQ(models_.order(id)->canceled_at_us, cancelled_at);
  EXPECT_EQ(models_.order(id)->completed_at_us, 0);
}

TEST_F(ReadModelsTest, ArchivedOrdersLeaveDefaultListsAndDeletedOnesEveryAnswer) {
  const Uuid r = restaurant();
  const Uuid kept = order_at(r);
  const Uuid archived = order_at(r);
  const Uuid deleted = order_at(r);
  ASSERT_TRUE(commit(change_status(archived, "rejected")).ok());
  ASSERT_TRUE(commit(Call{owner(), ArchiveOrder{archived}, std::nullopt}).ok());
  ASSERT_TRUE(commit(Call{owner(), DeleteOrder{deleted}, std::nullopt}).ok());
  OrderQuery all;
  EXPECT_EQ(ids(models_.list_orders(all)), std::vector<Uuid>{kept});
  OrderQuery only_archived;
  only_archived.archived = true;
  EXPECT_EQ(ids(models_.list_orders(only_archived)), std::vector<Uuid>{archived});
  EXPECT_TRUE(models_.order(archived)->archived);
  EXPECT_FALSE(models_.order(deleted).has_value());
  EXPECT_FALSE(models_.order_for(deleted, admin()).has_value());
}

TEST_F(ReadModelsTest, KeepsEachAccountsCreditPerCurrency) {
  const Uuid r = restaurant();
  ASSERT_TRUE(commit(replace_menu(r)).ok());
  const Uuid account = Uuid::v7();
  AccountRegistered d;
  d.user_id = "u-cust-1";
  d.name = "Ana";
  d.restaurant_ids = {r};
  ASSERT_TRUE(commit(Call{admin(), RegisterAccount{account, d}, std::nullopt}).ok());
  ASSERT_TRUE(commit(Call{admin(), ChangeCredit{account, 5000, "PEN", ""}, std::nullopt}).ok());
  ASSERT_TRUE(commit(Call{admin(), ChangeCredit{account, 700, "USD", ""}, std::nullopt}).ok());
  PlaceOrder body = order_body(Uuid::v7(), r, FulfillmentType::kPickup);
  body.items = lines({{"SODA", 2}});
  body.payment = {"credit", std::nullopt, {}};
  ASSERT_TRUE(commit(place_order(body, customer())).ok());
  auto a = models_.account(account);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->credit, (std::vector<std::pair<std::string, int64_t>>{{"PEN", 4000}, {"USD", 700}}));
  EXPECT_EQ(a->version, 4u);
  EXPECT_EQ(models_.account_of("u-cust-1", r)->id, account);
  EXPECT_FALSE(models_.account_of("u-cust-1", Uuid::v7()).has_value());
  EXPECT_EQ(models_.order(body.order_id)->placed.payment.account, account);
}

TEST_F(ReadModelsTest, IgnoresABatchAppliedTwice) {
  const Uuid r = restaurant();
  const Uuid id = Uuid::v7();
  BatchContext ctx{now_ += 1000, log_->last_position() + 1};
  std::vector<Event> events;
  ASSERT_TRUE(state_.decide(place_order(id, r), ctx, events).ok());
  ASSERT_TRUE(log_->append(events).ok());
  models_.apply(events);
  models_.apply(events);
  EXPECT_EQ(ids(models_.list_orders({})), std::vector<Uuid>{id});
}

}  // namespace

namespace {

class ReadModelsTenancyTest : public ReadModelsTest {
 protected:
  // R1 owned by u-owner-1 with orders for u-cust-1 and u-cust-2; R2 owned by
  // u-owner-2 with an order for u-cust-1.
  void SetUp() override {
    ReadModelsTest::SetUp();
    r1_ = restaurant_owned_by("u-owner-1");
    r2_ = restaurant_owned_by("u-owner-2");
    a_ = order_for(r1_, "u-cust-1");
    b_ = order_for(r1_, "u-cust-2");
    c_ = order_for(r2_, "u-cust-1");
  }
  Uuid restaurant_owned_by(const std::string& owner_subject) {
    RestaurantRegistered d = restaurant_details();
    d.owners = {owner_subject};
    const Uuid id = Uuid::v7();
    EXPECT_TRUE(commit(register_restaurant(id, d)).ok());
    return id;
  }
  Uuid order_for(const Uuid& restaurant_id, const std::string& customer_id) {
    PlaceOrder body = order_body(Uuid::v7(), restaurant_id);
    body.customer.id = customer_id;
    EXPECT_TRUE(commit(place_order(body, Principal{"root", Role::kAdmin})).ok());
    return body.order_id;
  }
  std::vector<Uuid> listed_for(Principal viewer, std::optional<Uuid> restaurant = std::nullopt) {
    OrderQuery q;
    q.viewer = std::move(viewer);
    q.restaurant_id = restaurant;
    return ids(models_.list_orders(q));
  }
  Uuid r1_, r2_, a_, b_, c_;
};

TEST_F(ReadModelsTenancyTest, ListsOnlyWhatEachCallerMaySee) {
  using ::testing::ElementsAre;
  EXPECT_THAT(listed_for({"root", Role::kAdmin}), ElementsAre(c_, b_, a_));
  EXPECT_THAT(listed_for(owner("u-owner-1")), ElementsAre(b_, a_));
  EXPECT_THAT(listed_for(owner("u-owner-2")), ElementsAre(c_));
  EXPECT_THAT(listed_for(customer("u-cust-1")), ElementsAre(c_, a_));
  EXPECT_THAT(listed_for(customer("u-cust-2")), ElementsAre(b_));
  EXPECT_THAT(listed_for({"d1", Role::kDriver}), ElementsAre());
  // A filter on another tenant's restaurant gives nothing, not an error.
  EXPECT_THAT(listed_for(owner("u-owner-1"), r2_), ElementsAre());
  EXPECT_THAT(listed_for(customer("u-cust-1"), r2_), ElementsAre(c_));
}

TEST_F(ReadModelsTenancyTest, AnOwnersListMergesTheirRestaurantsNewestFirstPageByPage) {
  const Uuid r3 = restaurant_owned_by("u-owner-1");  // a second restaurant of u-owner-1
  const Uuid d = order_for(r3, "u-cust-3");
  const Uuid e = order_for(r2_, "u-cust-3");  // another owner's, in between
  const Uuid f = order_for(r1_, "u-cust-3");
  (void)e;
  std::vector<Uuid> seen;
  OrderQuery q;
  q.viewer = owner("u-owner-1");
  q.limit = 1;
  for (int page = 0; page < 10; ++page) {
    const OrderPage p = models_.list_orders(q);
    for (const auto& o : p.orders) seen.push_back(o.id);
    if (!p.next_cursor) break;
    q.before_position = p.next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<Uuid>{f, d, b_, a_}));
  // One of them handed over: the list follows.
  RestaurantPatch handed_over;
  handed_over.owners = std::vector<std::string>{"u-owner-2"};
  ASSERT_TRUE(commit(update_restaurant(r3, handed_over)).ok());
  EXPECT_EQ(listed_for(owner("u-owner-1")), (std::vector<Uuid>{f, b_, a_}));
  EXPECT_EQ(listed_for(owner("u-owner-2")), (std::vector<Uuid>{e, d, c_}));
}

TEST_F(ReadModelsTenancyTest, AnotherTenantsOrderIsAbsent) {
  EXPECT_TRUE(models_.order_for(a_, owner("u-owner-1")).has_value());
  EXPECT_FALSE(models_.order_for(a_, owner("u-owner-2")).has_value());
  EXPECT_TRUE(models_.order_for(a_, customer("u-cust-1")).has_value());
  EXPECT_FALSE(models_.order_for(a_, customer("u-cust-2")).has_value());
  EXPECT_FALSE(models_.order_for(Uuid::v7(), Principal{"root", Role::kAdmin}).has_value());
}

TEST_F(ReadModelsTenancyTest, NewOwnersSeeTheOrdersAndFormerOnesNoLonger) {
  using ::testing::ElementsAre;
  RestaurantPatch handed_over;
  handed_over.owners = std::vector<std::string>{"u-owner-3"};
  ASSERT_TRUE(commit(update_restaurant(r1_, handed_over)).ok());
  EXPECT_THAT(listed_for(owner("u-owner-1")), ElementsAre());
  EXPECT_THAT(listed_for(owner("u-owner-3")), ElementsAre(b_, a_));
  EXPECT_EQ(models_.restaurant(r1_)->details.owners, std::vector<std::string>{"u-owner-3"});
  EXPECT_TRUE(models_.order_for(a_, owner("u-owner-3")).has_value());
}

TEST_F(ReadModelsTenancyTest, ARestaurantShowsItsChangesAndWhetherItIsPaused) {
  RestaurantPatch p;
  p.name = "Sede Norte";
  p.delivery_fee = 500;
  p.paused = true;
  ASSERT_TRUE(commit(update_restaurant(r1_, p)).ok());
  auto shown = models_.restaurant(r1_);
  ASSERT_TRUE(shown.has_value());
  EXPECT_EQ(shown->details.name, "Sede Norte");
  EXPECT_EQ(shown->details.settings.delivery_fee, 500);
  EXPECT_TRUE(shown->paused);
  EXPECT_EQ(shown->version, 3u);  // registered, updated, paused
  RestaurantPatch resume;
  resume.paused = false;
  ASSERT_TRUE(commit(update_restaurant(r1_, resume)).ok());
  EXPECT_FALSE(models_.restaurant(r1_)->paused);
  EXPECT_EQ(models_.restaurant(r1_)->version, 4u);
}

TEST_F(ReadModelsTenancyTest, AnEventsAudienceIsItsRestaurantsOwnersAndItsOrdersCustomer) {
  std::vector<Event> events;
  ASSERT_TRUE(log_->scan(1, log_->last_position(),
                         [&](const Event& e) {
                           events.push_back(e);
                           return true;
                         })
                  .ok());
  ASSERT_EQ(events.size(), 5u);
  auto restaurant_event = models_.audience(events[0]);
  EXPECT_EQ(restaurant_event.owners, std::vector<std::string>{"u-owner-1"});
  EXPECT_EQ(restaurant_event.customer_id, "");
  auto order_event = models_.audience(events[3]);  // b_: R1, u-cust-2
  EXPECT_EQ(order_event.owners, std::vector<std::string>{"u-owner-1"});
  EXPECT_EQ(order_event.customer_id, "u-cust-2");
}

}  // namespace
