// The streaming JSON writer (api/json/json_writer.h): escaping, commas, numbers.
#include "api/json/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace {

using comanda::api::json_quote;
using comanda::api::JsonWriter;

TEST(JsonQuote, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(json_quote(R"(say "hi")"), R"("say \"hi\"")");
  EXPECT_EQ(json_quote(R"(C:\dir\)"), R"("C:\\dir\\")");
  EXPECT_EQ(json_quote(""), R"("")");
}

TEST(JsonQuote, EscapesControlCharacters) {
  EXPECT_EQ(json_quote("a\nb\rc\td"), R"("a\nb\rc\td")");
  EXPECT_EQ(json_quote(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(json_quote(std::string("nul\0end", 7)), R"("nul\u0000end")");
  EXPECT_EQ(json_quote("\b\f"), R"("\u0008\u000c")");
}

TEST(JsonQuote, ReplacesBytesThatAreNotUtf8) {
  const std::string r = "\xef\xbf\xbd";  // U+FFFD, the replacement character
  // Echoed from a query string such as ?status=%ff%fe: never passed raw.
  EXPECT_EQ(json_quote("\xff\xfe"), "\"" + r + r + "\"");
  EXPECT_EQ(json_quote("a\xc3"), "\"a" + r + "\"") << "a sequence cut short";
  EXPECT_EQ(json_quote("\xc0\xaf"), "\"" + r + r + "\"") << "an overlong '/'";
  EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"" + r + r + r + "\"") << "a surrogate";
  EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), "\"" + r + r + r + r + "\"") << "past U+10FFFF";
  EXPECT_EQ(json_quote("é\xff"
                       "é"),
            "\"é" + r + "é\"");
  EXPECT_EQ(json_quote("\xf0\x9f\x8d\x94"), "\"\xf0\x9f\x8d\x94\"") << "a four-byte character";
}

TEST(JsonQuote, PassesPrintableAndMultibyteCharactersThrough) {
  EXPECT_EQ(json_quote("Ana Pérez ✅ /<>"), "\"Ana Pérez ✅ /<>\"");
  EXPECT_EQ(json_quote("\x7f"), "\"\x7f\"");
}

TEST(JsonWriter, SeparatesObjectMembersWithCommas) {
  JsonWriter w;
  w.begin_object()
      .key("a")
      .number(1)
      .key("b")
      .string("x")
      .key("c")
      .boolean(false)
      .key("d")
      .null()
      .end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":"x","c":false,"d":null})");
}

TEST(JsonWriter, NestsArraysAndObjectsWithTheRightCommas) {
  JsonWriter w;
  w.begin_object();
  w.key("orders").begin_array();
  w.begin_object()
      .key("id")
      .string("1")
      .key("items")
      .begin_array()
      .number(1)
      .number(2)
      .end_array()
      .end_object();
  w.begin_object().key("id").string("2").key("items").begin_array().end_array().end_object();
  w.end_array();
  w.key("next_cursor").null();
  w.key("matrix")
      .begin_array()
      .begin_array()
      .number(1)
      .end_array()
      .begin_array()
      .end_array()
      .end_array();
  w.end_object();
  EXPECT_EQ(
      w.str(),
      R"({"orders":[{"id":"1","items":[1,2]},{"id":"2","items":[]}],"next_cursor":null,"matrix":[[1],[]]})");
}

TEST(JsonWriter, WritesEmptyContainers) {
  JsonWriter w;
  w.begin_array().begin_object().end_object().begin_array().end_array().end_array();
  EXPECT_EQ(w.str(), "[{},[]]");
}

TEST(JsonWriter, EscapesKeysAsWellAsValues) {
  JsonWriter w;
  w.begin_object().key("a\"b").string("c\\d\n").end_object();
  EXPECT_EQ(w.str(), R"({"a\"b":"c\\d\n"})");
}

TEST(JsonWriter, WritesIntegersExactlyAtTheirLimits) {
  JsonWriter w;
  w.begin_array()
      .number(std::numeric_limits<int64_t>::min())
      .number(std::numeric_limits<uint64_t>::max())
      .number(0)
      .number(-7)
      .end_array();
  EXPECT_EQ(w.str(), "[-9223372036854775808,18446744073709551615,0,-7]");
}

TEST(JsonWriter, WritesDoublesShortestAndNonFiniteAsNull) {
  JsonWriter w;
  w.begin_array()
      .number(-12.12)
      .number(0.5)
      .number(std::nan(""))
      .number(std::numeric_limits<double>::infinity())
      .end_array();
  EXPECT_EQ(w.str(), "[-12.12,0.5,null,null]");
}

TEST(JsonWriter, InsertsRawJsonAsOneValue) {
  JsonWriter w;
  w.begin_array().raw(R"({"k":1})").raw("2").string("x").end_array();
  EXPECT_EQ(w.str(), R"([{"k":1},2,"x"])");
  JsonWriter o;
  o.begin_object().key("total").raw(R"({"amount":"3700"})").key("n").number(1).end_object();
  EXPECT_EQ(o.str(), R"({"total":{"amount":"3700"},"n":1})");
}

TEST(JsonWriter, HandsOverItsText) {
  JsonWriter w;
  w.begin_object().key("a").number(1).end_object();
  const std::string text = w.take();
  EXPECT_EQ(text, R"({"a":1})");
}

// The answer is written into room reserved ahead (2 KiB): a list of orders
// runs far past it, through every kind of append, and reads back whole.
TEST(JsonWriter, GrowsPastItsReservedRoomWithoutLosingAByte) {
  JsonWriter w;
  std::string expected = "[";
  w.begin_array();
  for (int i = 0; i < 500; ++i) {
    const std::string name(static_cast<size_t>(i % 150), 'n');  // short and past the short path
    const std::string quoted = i % 7 == 0 ? "say \"" + std::to_string(i) + "\"" : name;
    w.begin_object().key("i").number(i).key(std::string_view("name")).string(quoted);
    w.key("ok").boolean(i % 2 == 0).key("none").null().end_object();
    if (i > 0) expected += ',';
    expected += R"({"i":)" + std::to_string(i) + R"(,"name":)" + json_quote(quoted) + R"(,"ok":)" +
                (i % 2 == 0 ? "true" : "false") + R"(,"none":null})";
  }
  w.end_array();
  expected += ']';
  ASSERT_GT(expected.size(), 8u * 2048);
  EXPECT_EQ(w.str(), expected);
  EXPECT_EQ(w.take(), expected);
}

}  // namespace
