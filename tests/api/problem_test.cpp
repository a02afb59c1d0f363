// RFC 9457 problem responses (api/http/problem.h): status per error code, the
// field named in the detail, the allowed steps of a conflict.
#include "api/http/problem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using namespace comanda::engine;
using comanda::api::http_status;
using comanda::api::problem;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

TEST(Problem, MapsEachErrorCodeToItsHttpStatus) {
  EXPECT_EQ(http_status(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(http_status(ErrorCode::kForbidden), 403);
  EXPECT_EQ(http_status(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::kConflict), 409);
  EXPECT_EQ(http_status(ErrorCode::kVersionMismatch), 412);
  EXPECT_EQ(http_status(ErrorCode::kUnprocessable), 422);
  EXPECT_EQ(http_status(ErrorCode::kUnavailable), 503);
}

TEST(Problem, NamesTheFieldInTheDetail) {
  auto r = problem(
      Error::unprocessable("payment.cash_tendered", "cash_tendered applies to cash payments only"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_THAT(r.body, HasSubstr(R"("type":"urn:comanda:problem:unprocessable")"));
  EXPECT_THAT(r.body, HasSubstr(R"("status":422)"));
  EXPECT_THAT(
      r.body,
      HasSubstr(
          R"("detail":"payment.cash_tendered: cash_tendered applies to cash payments only")"));
  EXPECT_THAT(r.body, HasSubstr(R"("field":"payment.cash_tendered")"));
}

TEST(Problem, DoesNotRepeatAFieldTheDetailAlreadyNames) {
  auto r = problem(Error::invalid("items[0].quantity", "items[0].quantity must be an integer"));
  EXPECT_THAT(r.body, HasSubstr(R"("detail":"items[0].quantity must be an integer")"));
}

TEST(Problem, ListsTheAllowedStepsOfAConflict) {
  Error e = Error::conflict("status", "an order that is ready cannot become accepted");
  e.allowed = std::vector<std::string>{"awaiting_driver", "cancelled"};
  auto r = problem(e);
  EXPECT_EQ(r.status, 409);
  EXPECT_THAT(r.body, HasSubstr(R"("allowed":["awaiting_driver","cancelled"])"));
}

TEST(Problem, ARefusedStepListsItsAllowedStepsEvenWhenThereAreNone) {
  Error e = Error::conflict("status", "an order that is delivered cannot become accepted");
  e.allowed.emplace();
  EXPECT_THAT(problem(e).body, HasSubstr(R"("allowed":[])"));
  // Other errors have no such list.
  EXPECT_THAT(problem(Error::conflict("id", "exists")).body, Not(HasSubstr(R"("allowed")")));
}

TEST(Problem, AsksToRetryWhenUnavailable) {
  auto r = problem(Error{ErrorCode::kUnavailable, "the queue is full", "", {}});
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.headers, Contains(Pair("Retry-After", "1")));
  EXPECT_THAT(r.body, ::testing::Not(HasSubstr(R"("field")")));
}

TEST(Problem, EscapesTheDetail) {
  auto r = problem(Error::invalid("status", "unknown status '\"x\"'"));
  EXPECT_THAT(r.body, HasSubstr(R"(unknown status '\"x\"')"));
}

}  // namespace
