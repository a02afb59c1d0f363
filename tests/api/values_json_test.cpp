// Money as JSON (api/json/values_json.h): a known currency's object is
// written in one piece; its bytes must be what the writer's general calls
// give, escaping included, for every currency and the extremes of amounts.
#include "api/json/values_json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "api/json/json_writer.h"
#include "engine/domain/money.h"

namespace {

using comanda::api::JsonWriter;
using comanda::api::write_money;

std::vector<std::string> supported_codes() {
  std::vector<std::string> codes;
  const std::string all = comanda::engine::supported_currencies();
  for (size_t at = 0; at < all.size();) {
    const size_t comma = all.find(", ", at);
    codes.push_back(all.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    at = comma == std::string::npos ? all.size() : comma + 2;
  }
  return codes;
}

TEST(WriteMoney, WritesWhatTheWritersGeneralCallsWriteForEveryCurrency) {
  const std::vector<std::string> codes = supported_codes();
  ASSERT_GE(codes.size(), 10u);
  const int64_t amounts[] = {0,
                             1,
                             -1,
                             99,
                             100,
                             123456,
                             -700006,
                             1000000,
                             int64_t{123456789012},
                             std::numeric_limits<int64_t>::max(),
                             std::numeric_limits<int64_t>::min()};
  for (const std::string& code : codes) {
    const auto info = comanda::engine::find_currency(code);
    ASSERT_TRUE(info) << code;
    for (const int64_t amount : amounts) {
      JsonWriter fast;
      fast.begin_array();
      write_money(fast, amount, code);
      write_money(fast, amount, code);
      fast.end_array();
      JsonWriter general;
      general.begin_array();
      for (int i = 0; i < 2; ++i)
        general.begin_object()
            .key(std::string_view("amount"))
            .string(std::to_string(amount))
            .key(std::string_view("currency"))
            .string(code)
            .key(std::string_view("formatted"))
            .string(comanda::engine::format_money(amount, *info))
            .end_object();
      general.end_array();
      EXPECT_EQ(fast.str(), general.str()) << code << " " << amount;
    }
  }
}

TEST(WriteMoney, AnUnknownCurrencyHasNoFormattedText) {
  JsonWriter w;
  w.begin_object().key("total");
  write_money(w, 1234, "XQ\"");
  w.end_object();
  EXPECT_EQ(w.str(), R"({"total":{"amount":"1234","currency":"XQ\""}})");
}

TEST(FormatMoney, WritesSeparatorsSignsAndSymbols) {
  EXPECT_EQ(comanda::engine::format_money(123450, *comanda::engine::find_currency("PEN")),
            "S/ 1,234.50");
  EXPECT_EQ(comanda::engine::format_money(-7000606, *comanda::engine::find_currency("EUR")),
            "-€ 70.006,06");
  EXPECT_EQ(comanda::engine::format_money(std::numeric_limits<int64_t>::min(),
                                          *comanda::engine::find_currency("CLP")),
            "-$ 9.223.372.036.854.775.808");
}

}  // namespace
