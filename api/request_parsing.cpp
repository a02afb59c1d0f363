#include "api/request_parsing.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <vector>

#include "engine/base/time_text.h"
#include "engine/domain/order.h"
#include "engine/domain/restaurant.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::Result;
namespace dom = simdjson::dom;

constexpr int64_t kMaxAmount = 1'000'000'000'000;  // 10^12 minor units per amount

// Reads the members of one JSON object, remembering the first error. Field
// paths in errors are `prefix` + key.
class ObjectReader {
 public:
  ObjectReader(dom::object object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  bool failed() const { return error_.has_value(); }
  Error error() const { return *error_; }
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  void fail(Error e) {
    if (!error_) error_ = std::move(e);
  }
  void fail_invalid(std::string_view key, std::string message) {
    fail(Error::invalid(path(key), path(key) + " " + message));
  }

  // The member, or nullopt when absent or null.
  std::optional<dom::element> get(std::string_view key) {
    dom::element e;
    if (object_[key].get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
    return e;
  }

  std::string string(std::string_view key, bool required, size_t max_len, size_t min_len = 0) {
    auto e = get(key);
    if (!e) {
      if (required) fail_invalid(key, "is required");
      return {};
    }
    std::string_view s;
    if (e->get(s) != simdjson::SUCCESS) {
      fail_invalid(key, "must be a string");
      return {};
    }
    if (s.size() > max_len)
      fail_invalid(key, "must be at most " + std::to_string(max_len) + " bytes");
    if (s.size() < min_len) fail_invalid(key, "must not be empty");
    return std::string(s);
  }

  std::optional<int64_t> integer(std::string_view key, bool required, int64_t min, int64_t max) {
    auto e = get(key);
    if (!e) {
      if (required) fail_invalid(key, "is required");
      return std::nullopt;
    }
    int64_t v = 0;
    if (e->is_int64()) {
      v = e->get_int64().value_unsafe();
    } else if (e->is_uint64()) {
      v = max;  // beyond int64: certainly out of range
      fail_invalid(key,
                   "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    } else {
      fail_invalid(key, "must be an integer");
      return std::nullopt;
    }
    if (v < min || v > max) {
      fail_invalid(key,
                   "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }

  std::optional<double> number(std::string_view key, bool required, double min, double max) {
    auto e = get(key);
    if (!e) {
      if (required) fail_invalid(key, "is required");
      return std::nullopt;
    }
    double v = 0;
    if (e->is_int64())
      v = static_cast<double>(e->get_int64().value_unsafe());
    else if (e->is_uint64())
      v = static_cast<double>(e->get_uint64().value_unsafe());
    else if (e->is_double())
      v = e->get_double().value_unsafe();
    else {
      fail_invalid(key, "must be a number");
      return std::nullopt;
    }
    if (!(v >= min && v <= max)) {
      fail_invalid(key,
                   "must be a number from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> boolean(std::string_view key) {
    auto e = get(key);
    if (!e) return std::nullopt;
    bool b = false;
    if (e->get(b) != simdjson::SUCCESS) {
      fail_invalid(key, "must be true or false");
      return std::nullopt;
    }
    return b;
  }

  std::optional<dom::object> object(std::string_view key, bool required) {
    auto e = get(key);
    if (!e) {
      if (required) fail_invalid(key, "is required");
      return std::nullopt;
    }
    dom::object o;
    if (e->get(o) != simdjson::SUCCESS) {
      fail_invalid(key, "must be an object");
      return std::nullopt;
    }
    return o;
  }

  std::optional<dom::array> array(std::string_view key, bool required, size_t min, size_t max) {
    auto e = get(key);
    if (!e) {
      if (required) fail_invalid(key, "is required");
      return std::nullopt;
    }
    dom::array a;
    if (e->get(a) != simdjson::SUCCESS) {
      fail_invalid(key, "must be an array");
      return std::nullopt;
    }
    if (a.size() < min || a.size() > max) {
      fail_invalid(
          key, "must have from " + std::to_string(min) + " to " + std::to_string(max) + " entries");
      return std::nullopt;
    }
    return a;
  }

  std::optional<engine::GeoPoint> location(std::string_view key) {
    auto o = object(key, false);
    if (!o) return std::nullopt;
    ObjectReader r(*o, path(key) + ".");
    auto lat = r.number("lat", true, -90, 90);
    auto lng = r.number("lng", true, -180, 180);
    if (r.failed()) {
      fail(r.error());
      return std::nullopt;
    }
    return engine::GeoPoint{*lat, *lng};
  }

 private:
  dom::object object_;
  std::string prefix_;
  std::optional<Error> error_;
};

bool representable_number(std::string_view token) {
  const char* begin = token.data();
  const char* end = begin + token.size();
  if (token.find_first_of(".eE") != std::string_view::npos) {
    double d = 0;
    auto [p, ec] = std::from_chars(begin, end, d);
    return ec == std::errc() && p == end;
  }
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(begin, end, i); ec == std::errc() && p == end) return true;
  uint64_t u = 0;
  auto [p, ec] = std::from_chars(begin, end, u);
  return ec == std::errc() && p == end;
}

// simdjson refuses a whole document over one number it cannot represent (an
// integer beyond 64 bits). To name the field anyway, this walks the text
// tracking the path and returns that of the first such number ("" if none).
std::string path_of_bad_number(std::string_view s) {
  struct Frame {
    bool array;
    size_t index;
    std::string key;
  };
  std::vector<Frame> stack;
  bool expecting_key = false;
  auto path = [&] {
    std::string p;
    for (const Frame& f : stack) {
      if (f.array) {
        p += "[" + std::to_string(f.index) + "]";
      } else {
        if (!p.empty()) p += ".";
        p += f.key;
      }
    }
    return p;
  };
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '{' || c == '[') {
      stack.push_back({c == '[', 0, {}});
      expecting_key = c == '{';
      ++i;
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      ++i;
    } else if (c == ',') {
      if (!stack.empty()) {
        if (stack.back().array)
          ++stack.back().index;
        else
          expecting_key = true;
      }
      ++i;
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != '"') j += s[j] == '\\' ? 2 : 1;
      if (expecting_key && !stack.empty() && !stack.back().array) {
        stack.back().key = std::string(s.substr(i + 1, j - i - 1));
        expecting_key = false;
      }
      i = j + 1;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i;
      while (j < s.size() &&
             std::string_view("+-0123456789.eE").find(s[j]) != std::string_view::npos)
        ++j;
      if (!representable_number(s.substr(i, j - i))) return path();
      i = j;
    } else {
      ++i;
    }
  }
  return {};
}

// Parses `body` as a JSON object with this thread's parser. The returned
// object lives until the next parse on this thread.
Result<dom::object> parse_object(std::string_view body) {
  thread_local dom::parser parser;
  dom::element root;
  auto err = parser.parse(body.data(), body.size(), true).get(root);
  if (err == simdjson::UTF8_ERROR) return Error::invalid("", "the request body is not valid UTF-8");
  if (err == simdjson::EMPTY)
    return Error::invalid("", "the request body is empty; a JSON object is expected");
  if (err == simdjson::NUMBER_ERROR) {
    const std::string field = path_of_bad_number(body);
    if (!field.empty())
      return Error::invalid(field, field +
                                       " is out of range (integers must fit in 64 bits, "
                                       "other numbers in a double)");
  }
  if (err)
    return Error::invalid(
        "", std::string("the request body is not valid JSON: ") + simdjson::error_message(err));
  dom::object object;
  if (root.get(object) != simdjson::SUCCESS)
    return Error::invalid("", "the request body must be a JSON object");
  return object;
}

Result<engine::OrderLine> parse_line(dom::element element, const std::string& prefix) {
  dom::object o;
  if (element.get(o) != simdjson::SUCCESS)
    return Error::invalid(prefix, prefix + " must be an object");
  ObjectReader r(o, prefix + ".");
  engine::OrderLine line;
  line.sku = r.string("sku", false, 64);
  line.name = r.string("name", true, 200, 1);
  line.quantity = static_cast<uint32_t>(r.integer("quantity", true, 1, 10000).value_or(0));
  line.unit_price = r.integer("unit_price", true, 0, kMaxAmount).value_or(0);
  line.notes = r.string("notes", false, 500);
  if (auto mods = r.array("modifiers", false, 0, 50)) {
    size_t i = 0;
    for (dom::element m : *mods) {
      const std::string mpath = prefix + ".modifiers[" + std::to_string(i++) + "]";
      dom::object mo;
      if (m.get(mo) != simdjson::SUCCESS)
        return Error::invalid(mpath, mpath + " must be an object");
      ObjectReader mr(mo, mpath + ".");
      engine::Modifier mod;
      mod.name = mr.string("name", true, 200, 1);
      mod.price = mr.integer("price", false, 0, kMaxAmount).value_or(0);
      if (mr.failed()) return mr.error();
      line.modifiers.push_back(std::move(mod));
    }
  }
  if (r.failed()) return r.error();
  return line;
}

}  // namespace

Result<engine::RegisterRestaurant> parse_register_restaurant(std::string_view body,
                                                             const std::string& default_time_zone) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::RegisterRestaurant cmd;
  auto& d = cmd.details;
  d.name = r.string("name", true, 200, 1);
  d.address = r.string("address", false, 500);
  d.location = r.location("location");
  d.currency = r.string("currency", true, 3, 3);
  d.time_zone = r.string("time_zone", false, 64);
  d.series = r.string("series", false, 8);
  if (auto tax = r.object("tax", false)) {
    ObjectReader tr(*tax, "tax.");
    d.tax.rate_bp = static_cast<uint32_t>(tr.integer("rate_bp", true, 0, 10000).value_or(0));
    d.tax.included = tr.boolean("included").value_or(false);
    if (tr.failed()) r.fail(tr.error());
  }
  if (auto owners = r.array("owners", false, 0, 50)) {
    size_t i = 0;
    for (dom::element e : *owners) {
      std::string_view s;
      const std::string path = "owners[" + std::to_string(i++) + "]";
      if (e.get(s) != simdjson::SUCCESS || s.empty() || s.size() > 128)
        return Error::invalid(path, path + " must be a user id (a string of 1 to 128 bytes)");
      d.owners.emplace_back(s);
    }
  }
  if (r.failed()) return r.error();
  if (d.time_zone.empty()) d.time_zone = default_time_zone;
  if (auto valid = engine::validate(cmd); !valid.ok()) return valid.error();
  return cmd;
}

Result<engine::PlaceOrder> parse_place_order(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::PlaceOrder cmd;

  const std::string restaurant = r.string("restaurant_id", true, 64);
  if (r.failed()) return r.error();
  auto restaurant_id = engine::Uuid::parse(restaurant);
  if (!restaurant_id) return Error::invalid("restaurant_id", "restaurant_id is not a valid id");
  cmd.restaurant_id = *restaurant_id;

  if (auto customer = r.object("customer", true)) {
    ObjectReader cr(*customer, "customer.");
    cmd.customer.id = cr.string("id", true, 128, 1);
    cmd.customer.name = cr.string("name", false, 200);
    cmd.customer.phone = cr.string("phone", false, 40);
    if (cr.failed()) return cr.error();
  }
  if (r.failed()) return r.error();

  if (auto items = r.array("items", true, 1, 500)) {
    size_t i = 0;
    for (dom::element e : *items) {
      auto line = parse_line(e, "items[" + std::to_string(i++) + "]");
      if (!line.ok()) return std::move(line).error();
      cmd.items.push_back(std::move(line).value());
    }
  }
  if (r.failed()) return r.error();

  if (auto f = r.object("fulfillment", true)) {
    ObjectReader fr(*f, "fulfillment.");
    const std::string type = fr.string("type", true, 32);
    cmd.fulfillment.address = fr.string("address", false, 500);
    cmd.fulfillment.location = fr.location("location");
    const bool preorder = fr.get("scheduled_for").has_value();
    if (fr.failed()) return fr.error();
    auto parsed = engine::parse_fulfillment(type);
    if (!parsed)
      return Error::invalid(
          "fulfillment.type",
          "fulfillment.type must be one of delivery, pickup, curbside, drive_thru, eat_in");
    cmd.fulfillment.type = *parsed;
    if (preorder)
      return Error::unprocessable(
          "fulfillment.scheduled_for",
          "preorders are not accepted yet; send null for as soon as possible");
  }
  if (r.failed()) return r.error();

  if (auto p = r.object("payment", true)) {
    ObjectReader pr(*p, "payment.");
    cmd.payment.method = pr.string("method", true, 32);
    cmd.payment.cash_tendered = pr.integer("cash_tendered", false, 0, kMaxAmount);
    if (pr.failed()) return pr.error();
  }
  cmd.tip = r.integer("tip", false, 0, kMaxAmount).value_or(0);
  cmd.notes = r.string("notes", false, 1000);
  cmd.claimed_subtotal = r.integer("subtotal", false, 0, INT64_MAX);
  cmd.claimed_total = r.integer("total", false, 0, INT64_MAX);
  if (r.failed()) return r.error();
  if (auto valid = engine::validate(cmd); !valid.ok()) return valid.error();
  return cmd;
}

Result<std::string> parse_ws_auth(std::string_view message) {
  auto object = parse_object(message);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  const std::string type = r.string("type", true, 32);
  const std::string token = r.string("token", false, 8192);
  if (r.failed()) return r.error();
  if (type != "auth")
    return Error::invalid("type", "the first message must be {\"type\": \"auth\", \"token\": ...}");
  if (token.empty()) return Error::invalid("token", "token is required");
  return token;
}

Result<engine::ChangeOrderStatus> parse_status_change(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::ChangeOrderStatus cmd;
  auto status = r.get("status");
  if (!status) return Error::invalid("status", "status is required");
  if (status->is_int64()) {
    cmd.status = std::to_string(status->get_int64().value_unsafe());
  } else {
    std::string_view s;
    if (status->get(s) != simdjson::SUCCESS || s.empty() || s.size() > 64)
      return Error::invalid("status", "status must be a status name or code");
    cmd.status = std::string(s);
  }
  cmd.reason = r.string("reason", false, 500);
  if (r.failed()) return r.error();
  return cmd;
}

Result<engine::RegisterDriver> parse_register_driver(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::RegisterDriver cmd;
  cmd.details.name = r.string("name", true, 200, 1);
  cmd.details.phone = r.string("phone", false, 40);
  cmd.details.user_id = r.string("user_id", false, 128);
  cmd.details.vehicle = r.string("vehicle", false, 100);
  if (r.failed()) return r.error();
  return cmd;
}

Result<engine::DriverLocationReported> parse_location(std::string_view body, int64_t now_us) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::DriverLocationReported ping;
  const auto lat = r.number("lat", true, -90, 90);
  const auto lng = r.number("lng", true, -180, 180);
  const auto heading = r.number("heading", false, 0, 360);
  const auto speed = r.number("speed", false, 0, 200);  // m/s: 720 km/h
  const auto accuracy = r.number("accuracy", false, 0, 100'000);
  const std::string at = r.string("at", false, 64);
  if (r.failed()) return r.error();
  ping.lat_e7 = static_cast<int32_t>(std::llround(*lat * 1e7));
  ping.lng_e7 = static_cast<int32_t>(std::llround(*lng * 1e7));
  if (heading) ping.heading_deg = static_cast<float>(*heading);
  if (speed) ping.speed_mps = static_cast<float>(*speed);
  if (accuracy) ping.accuracy_m = static_cast<float>(*accuracy);
  if (!at.empty()) {
    auto when = engine::parse_rfc3339(at);
    if (!when)
      return Error::invalid("at", "at must be an RFC 3339 time, such as 2026-11-24T12:00:00Z");
    constexpr int64_t kMaxAheadUs = int64_t{5} * 60 * 1'000'000;
    if (*when > now_us + kMaxAheadUs)
      return Error::unprocessable("at", "at is more than five minutes in the future");
    if (*when <= 0) return Error::unprocessable("at", "at must be after 1970");
    ping.reported_at_us = *when;
  }
  return ping;
}

}  // namespace comanda::api
