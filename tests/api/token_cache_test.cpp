// Verified tokens remembered until they expire (api/auth/token_cache.h); the
// Authenticator's use of them is tested in jwt_test.cpp.
#include "api/auth/token_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using comanda::api::TokenCache;
using comanda::engine::Principal;
using comanda::engine::Role;

TEST(TokenCache, KnowsATokenUntilItExpires) {
  TokenCache cache;
  const Principal ana{"ana", Role::kOwner};
  EXPECT_FALSE(cache.find("t1", 100));
  cache.insert("t1", ana, 130.0);
  ASSERT_TRUE(cache.find("t1", 129));
  EXPECT_EQ(*cache.find("t1", 129), ana);
  EXPECT_FALSE(cache.find("t1", 130));  // and it is forgotten
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.find("t2", 0));  // other bytes, another token
}

TEST(TokenCache, HoldsNoMoreThanItsCapacity) {
  TokenCache cache(64);
  for (int i = 0; i < 10'000; ++i)
    cache.insert("token-" + std::to_string(i), {"u" + std::to_string(i), Role::kCustomer}, 1e12);
  EXPECT_LE(cache.size(), 64u);
  EXPECT_GE(cache.size(), 16u);  // forgetting halves a shard, never empties the cache
}

}  // namespace
