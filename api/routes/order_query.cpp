#include "api/routes/order_query.h"

#include <algorithm>
#include <charconv>

#include "api/http/query_string.h"
#include "engine/base/text.h"
#include "engine/domain/order_status.h"

namespace comanda::api {
namespace {

using engine::Error;

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// DESIGN.md's filter groups. `completed` is also what the completion
// aliases resolve to, by fulfillment type, below.
std::optional<std::vector<engine::OrderStatus>> filter_group(std::string_view token) {
  using S = engine::OrderStatus;
  if (engine::iequals(token, "active")) {
    std::vector<S> out;
    for (const auto& info : engine::status_table())
      if (!info.terminal) out.push_back(info.status);
    return out;
  }
  if (engine::iequals(token, "cancelled") || engine::iequals(token, "canceled"))
    return std::vector<S>{S::kCancelled, S::kRejected};
  if (engine::iequals(token, "failed"))
    return std::vector<S>{S::kPickupFailed, S::kDeliveryFailed, S::kNotPickedUp};
  return std::nullopt;
}

// Every status a filter token names: a group, or a status; aliases that
// resolve by fulfillment type (completed, COMPLETADO, 1) name all their
// statuses.
engine::Result<std::vector<engine::OrderStatus>> resolve_filter_token(std::string_view token) {
  if (auto group = filter_group(token)) return *group;
  std::vector<engine::OrderStatus> out;
  std::optional<Error> error;
  for (int t = 0; t <= static_cast<int>(engine::FulfillmentType::kEatIn); ++t) {
    auto s = engine::resolve_status(token, static_cast<engine::FulfillmentType>(t));
    if (!s.ok()) {
      error = s.error();
      continue;
    }
    if (std::find(out.begin(), out.end(), *s) == out.end()) out.push_back(*s);
  }
  if (out.empty()) return *error;
  return out;
}

}  // namespace

std::string encode_cursor(uint64_t position) {
  // 64 bits as 11 base64url digits, most significant first.
  std::string out(11, 'A');
  for (int i = 10; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kBase64Url[position & 63];
    position >>= 6;
  }
  return out;
}

std::optional<uint64_t> decode_cursor(std::string_view cursor) {
  if (cursor.size() != 11) return std::nullopt;
  uint64_t v = 0;
  for (char c : cursor) {
    const char* p = std::find(kBase64Url, kBase64Url + 64, c);
    if (p == kBase64Url + 64) return std::nullopt;
    if (v >> 58 != 0) return std::nullopt;  // beyond 64 bits: never issued (would wrap)
    v = v << 6 | static_cast<uint64_t>(p - kBase64Url);
  }
  if (v == 0) return std::nullopt;
  return v;
}

engine::Result<engine::Uuid> parse_board_query(std::string_view query) {
  std::optional<engine::Uuid> restaurant;
  for (const auto& [key, value] : parse_query(query)) {
    if (key != "restaurant_id" && key != "establishment")
      return Error::invalid(key, "unknown parameter " + key + ": the board takes restaurant_id");
    restaurant = engine::Uuid::parse(value);
    if (!restaurant) return Error::invalid(key, key + " is not a valid id");
  }
  if (!restaurant)
    return Error::invalid("restaurant_id", "restaurant_id is required: whose kitchen board");
  return *restaurant;
}

engine::Result<projections::OrderQuery> parse_order_query(std::string_view query) {
  projections::OrderQuery q;
  for (const auto& [key, value] : parse_query(query)) {
    if (key == "restaurant_id" || key == "establishment") {
      auto id = engine::Uuid::parse(value);
      if (!id) return Error::invalid(key, key + " is not a valid id");
      q.restaurant_id = *id;
    } else if (key == "status") {
      std::string_view rest = value;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        std::string_view token = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (token.empty()) continue;
        // Not a status but the flag: the archived orders (of any status,
        // or of the statuses named beside it).
        if (engine::iequals(token, "archived")) {
          q.archived = true;
          continue;
        }
        auto statuses = resolve_filter_token(token);
        if (!statuses.ok()) return Error::invalid("status", statuses.error().message);
        q.statuses.insert(q.statuses.end(), statuses->begin(), statuses->end());
      }
    } else if (key == "limit") {
      size_t limit = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || end != value.data() + value.size() || limit < 1 || limit > 500)
        return Error::invalid("limit", "limit must be an integer from 1 to 500");
      q.limit = limit;
    } else if (key == "cursor") {
      auto position = decode_cursor(value);
      if (!position) return Error::invalid("cursor", "cursor is not one this server issued");
      q.before_position = *position;
    } else {
      return Error::invalid(key, "unknown query parameter '" + key + "'");
    }
  }
  return q;
}

}  // namespace comanda::api
