// `comanda verify`'s comparison of the read models' snapshot in views/ with
// a fresh rebuild (tools/verify_views.h), on a seeded random workload's log.
#include "tools/verify_views.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <sstream>

#include "projections/read_models.h"
#include "projections/view_store.h"
#include "tests/support/simulation.h"
#include "tests/support/test_support.h"
#include "tools/verify.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;
using namespace comanda::test_support;
using projections::ProjectionRegistry;
using projections::ViewStore;

class VerifyViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Simulation sim(property_seed());
    ASSERT_NO_FATAL_FAILURE(sim.setup());
    while (sim.commands() < 3'000) sim.step();
    auto log = EventLog::open(dir_.path() / "log", {Durability::kAsync, false});
    ASSERT_TRUE(log.ok()) << log.error().message;
    log_ = std::move(log).value();
    const std::vector<Event>& events = sim.state().events();
    for (size_t from = 0; from < events.size(); from += 25) {
      const size_t n = std::min<size_t>(25, events.size() - from);
      ASSERT_TRUE(
          log_->append(std::vector<Event>(events.begin() + static_cast<ptrdiff_t>(from),
                                          events.begin() + static_cast<ptrdiff_t>(from + n)))
              .ok());
    }
  }

  // The read models rebuilt up to `position` (0: the whole log).
  std::unique_ptr<ProjectionRegistry> rebuilt(uint64_t position) {
    auto models = std::make_unique<ProjectionRegistry>(projections::read_models());
    EXPECT_TRUE(models->rebuild(*log_, position).ok());
    return models;
  }

  int verify_here(std::string& out, std::string& err) {
    std::ostringstream o, e;
    const int code = verify(dir_.path(), o, e);
    out = o.str(), err = e.str();
    return code;
  }

  TempDir dir_;
  std::unique_ptr<EventLog> log_;
};

TEST_F(VerifyViewsTest, ASnapshotOfTheModelsAnswersAsAFreshRebuild) {
  {
    auto views = ViewStore::open(dir_.path() / "views");
    ASSERT_TRUE(views.ok());
    ASSERT_TRUE((*views)->save(*rebuilt(0), *log_).ok());
  }
  std::string out, err;
  EXPECT_EQ(verify_here(out, err), 0) << err;
  EXPECT_NE(out.find("answers as a fresh rebuild"), std::string::npos) << out;
}

TEST_F(VerifyViewsTest, ASnapshotWhoseRowsAreNotTheLogsAtItsCheckpointIsCaught) {
  // Rows of the models a few events further on, under an earlier
  // checkpoint and its link: a snapshot that lies about where it stands.
  const uint64_t at = (log_->last_position() - 40) / 25 * 25;  // where a batch ends
  {
    auto views = ViewStore::open(dir_.path() / "views");
    ASSERT_TRUE(views.ok());
    auto honest = (*views)->take(*rebuilt(at), *log_);
    auto ahead = (*views)->take(*rebuilt(0), *log_);
    ASSERT_TRUE(honest.ok() && ahead.ok());
    ahead->checkpoint = honest->checkpoint;
    ahead->link = honest->link;
    ASSERT_TRUE((*views)->write(*ahead).ok());
  }
  std::string out, err;
  EXPECT_EQ(verify_here(out, err), 1) << out;
  EXPECT_NE(err.find("read models' snapshot at position " + std::to_string(at)), std::string::npos)
      << err;
  EXPECT_NE(err.find("differs from a fresh rebuild"), std::string::npos) << err;
}

TEST_F(VerifyViewsTest, NoViewsIsSaidAndNotAFailure) {
  std::string out, err;
  EXPECT_EQ(verify_here(out, err), 0) << err;
  EXPECT_NE(out.find("no views/"), std::string::npos) << out;
}

}  // namespace
}  // namespace comanda::tools
