// A response as the bytes a connection sends (api/http/response_bytes.h).
#include "api/http/response_bytes.h"

#include <gtest/gtest.h>

namespace {

using comanda::api::Response;
using comanda::api::response_bytes;

Response order() {
  Response r;
  r.status = 200;
  r.body = R"({"id":"o-1"})";
  r.headers = {{"ETag", "\"3\""}, {"Comanda-Position", "42"}};
  return r;
}

TEST(ResponseBytes, AnAnswerIsItsStatusLineFieldsLengthAndBody) {
  std::string out;
  response_bytes(order(), true, false, out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\nServer: comandad\r\nContent-Type: application/json\r\n"
            "ETag: \"3\"\r\nComanda-Position: 42\r\nContent-Length: 12\r\n\r\n"
            R"({"id":"o-1"})");
}

TEST(ResponseBytes, AHeadGetsTheFieldsOfAGetWithoutTheBody) {
  std::string get, head;
  response_bytes(order(), true, false, get);
  response_bytes(order(), true, true, head);
  EXPECT_EQ(head, get.substr(0, get.find("\r\n\r\n") + 4));
}

TEST(ResponseBytes, TheLastAnswerOfAConnectionSaysSo) {
  std::string out;
  response_bytes(order(), false, false, out);
  EXPECT_NE(out.find("\r\nConnection: close\r\n\r\n"), std::string::npos) << out;
}

TEST(ResponseBytes, NoContentHasNoLengthNorBody) {
  Response r;
  r.status = 304;
  r.body = "ignored";
  std::string out;
  response_bytes(r, true, false, out);
  EXPECT_EQ(out.rfind("HTTP/1.1 304 Not Modified\r\n", 0), 0u) << out;
  EXPECT_EQ(out.find("Content-Length"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
}

TEST(ResponseBytes, AFieldThatWouldEndTheHeadEarlyIsLeftOut) {
  Response r = order();
  r.headers.emplace_back("Location", "/v1/orders/x\r\nSet-Cookie: stolen=1");
  r.headers.emplace_back("X-Bad\nName", "v");
  std::string out;
  response_bytes(r, true, false, out);
  EXPECT_EQ(out.find("stolen"), std::string::npos) << out;
  EXPECT_EQ(out.find("X-Bad"), std::string::npos) << out;
  EXPECT_NE(out.find("Content-Length: 12\r\n\r\n"), std::string::npos) << out;
}

TEST(ResponseBytes, TheBufferIsReplacedNotAppendedTo) {
  std::string out = "left over from the previous answer";
  response_bytes(order(), true, false, out);
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

}  // namespace
