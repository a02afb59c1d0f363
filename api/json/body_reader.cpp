#include "api/json/body_reader.h"

#include <charconv>
#include <vector>

#include "engine/base/text.h"

namespace comanda::api {
namespace {

using engine::Error;

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

}  // namespace

// Parses `body` as a JSON object with this thread's parser. The returned
// object lives until the next parse on this thread.
engine::Result<dom::object> parse_object(std::string_view body) {
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

void ObjectReader::fail(Error e) {
  if (!error_) error_ = std::move(e);
}

void ObjectReader::fail_invalid(std::string_view key, std::string message) {
  fail(Error::invalid(path(key), path(key) + " " + message));
}

void ObjectReader::only(std::initializer_list<std::string_view> known, std::string_view what) {
  for (auto [key, value] : object_) {
    bool listed = false;
    for (std::string_view k : known) listed |= k == key;
    if (!listed) {
      fail_invalid(key, "is not a field " + std::string(what) + " takes");
      return;
    }
  }
}

std::optional<dom::element> ObjectReader::get(std::string_view key) {
  dom::element e;
  if (object_[key].get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return e;
}

std::string ObjectReader::string(std::string_view key, bool required, size_t max_len,
                                 size_t min_len) {
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

std::string ObjectReader::account_id(std::string_view key, bool required) {
  std::string id = string(key, required, 128, required ? 1 : 0);
  if (engine::has_control_character(id)) {
    fail_invalid(key, "must not hold control characters");
    return {};
  }
  return id;
}

std::optional<int64_t> ObjectReader::integer(std::string_view key, bool required, int64_t min,
                                             int64_t max) {
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

std::optional<double> ObjectReader::number(std::string_view key, bool required, double min,
                                           double max) {
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

std::optional<bool> ObjectReader::boolean(std::string_view key) {
  auto e = get(key);
  if (!e) return std::nullopt;
  bool b = false;
  if (e->get(b) != simdjson::SUCCESS) {
    fail_invalid(key, "must be true or false");
    return std::nullopt;
  }
  return b;
}

std::optional<dom::object> ObjectReader::object(std::string_view key, bool required) {
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

std::optional<dom::array> ObjectReader::array(std::string_view key, bool required, size_t min,
                                              size_t max) {
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

std::optional<std::vector<std::string>> ObjectReader::strings(std::string_view key,
                                                              size_t max_entries, size_t max_len) {
  auto a = array(key, false, 0, max_entries);
  if (!a) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(a->size());
  for (dom::element e : *a) {
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS || s.empty() || s.size() > max_len ||
        engine::has_control_character(s)) {
      const std::string entry = std::string(key) + "[" + std::to_string(out.size()) + "]";
      fail_invalid(entry, "must be a string of 1 to " + std::to_string(max_len) +
                              " bytes without control characters");
      return std::nullopt;
    }
    out.emplace_back(s);
  }
  return out;
}

std::optional<engine::GeoPoint> ObjectReader::location(std::string_view key) {
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

}  // namespace comanda::api
