// The one command path (api/routes/command_path.h), with the engine replaced
// by a script: what reaches the engine from a request (If-Match, the body,
// the domain's rules, the Idempotency-Key's scope), what the caller is
// answered for each outcome, and a stream that left memory read and the
// command submitted again.
#include "api/routes/command_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "api/json/order_json.h"
#include "api/json/restaurant_json.h"
#include "engine/domain/decision.h"

namespace {

using namespace comanda;
using api::CommandSpec;
using api::Request;
using api::Response;
using api::Route;
using api::RouteRequest;
using engine::CommandOutcome;
using engine::CommandResult;
using engine::Error;
using engine::ErrorCode;
using engine::Uuid;
using ::testing::HasSubstr;

const Uuid kOrder = *Uuid::parse("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
const engine::Principal kOwner{"u-owner-1", engine::Role::kOwner};

// A route like POST /v1/orders/{id}/status, answering 200 with the stream.
Route status_route() {
  Route r;
  r.method = "POST";
  r.pattern = "/v1/orders/{id}/status";
  r.action = CommandSpec{
      .parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
        auto parsed = api::parse_status_change(rq.http.body);
        if (!parsed.ok()) return parsed.error();
        parsed->order_id = *Uuid::parse(rq.params[0]);
        return engine::CommandBody{std::move(parsed).value()};
      },
      .respond =
          [](const engine::Principal& caller, const CommandResult& result, const api::PathParams&) {
            Response response;
            response.body = caller.subject + " " + result.stream.to_string() + " v" +
                            std::to_string(result.stream_version);
            return response;
          },
      .if_match = true,
      .may_need_load = true};
  return r;
}

// A route like POST /v1/restaurants, in UTC by default.
Route restaurant_route() {
  Route r;
  r.method = "POST";
  r.pattern = "/v1/restaurants";
  r.action =
      CommandSpec{.parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
                    auto parsed = api::parse_register_restaurant(rq.http.body, "UTC");
                    if (!parsed.ok()) return parsed.error();
                    return engine::CommandBody{std::move(parsed).value()};
                  },
                  .respond = [](const engine::Principal&, const CommandResult&,
                                const api::PathParams&) { return Response{}; }};
  return r;
}

// A route like POST /v1/orders: it creates its stream.
Route place_route() {
  Route r;
  r.method = "POST";
  r.pattern = "/v1/orders";
  r.action =
      CommandSpec{.parse = [](const RouteRequest& rq) -> engine::Result<engine::CommandBody> {
                    auto parsed = api::parse_place_order(rq.http.body);
                    if (!parsed.ok()) return parsed.error();
                    parsed->order_id = Uuid::v7();
                    return engine::CommandBody{std::move(parsed).value()};
                  },
                  .respond = [](const engine::Principal&, const CommandResult&,
                                const api::PathParams&) { return Response{}; }};
  return r;
}

class CommandPathTest : public ::testing::Test {
 protected:
  CommandPathTest()
      : path_(
            [this](engine::Command&& command) {
              if (queue_full_) return false;
              submitted_.push_back(command);
              CommandOutcome outcome =
                  outcomes_.empty() ? CommandOutcome(CommandResult{}) : outcomes_.front();
              if (!outcomes_.empty()) outcomes_.pop_front();
              command.done(outcome);  // as the publisher stage would
              return true;
            },
            [this](const Uuid& id) -> engine::Result<engine::ColdStream> {
              loaded_.push_back(id);
              if (load_error_) return *load_error_;
              return engine::ColdStream{id, {}};
            },
            [](std::function<void()> task) { task(); }) {}

  Response run(const Route& route, std::string body,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request rq;
    rq.method = std::string(route.method);
    rq.path = "/v1/orders/" + kOrder.to_string() + "/status";
    rq.body = std::move(body);
    rq.headers = std::move(headers);
    const api::PathParams params = {kOrder.to_string()};
    std::optional<Response> answer;
    path_.run(route, std::get<CommandSpec>(route.action), RouteRequest{rq, &kOwner, params},
              [&](Response r) { answer = std::move(r); });
    EXPECT_TRUE(answer) << "the command path answered nothing";
    return answer.value_or(Response{});
  }

  static std::string header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  std::deque<CommandOutcome> outcomes_;  // what the engine answers, in turn
  std::vector<engine::Command> submitted_;
  std::vector<Uuid> loaded_;
  std::optional<Error> load_error_;
  bool queue_full_ = false;
  api::CommandPath path_;
  const Route status_ = status_route();
};

TEST_F(CommandPathTest, SubmitsTheParsedCommandAsTheCallerAndAnswersWithTheRoute) {
  outcomes_.push_back(CommandResult{kOrder, 2, 9, false});
  Response r = run(status_, R"({"status": "aceptado", "reason": "ya"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "u-owner-1 " + kOrder.to_string() + " v2");
  EXPECT_EQ(header(r, "Idempotent-Replayed"), "");
  ASSERT_EQ(submitted_.size(), 1u);
  const engine::Command& c = submitted_[0];
  EXPECT_EQ(c.principal, kOwner);
  EXPECT_FALSE(c.expected_version);
  EXPECT_TRUE(c.idempotency_scope.empty());
  const auto& body = std::get<engine::ChangeOrderStatus>(c.body);
  EXPECT_EQ(body.order_id, kOrder);
  EXPECT_EQ((std::pair{body.status, body.reason}),
            (std::pair<std::string, std::string>{"aceptado", "ya"}));
}

TEST_F(CommandPathTest, IfMatchBecomesTheExpectedVersionAndAMalformedOneIsA400) {
  run(status_, R"({"status": 7})", {{"if-match", "W/\"3\""}});
  ASSERT_EQ(submitted_.size(), 1u);
  EXPECT_EQ(submitted_[0].expected_version, 3u);

  Response bad = run(status_, R"({"status": 7})", {{"if-match", "three"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("If-Match"));
  EXPECT_EQ(submitted_.size(), 1u) << "nothing more reached the engine";
}

TEST_F(CommandPathTest, IfMatchIsIgnoredOnARouteThatTakesNone) {
  const Route place = place_route();
  run(place,
      R"({"restaurant_id": "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b", "customer": {"id": "c"},
          "items": [{"name": "x", "quantity": 1, "unit_price": 1}],
          "fulfillment": {"type": "pickup"}, "payment": {"method": "card"}})",
      {{"if-match", "\"3\""}});
  ASSERT_EQ(submitted_.size(), 1u);
  EXPECT_FALSE(submitted_[0].expected_version);
}

TEST_F(CommandPathTest, ABodyTheRouteCannotParseNeverReachesTheEngine) {
  Response r = run(status_, R"({"status": []})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_THAT(r.body, HasSubstr("\"field\":\"status\""));
  EXPECT_TRUE(submitted_.empty());
}

TEST_F(CommandPathTest, TheDomainsRulesAreCheckedBeforeSubmitting) {
  // Well-formed JSON, but a currency the domain does not support
  // (engine::validate_command), which also fills in the defaults.
  Response r = run(restaurant_route(), R"({"name": "Sede", "currency": "XYZ"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_THAT(r.body, HasSubstr("\"field\":\"currency\""));
  EXPECT_TRUE(submitted_.empty());
  run(restaurant_route(), R"({"name": "Sede", "currency": "PEN"})");
  ASSERT_EQ(submitted_.size(), 1u);
  EXPECT_EQ(std::get<engine::RegisterRestaurant>(submitted_[0].body).details.series, "A001");
}

TEST_F(CommandPathTest, AnIdempotencyKeyIsScopedToTheCallerAndTheRoutePattern) {
  run(status_, R"({"status": 7})", {{"idempotency-key", "k-1"}});
  ASSERT_EQ(submitted_.size(), 1u);
  EXPECT_EQ(submitted_[0].idempotency_scope, "owner:9:u-owner-1|POST /v1/orders/{id}/status|k-1");
  EXPECT_NE(submitted_[0].request_hash, 0u);

  for (std::string bad :
       {std::string(""), std::string("with space"), std::string(256, 'k'), std::string("é")}) {
    Response r = run(status_, R"({"status": 7})", {{"idempotency-key", bad}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_THAT(r.body, HasSubstr("Idempotency-Key"));
  }
  EXPECT_EQ(submitted_.size(), 1u);
}

TEST_F(CommandPathTest, AReplayIsMarkedAsOne) {
  outcomes_.push_back(CommandResult{kOrder, 2, 9, true});
  Response r = run(status_, R"({"status": 7})", {{"idempotency-key", "k-1"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Idempotent-Replayed"), "true");
}

TEST_F(CommandPathTest, ARefusalIsAProblem) {
  Error conflict = Error::conflict("status", "an order that is delivered cannot become accepted");
  outcomes_.push_back(conflict);
  Response r = run(status_, R"({"status": "accepted"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_THAT(r.body, HasSubstr("cannot become accepted"));
}

TEST_F(CommandPathTest, AFullQueueIsA503WithRetryAfter) {
  queue_full_ = true;
  Response r = run(status_, R"({"status": 7})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(header(r, "Retry-After"), "1");
}

TEST_F(CommandPathTest, AStreamThatLeftMemoryIsReadAndTheCommandSubmittedAgainWithIt) {
  outcomes_.push_back(CommandOutcome::NeedsLoad{kOrder});
  outcomes_.push_back(CommandResult{kOrder, 6, 12, false});
  Response r = run(status_, R"({"status": "cancelled", "reason": "r"})",
                   {{"if-match", "\"5\""}, {"idempotency-key", "k-2"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "u-owner-1 " + kOrder.to_string() + " v6");
  ASSERT_EQ(loaded_.size(), 1u);
  EXPECT_EQ(loaded_[0], kOrder);
  ASSERT_EQ(submitted_.size(), 2u);
  const engine::Command& again = submitted_[1];
  ASSERT_EQ(again.cold.size(), 1u);
  EXPECT_EQ(again.cold[0].id, kOrder);
  // The same command: body, caller, version, key and correlation.
  EXPECT_EQ(std::get<engine::ChangeOrderStatus>(again.body).reason, "r");
  EXPECT_EQ(again.principal, kOwner);
  EXPECT_EQ(again.expected_version, 5u);
  EXPECT_EQ(again.idempotency_scope, submitted_[0].idempotency_scope);
  EXPECT_EQ(again.correlation_id, submitted_[0].correlation_id);
}

TEST_F(CommandPathTest, AStreamThatCannotBeReadIsAProblem) {
  outcomes_.push_back(CommandOutcome::NeedsLoad{kOrder});
  load_error_ = Error::io("disk on fire");
  Response r = run(status_, R"({"status": 7})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(submitted_.size(), 1u);
}

TEST_F(CommandPathTest, LoadingGivesUpAfterABoundedNumberOfStreams) {
  for (int i = 0; i < 20; ++i) outcomes_.push_back(CommandOutcome::NeedsLoad{Uuid::v7()});
  Response r = run(status_, R"({"status": 7})");
  EXPECT_EQ(r.status, 503);
  EXPECT_LE(submitted_.size(), 9u);
}

}  // namespace
