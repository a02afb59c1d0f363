// Query strings: "a=1&b=x%20y" -> {("a","1"), ("b","x y")}. Pure; safe on any
// thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comanda::api {

// Percent-decodes each name and value ('+' is a space). Malformed escapes are
// kept as they are; empty parts are skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace comanda::api
