// libFuzzer target: one query string (what follows '?', undecoded), given to
// the query-string parser (api/http/query_string.h) and to the filters of
// the lists built on it: GET /v1/orders, the kitchen board and the drivers
// near a point (api/routes/order_query.h, driver_query.h), and to the order
// list's cursor decoder. The corpus (fuzz/corpus/fuzz_query_string/) holds
// a valid query of each.
//
// Invariants besides the sanitizers' (fuzz_check.h):
// - the pairs parse_query returns, percent-encoded again and joined with
//   '&', parse to the same pairs;
// - a refusal is a 400 whose problem+json is a valid UTF-8 JSON object;
// - an accepted query's values are within the bounds the routes document;
// - a cursor that decodes encodes back to the same text, and encodes back
//   from its position.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/query_string.h"
#include "api/routes/driver_query.h"
#include "api/routes/order_query.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace comanda;
using engine::ErrorCode;

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Every byte but the unreserved ones (RFC 3986) as %XX: the simplest
// encoding a client may use, so that the text of a pair cannot matter.
std::string percent_encoded(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

void check_pairs(std::string_view query) {
  const Pairs pairs = api::parse_query(query);
  std::string again;
  for (const auto& [name, value] : pairs) {
    if (!again.empty()) again.push_back('&');
    again += percent_encoded(name) + "=" + percent_encoded(value);
  }
  FUZZ_CHECK(api::parse_query(again) == pairs);
}

void check_order_query(std::string_view query) {
  auto q = api::parse_order_query(query);
  if (!q.ok()) return fuzz::check_refusal(q.error(), {ErrorCode::kInvalidArgument});
  FUZZ_CHECK(q->limit >= 1 && q->limit <= 500);
  FUZZ_CHECK(!q->from_date || !q->to_date || *q->from_date <= *q->to_date);
  if (q->before_position != 0)
    FUZZ_CHECK(api::decode_cursor(api::encode_cursor(q->before_position)) == q->before_position);
}

void check_board_query(std::string_view query) {
  auto restaurant = api::parse_board_query(query);
  if (!restaurant.ok())
    return fuzz::check_refusal(restaurant.error(), {ErrorCode::kInvalidArgument});
  FUZZ_CHECK(engine::Uuid::parse(restaurant->to_string()) == *restaurant);
}

void check_near_query(std::string_view query) {
  auto q = api::parse_near_query(query);
  if (!q.ok()) return fuzz::check_refusal(q.error(), {ErrorCode::kInvalidArgument});
  FUZZ_CHECK(std::isfinite(q->near.lat) && q->near.lat >= -90 && q->near.lat <= 90);
  FUZZ_CHECK(std::isfinite(q->near.lng) && q->near.lng >= -180 && q->near.lng <= 180);
  FUZZ_CHECK(q->radius_m >= 1 && q->radius_m <= api::kMaxRadiusM);
  FUZZ_CHECK(q->limit >= 1 && q->limit <= api::kMaxNearby);
}

// The query as a cursor (an 11-byte one may be one), and its first eight
// bytes as a position to make one of.
void check_cursor(std::string_view text) {
  if (auto position = api::decode_cursor(text)) {
    FUZZ_CHECK(*position != 0);
    FUZZ_CHECK(api::encode_cursor(*position) == text);
  }
  uint64_t position = 0;
  if (!text.empty()) std::memcpy(&position, text.data(), std::min(text.size(), sizeof position));
  if (position != 0) FUZZ_CHECK(api::decode_cursor(api::encode_cursor(position)) == position);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  check_pairs(query);
  check_order_query(query);
  check_board_query(query);
  check_near_query(query);
  check_cursor(query);
  return 0;
}
