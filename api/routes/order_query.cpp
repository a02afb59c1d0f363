#include "api/routes/order_query.h"

#include <algorithm>
#include <charconv>

#include "api/http/query_string.h"
#include "engine/base/text.h"
#include "engine/base/time_zone.h"
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

// The list's parameters: each canonical name and its alias (Canteen's or
// the seeds' name for the same filter).
struct Parameter {
  std::string_view canonical;
  std::string_view alias;
};
constexpr Parameter kParameters[] = {
    {"restaurant_id", "establishment"},
    {"status", ""},
    {"from", "start_date"},
    {"to", "end_date"},
    {"payment_method", "payment_method_type"},
    {"fulfillment", "fulfillment_type"},
    {"customer_id", ""},
    {"driver_id", ""},
    {"limit", ""},
    {"cursor", ""},
    {"mode", ""},
};

std::optional<Parameter> canonical_parameter(std::string_view key) {
  for (const Parameter& p : kParameters)
    if (key == p.canonical || (!p.alias.empty() && key == p.alias)) return p;
  return std::nullopt;
}

// A comma-separated list's items, each non-empty: "a,,b" and "" are refused
// rather than read as fewer filters (which would widen the list).
engine::Result<std::vector<std::string_view>> items(const std::string& key,
                                                    std::string_view value) {
  std::vector<std::string_view> out;
  for (;;) {
    const size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    if (item.empty())
      return Error::invalid(key, std::string(key) + " has an empty item: name at least one value");
    out.push_back(item);
    if (comma == std::string_view::npos) return out;
    value.remove_prefix(comma + 1);
  }
}

engine::Status set_statuses(projections::OrderQuery& q, const std::string& key,
                            std::string_view value) {
  auto tokens = items(key, value);
  if (!tokens.ok()) return tokens.error();
  for (std::string_view token : *tokens) {
    // Not a status but the flag: the archived orders (of any status, or of
    // the statuses named beside it).
    if (engine::iequals(token, "archived")) {
      q.archived = true;
      continue;
    }
    auto statuses = resolve_filter_token(token);
    if (!statuses.ok()) return Error::invalid(key, statuses.error().message);
    q.statuses.insert(q.statuses.end(), statuses->begin(), statuses->end());
  }
  return {};
}

engine::Status set_payment_methods(projections::OrderQuery& q, const std::string& key,
                                   std::string_view value) {
  auto tokens = items(key, value);
  if (!tokens.ok()) return tokens.error();
  for (std::string_view token : *tokens) {
    auto known =
        std::find_if(std::begin(engine::kPaymentMethods), std::end(engine::kPaymentMethods),
                     [&](std::string_view m) { return engine::iequals(m, token); });
    if (known == std::end(engine::kPaymentMethods))
      return Error::invalid(
          key, std::string(key) + ": unknown payment method '" + std::string(token) + "'");
    q.payment_methods.emplace_back(*known);
  }
  return {};
}

engine::Status set_fulfillment_types(projections::OrderQuery& q, const std::string& key,
                                     std::string_view value) {
  auto tokens = items(key, value);
  if (!tokens.ok()) return tokens.error();
  for (std::string_view token : *tokens) {
    auto type = engine::parse_fulfillment(token);
    if (!type)
      return Error::invalid(
          key, std::string(key) + ": unknown fulfillment type '" + std::string(token) + "'");
    q.fulfillment_types.push_back(*type);
  }
  return {};
}

engine::Status set_filter(projections::OrderQuery& q, std::string_view canonical,
                          const std::string& key, std::string_view value) {
  if (canonical == "restaurant_id") {
    auto id = engine::Uuid::parse(value);
    if (!id) return Error::invalid(key, key + " is not a valid id");
    q.restaurant_id = *id;
  } else if (canonical == "status") {
    return set_statuses(q, key, value);
  } else if (canonical == "from" || canonical == "to") {
    auto date = engine::parse_date(value);
    if (!date) return Error::invalid(key, key + " must be a date, YYYY-MM-DD");
    (canonical == "from" ? q.from_date : q.to_date) = *date;
  } else if (canonical == "payment_method") {
    return set_payment_methods(q, key, value);
  } else if (canonical == "fulfillment") {
    return set_fulfillment_types(q, key, value);
  } else if (canonical == "customer_id") {
    if (value.empty() || value.size() > 128 || engine::has_control_character(value))
      return Error::invalid(key, "customer_id must be 1 to 128 printable characters");
    q.customer_id = std::string(value);
  } else if (canonical == "driver_id") {
    auto id = engine::Uuid::parse(value);
    if (!id) return Error::invalid(key, key + " is not a valid id");
    q.driver_id = *id;
  } else if (canonical == "limit") {
    size_t limit = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
    if (ec != std::errc() || end != value.data() + value.size() || limit < 1 || limit > 500)
      return Error::invalid("limit", "limit must be an integer from 1 to 500");
    q.limit = limit;
  } else if (canonical == "cursor") {
    auto position = decode_cursor(value);
    if (!position) return Error::invalid("cursor", "cursor is not one this server issued");
    q.before_position = *position;
  } else if (canonical == "mode") {
    // ordering.co's dashboard mode: accepted, and changes nothing.
    if (value != "dashboard") return Error::invalid("mode", "mode may only be dashboard");
  }
  return {};
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
  std::string given;  // the name it came under
  for (const auto& [key, value] : parse_query(query)) {
    if (key != "restaurant_id" && key != "establishment")
      return Error::invalid(key, "unknown parameter " + key + ": the board takes restaurant_id");
    if (restaurant)
      return Error::invalid(
          key, given == key ? key + " is given twice: give it once"
                            : given + " and " + key + " name the same restaurant: give one");
    restaurant = engine::Uuid::parse(value);
    if (!restaurant) return Error::invalid(key, key + " is not a valid id");
    given = key;
  }
  if (!restaurant)
    return Error::invalid("restaurant_id", "restaurant_id is required: whose kitchen board");
  return *restaurant;
}

engine::Result<projections::OrderQuery> parse_order_query(std::string_view query) {
  projections::OrderQuery q;
  // Each filter once: a repeated one, or one given by both its names, is
  // ambiguous and refused rather than widened or narrowed by a guess.
  std::vector<std::pair<std::string_view, std::string>> seen;  // canonical, as given
  for (const auto& [key, value] : parse_query(query)) {
    auto name = canonical_parameter(key);
    if (!name) return Error::invalid(key, "unknown query parameter '" + key + "'");
    auto before = std::find_if(seen.begin(), seen.end(),
                               [&](const auto& s) { return s.first == name->canonical; });
    if (before != seen.end())
      return Error::invalid(key, before->second == key ? key + " is given twice: give it once"
                                                       : before->second + " and " + key +
                                                             " name the same filter: give one");
    seen.emplace_back(name->canonical, key);
    if (auto s = set_filter(q, name->canonical, key, value); !s.ok()) return s.error();
  }
  if (q.from_date && q.to_date && *q.from_date > *q.to_date) {
    auto to = std::find_if(seen.begin(), seen.end(), [](const auto& s) { return s.first == "to"; });
    return Error::invalid(to->second, to->second + " is before the range's start");
  }
  return q;
}

}  // namespace comanda::api
