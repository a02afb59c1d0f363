// Reads JSON request bodies (simdjson, one parser per thread): a body as a
// JSON object, and the members of an object with their types and bounds
// checked, remembering the first error with the path of the field at fault
// ("items[0].quantity"). Each resource's JSON (api/json/*_json.h) builds its
// commands with it. Safe on any thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/geo.h"

namespace comanda::api {

namespace dom = simdjson::dom;

// The largest amount of money a request may carry, in minor units (10^12).
inline constexpr int64_t kMaxAmount = 1'000'000'000'000;

// `body` as a JSON object, parsed with this thread's parser: 400 when it is
// not valid UTF-8, not JSON, not an object, or holds a number beyond 64 bits
// (naming its field). The object lives until the next parse on this thread.
engine::Result<dom::object> parse_object(std::string_view body);

// Reads the members of one JSON object, remembering the first error. Field
// paths in errors are `prefix` + key. Absent and null members are the same.
class ObjectReader {
 public:
  ObjectReader(dom::object object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  bool failed() const { return error_.has_value(); }
  const engine::Error& error() const { return *error_; }
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  // Keeps `e` unless an error is kept already.
  void fail(engine::Error e);
  // A 400 naming the member: "<path> <message>".
  void fail_invalid(std::string_view key, std::string message);

  // Fails (400) on the first member not in `known`: for bodies where a
  // misspelt field would otherwise be ignored without a word (a PATCH).
  // `what` names the body in the message ("a restaurant's PATCH").
  void only(std::initializer_list<std::string_view> known, std::string_view what);

  // The member, or nullopt when absent or null.
  std::optional<dom::element> get(std::string_view key);

  // Each reads one member of its type within bounds; on a wrong type, a
  // missing required member or a value out of bounds it fails (400) and
  // returns an empty value.
  std::string string(std::string_view key, bool required, size_t max_len, size_t min_len = 0);
  std::optional<int64_t> integer(std::string_view key, bool required, int64_t min, int64_t max);
  std::optional<double> number(std::string_view key, bool required, double min, double max);
  std::optional<bool> boolean(std::string_view key);
  std::optional<dom::object> object(std::string_view key, bool required);
  std::optional<dom::array> array(std::string_view key, bool required, size_t min, size_t max);
  // An account's id (a token's `sub`): 1 to 128 bytes, no control
  // characters (such an id could never match a token). "" when absent.
  std::string account_id(std::string_view key, bool required);
  // An array of up to `max_entries` strings of 1 to `max_len` bytes without
  // control characters, optional; an entry at fault is named ("owners[1]").
  std::optional<std::vector<std::string>> strings(std::string_view key, size_t max_entries,
                                                  size_t max_len);
  // {"lat": -90..90, "lng": -180..180}, optional.
  std::optional<engine::GeoPoint> location(std::string_view key);

 private:
  dom::object object_;
  std::string prefix_;
  std::optional<engine::Error> error_;
};

}  // namespace comanda::api
