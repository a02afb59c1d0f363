// The access log's lines (api/http/access_log.h).
#include "api/http/access_log.h"

#include <gtest/gtest.h>

namespace {

using comanda::api::access_line;
using comanda::api::Dispatch;
using comanda::api::Response;
using comanda::api::Served;

TEST(AccessLog, OneLineWithWhoWhatHowLongAndThePosition) {
  Dispatch dispatch{.route = 3, .principal = "owner:ana", .rate = {}};
  Response response;
  response.status = 201;
  response.headers.emplace_back("Comanda-Position", "1042");
  const Served served{"POST", "/v1/orders", "127.0.0.1", dispatch, response, 0.000912};
  EXPECT_EQ(access_line(served, "/v1/orders"),
            R"(access method="POST" route="/v1/orders" target="/v1/orders" status=201 )"
            R"(ms=0.912 principal="owner:ana" position=1042 peer=127.0.0.1)");
}

TEST(AccessLog, WhatAClientChoseCannotBreakOrForgeALine) {
  Dispatch dispatch{
      .route = Dispatch::kNoRoute, .principal = "owner:x\" status=200\nfake", .rate = {}};
  Response response;
  response.status = 404;
  const std::string target = "/v1/\xff\xfe\r\naccess status=200";
  const Served served{"GET", target, "", dispatch, response, 0};
  const std::string line = access_line(served, "");
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  EXPECT_NE(line.find(R"(principal="owner:x\" status=200\nfake")"), std::string::npos) << line;
  // The bytes that are not UTF-8 as U+FFFD; the CR LF escaped.
  EXPECT_NE(line.find("target=\"/v1/\xef\xbf\xbd\xef\xbf\xbd\\r\\naccess status=200\""),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(" status=404 "), std::string::npos);
  EXPECT_NE(line.find("position=- peer=-"), std::string::npos);
  EXPECT_NE(line.find(R"(route="")"), std::string::npos);
}

TEST(AccessLog, LevelsAreCheckedByName) {
  for (const char* ok : {"debug", "info", "warn", "error", "off"})
    EXPECT_TRUE(comanda::api::set_log_level(ok).ok()) << ok;
  auto bad = comanda::api::set_log_level("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "--log-level");
}

}  // namespace
