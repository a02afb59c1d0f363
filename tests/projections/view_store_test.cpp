// The read models' snapshot in views/ (projections/view_store.h): what is
// loaded back equals what was saved, the log after the checkpoint brings it up
// to date, and a snapshot that does not belong to the log is ignored.
#include "projections/view_store.h"

#include <gtest/gtest.h>

#include <vector>

#include "engine/base/time_zone.h"
#include "engine/pipeline/hot_state.h"
#include "tests/support/committed_log.h"
#include "tests/support/test_support.h"

namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using comanda::projections::OrderQuery;
using comanda::projections::OrderView;
using comanda::projections::ViewStore;

const Principal kAdmin{"u-admin", Role::kAdmin};

// A log with the read models applied batch by batch, as the server runs;
// every command expected to succeed.
struct Server : CommittedLog {
  using CommittedLog::CommittedLog;
  CommandOutcome commit(Command command) {
    CommandOutcome outcome = CommittedLog::commit(std::move(command));
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return outcome;
  }
};

// Everything a client could read, as comparable text.
std::string everything(const ModelsUnderTest& m, const std::vector<Uuid>& drivers) {
  std::string out = "position " + std::to_string(m.position()) + "\n";
  std::vector<OrderView> orders;
  for (bool archived : {false, true}) {
    OrderQuery all;
    all.limit = 10'000;
    all.archived = archived;
    for (auto& o : m.list_orders(all).orders) orders.push_back(std::move(o));
  }
  for (const auto& o : orders) {
    out += o.id.to_string() + " v" + std::to_string(o.version) + " " +
           std::string(status_name(o.status)) + " " + o.placed.reference + " " + o.status_reason +
           " " + std::to_string(o.updated_at_us) + " " + std::to_string(o.placed.totals.total) +
           " " + o.placed.items.at(0).name + " " + o.placed.notes + " made " +
           std::to_string(o.fulfilled.empty() ? 0 : o.fulfilled[0]) + " cancelled at " +
           std::to_string(o.canceled_at_us) + (o.archived ? " archived" : "") + " driver " +
           o.driver.to_string() + "\n";
    auto r = m.restaurant(o.placed.restaurant_id);
    out += r ? r->details.name + " v" + std::to_string(r->version) + (r->paused ? " paused" : "") +
                   " fee " + std::to_string(r->details.settings.delivery_fee) + " owners " +
                   r->details.owners.front() + "\n"
             : "no restaurant\n";
    auto menu = m.menu(o.placed.restaurant_id);
    out += menu ? "menu v" + std::to_string(menu->version) + " " + menu->currency + " at " +
                      std::to_string(menu->updated_at_us)
                : "no menu";
    if (menu)
      for (const MenuItem& item : menu->items.all())
        out += " " + item.sku + "=" + std::to_string(item.price) + (item.available ? "" : "(out)") +
               "+" + std::to_string(item.modifiers.size()) + "-" +
               std::to_string(item.removals.size());
    out += "\n";
    auto account = m.account_of(o.placed.customer.id, o.placed.restaurant_id);
    out += account ? "account " + account->details.name + " " + account->details.class_name + " v" +
                         std::to_string(account->version) + " " +
                         std::to_string(account->balance("PEN")) + "\n"
                   : "no account\n";
  }
  for (const Uuid& id : drivers) {
    auto d = m.driver_for(id, kAdmin);
    if (!d) {
      out += "no driver\n";
      continue;
    }
    out += d->details.user_id + " v" + std::to_string(d->version) + " " +
           std::string(availability_name(d->availability)) + (d->active ? "" : " inactive") +
           " with " + d->order.to_string();
    if (d->position)
      out += " at " + std::to_string(d->position->location.lat_e7) + "," +
             std::to_string(d->position->location.lng_e7) + " #" +
             std::to_string(d->position->log_position);
    out += "\n";
  }
  // The lists' indexes, as the filters read them.
  const auto listed = [&](const std::string& name, OrderQuery q) {
    q.limit = 500;
    out += name + ":";
    for (const auto& o : m.list_orders(q).orders) out += " " + o.id.to_string();
    out += "\n";
  };
  for (OrderStatus s : {OrderStatus::kPending, OrderStatus::kAccepted, OrderStatus::kCancelled}) {
    OrderQuery q;
    q.statuses = {s};
    listed(std::string(status_name(s)), q);
  }
  for (const auto& o : orders) {
    OrderQuery q;
    q.from_date = q.to_date = o.service_date;
    listed("on " + format_date(o.service_date), q);
  }
  for (const Uuid& id : drivers) {
    OrderQuery q;
    q.driver_id = id;
    listed("assigned to " + id.to_string(), q);
  }
  OrderQuery theirs;
  theirs.customer_id = "u-cust-1";
  listed("customer", theirs);
  theirs.customer_id.reset();
  theirs.viewer = owner("u-owner-1");
  listed("owner", theirs);
  return out;
}

class ViewStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto views = ViewStore::open(dir_.path() / "views");
    ASSERT_TRUE(views.ok()) << views.error().message;
    views_ = std::move(views).value();
    const Uuid r = Uuid::v7();
    server_.commit(register_restaurant(r));
    // Placed in the reverse of their ids' order: a snapshot's rows (by id)
    // come back out of placement order, and the loader must sort its lists.
    std::vector<Uuid> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(Uuid::v7());
    for (auto id = ids.rbegin(); id != ids.rend(); ++id)
      orders_.push_back(server_.commit(place_order(*id, r))->stream);
    server_.commit(change_status(orders_[1], "accepted"));
    Command reasoned = change_status(orders_[2], "rejected");
    std::get<ChangeOrderStatus>(reasoned.body).reason = "sin stock";
    server_.commit(std::move(reasoned));
    OrderPatch noted;
    noted.notes = "timbre roto";
    server_.commit(Call{owner(), ChangeOrder{orders_[0], noted}, std::nullopt});
    server_.commit(Call{owner(), FulfillLine{orders_[1], 0, 2}, std::nullopt});
    server_.commit(Call{owner(), ArchiveOrder{orders_[2]}, std::nullopt});
    server_.commit(Call{owner(), DeleteOrder{orders_[3]}, std::nullopt});
    server_.commit(replace_menu(r));
    AccountRegistered account;
    account.user_id = "u-cust-1";
    account.name = "Ana";
    account.class_name = "3B";
    account.restaurant_ids = {r};
    const Uuid account_id = Uuid::v7();
    server_.commit(Call{admin(), RegisterAccount{account_id, account}, std::nullopt});
    server_.commit(Call{admin(), ChangeCredit{account_id, 9000, "PEN", ""}, std::nullopt});
    MenuItemPatch sold_out;
    sold_out.available = false;
    server_.commit(Call{admin(), ChangeMenuItem{r, "SODA", sold_out}, std::nullopt});
    RestaurantPatch changed;
    changed.name = "Sede Norte";
    changed.delivery_fee = 500;
    changed.owners = std::vector<std::string>{"u-owner-2", "u-owner-1"};
    changed.paused = true;
    server_.commit(update_restaurant(r, changed));
    drivers_.push_back(server_.commit(register_driver(Uuid::v7(), driver("u-driver-1")))->stream);
    drivers_.push_back(server_.commit(register_driver(Uuid::v7(), driver("u-driver-2")))->stream);
    server_.commit(report_location(drivers_[0], -12.5, -77.25, 0, driver("u-driver-1")));
    // Dispatch: driver 1 near the restaurant takes order 4; driver 2 is suspended.
    server_.commit(Call{driver("u-driver-1"),
                        SetAvailability{drivers_[0], Availability::kAvailable}, std::nullopt});
    server_.commit(report_location(drivers_[0], -12.121, -77.03, 0, driver("u-driver-1")));
    for (const char* step : {"accepted", "ready", "awaiting_driver"})
      server_.commit(change_status(orders_[4], step));
    server_.commit(Call{driver("u-driver-1"), AcceptDelivery{orders_[4], {}}, std::nullopt});
    server_.commit(Call{admin(), SetDriverActive{drivers_[1], false}, std::nullopt});
  }

  TempDir dir_;
  Server server_{dir_.path() / "log"};
  std::unique_ptr<ViewStore> views_;
  std::vector<Uuid> orders_;
  std::vector<Uuid> drivers_;
};

TEST_F(ViewStoreTest, LoadsBackWhatItSaved) {
  ASSERT_TRUE(views_->save(server_.models.registry(), *server_.log).ok());
  ModelsUnderTest loaded;
  auto checkpoint = views_->load(loaded.registry(), *server_.log);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.error().message;
  EXPECT_EQ(*checkpoint, server_.log->last_position());
  EXPECT_EQ(everything(loaded, drivers_), everything(server_.models, drivers_));
  const std::string text = everything(loaded, drivers_);
  EXPECT_NE(text.find("busy with " + orders_[4].to_string()), std::string::npos) << text;
  EXPECT_NE(text.find("driver " + drivers_[0].to_string()), std::string::npos) << text;
  EXPECT_NE(text.find("assigned to " + drivers_[0].to_string() + ": " + orders_[4].to_string()),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("offline inactive"), std::string::npos) << text;
  // The assigned driver sees its delivery; another driver does not.
  EXPECT_TRUE(loaded.order_for(orders_[4], driver("u-driver-1")));
  EXPECT_FALSE(loaded.order_for(orders_[4], driver("u-driver-2")));
  // Tenancy survives too: a customer sees their orders only.
  OrderQuery mine;
  mine.viewer = customer();
  EXPECT_EQ(loaded.list_orders(mine).orders.size(), 3u);  // five, one archived, one deleted
  mine.viewer = customer("u-cust-2");
  EXPECT_TRUE(loaded.list_orders(mine).orders.empty());
  OrderQuery owned;  // an owner's list, from the owners' rows
  owned.viewer = owner("u-owner-2");
  EXPECT_EQ(loaded.list_orders(owned).orders.size(),
            server_.models.list_orders(owned).orders.size());
  EXPECT_FALSE(loaded.list_orders(owned).orders.empty());
}

TEST_F(ViewStoreTest, TheLogAfterTheCheckpointBringsItUpToDate) {
  ASSERT_TRUE(views_->save(server_.models.registry(), *server_.log).ok());
  const uint64_t saved_at = server_.log->last_position();
  server_.commit(change_status(orders_[1], "preparing"));
  server_.commit(report_location(drivers_[1], 1, 2, 0, driver("u-driver-2")));
  const Uuid restaurant = server_.models.list_orders({}).orders[0].placed.restaurant_id;
  RestaurantPatch resume;
  resume.paused = false;
  server_.commit(update_restaurant(restaurant, resume));
  server_.commit(Call{admin(), RemoveMenuItem{restaurant, "BURGER"}, std::nullopt});
  server_.commit(place_order(Uuid::v7(), restaurant));

  ModelsUnderTest loaded;
  auto checkpoint = views_->load(loaded.registry(), *server_.log);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, saved_at);
  ASSERT_TRUE(server_.log
                  ->scan(*checkpoint + 1, server_.log->last_position(),
                         [&](const Event& e) {
                           loaded.apply({&e, 1});
                           return true;
                         })
                  .ok());
  EXPECT_EQ(everything(loaded, drivers_), everything(server_.models, drivers_));
}

TEST_F(ViewStoreTest, WithoutASnapshotNothingIsLoaded) {
  ModelsUnderTest loaded;
  std::string why;
  auto checkpoint = views_->load(loaded.registry(), *server_.log, &why);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, 0u);
  EXPECT_EQ(why, "no snapshot");
  EXPECT_EQ(loaded.position(), 0u);

  ASSERT_TRUE(views_->save(server_.models.registry(), *server_.log).ok());
  ASSERT_TRUE(views_->clear().ok());
  EXPECT_EQ(*views_->load(loaded.registry(), *server_.log), 0u);
}

TEST_F(ViewStoreTest, ASnapshotOfAnotherLogIsIgnored) {
  ASSERT_TRUE(views_->save(server_.models.registry(), *server_.log).ok());

  // A shorter log: the checkpoint is beyond its end.
  Server shorter(dir_.path() / "shorter");
  shorter.commit(register_restaurant(Uuid::v7()));
  ModelsUnderTest loaded;
  std::string why;
  auto checkpoint = views_->load(loaded.registry(), *shorter.log, &why);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, 0u);
  EXPECT_NE(why.find("not in the log"), std::string::npos) << why;
  EXPECT_EQ(loaded.position(), 0u);

  // A log as long, of other events (a restored backup, another server's
  // directory): the hash chain tells them apart.
  Server other(dir_.path() / "other");
  const Uuid r = Uuid::v7();
  other.commit(register_restaurant(r));
  const uint64_t length = server_.log->last_position();
  for (uint64_t i = 1; i < length; ++i) ASSERT_TRUE(other.commit(place_order(Uuid::v7(), r)).ok());
  ASSERT_EQ(other.log->last_position(), length);
  checkpoint = views_->load(loaded.registry(), *other.log, &why);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, 0u);
  EXPECT_EQ(why, "the snapshot was taken of another log");
  EXPECT_EQ(loaded.position(), 0u);
}

TEST_F(ViewStoreTest, ReadModelsThatSkippedAPositionAreNotSnapshotted) {
  ASSERT_TRUE(views_->save(server_.models.registry(), *server_.log).ok());
  const uint64_t first_checkpoint = server_.models.position();
  Event beyond;  // as if the event before it had never been applied
  beyond.position = server_.models.position() + 2;
  beyond.stream = beyond.partition = Uuid::v7();
  beyond.stream_version = 1;
  beyond.payload = restaurant_details();
  server_.models.apply({&beyond, 1});
  EXPECT_TRUE(server_.models.has_gap());
  EXPECT_FALSE(views_->save(server_.models.registry(), *server_.log).ok());
  ModelsUnderTest loaded;
  auto checkpoint = views_->load(loaded.registry(), *server_.log);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, first_checkpoint) << "the earlier snapshot is kept";
}

TEST_F(ViewStoreTest, ASecondSaveReplacesTheFirst) {
  ASSERT_TRUE(views_->save(server_.models.registry(), *server_.log).ok());
  server_.commit(change_status(orders_[0], "cancelled", customer()));
  ASSERT_TRUE(views_->save(server_.models.registry(), *server_.log).ok());
  ModelsUnderTest loaded;
  auto checkpoint = views_->load(loaded.registry(), *server_.log);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, server_.log->last_position());
  EXPECT_EQ(everything(loaded, drivers_), everything(server_.models, drivers_));
  auto cancelled = loaded.order(orders_[0]);
  ASSERT_TRUE(cancelled);
  EXPECT_TRUE(cancelled->cancelled_by_customer);
}

}  // namespace
