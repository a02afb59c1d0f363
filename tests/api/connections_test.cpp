// The open connections' count, cap and graceful stop (api/http/connections.h).
#include "api/http/connections.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

using comanda::api::Connections;
using comanda::api::Stoppable;

struct Session : Stoppable {
  int stops = 0;
  void stop() override { ++stops; }
};

TEST(Connections, RefusesBeyondTheCapAndCountsTheRefusals) {
  Connections connections(2);
  auto a = connections.open();
  auto b = connections.open();
  EXPECT_TRUE(Connections::held(a));
  EXPECT_TRUE(Connections::held(b));
  auto c = connections.open();
  EXPECT_FALSE(Connections::held(c));
  EXPECT_EQ(connections.count(), 2u);
  EXPECT_EQ(connections.refused(), 1u);
  {
    auto gone = std::move(a);  // moved, not released twice
  }
  EXPECT_EQ(connections.count(), 1u);
  auto d = connections.open();
  EXPECT_TRUE(Connections::held(d));
  EXPECT_EQ(connections.count(), 2u);
}

TEST(Connections, StopAllTellsEveryBoundSessionOnceAndRefusesNewOnes) {
  Connections connections(10);
  auto s1 = std::make_shared<Session>();
  auto s2 = std::make_shared<Session>();
  auto slot1 = connections.open();
  auto slot2 = connections.open();
  slot1.bind(s1);
  slot2.bind(s2);
  auto unbound = connections.open();  // accepted, its session not made yet
  connections.stop_all();
  EXPECT_EQ(s1->stops, 1);
  EXPECT_EQ(s2->stops, 1);
  EXPECT_TRUE(connections.stopping());
  EXPECT_FALSE(Connections::held(connections.open()));
  // A session bound after the stop went round is stopped as it binds.
  auto late = std::make_shared<Session>();
  unbound.bind(late);
  EXPECT_EQ(late->stops, 1);
  // A slot handed on (an upgrade) is bound to the new session.
  auto upgraded = std::make_shared<Session>();
  Connections::Slot handed = std::move(slot1);
  handed.bind(upgraded);
  EXPECT_EQ(upgraded->stops, 1);
  EXPECT_EQ(connections.count(), 3u);
}

TEST(Connections, ASessionGoneBeforeTheStopIsSkipped) {
  Connections connections(10);
  auto slot = connections.open();
  {
    auto s = std::make_shared<Session>();
    slot.bind(s);
  }
  connections.stop_all();  // the weak reference is empty: nothing to call
  EXPECT_EQ(connections.count(), 1u);
}

}  // namespace
