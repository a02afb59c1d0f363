// Small rules for text that several layers share. Pure; safe on any thread.
#pragma once

#include <string_view>

namespace comanda::engine {

// Whether `a` and `b` are equal ignoring ASCII case ("Cancelled", "CANCELLED").
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Whether `text` begins with `prefix`, ignoring ASCII case.
constexpr bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// Whether `text` has a control character (U+0000..U+001F or U+007F): an id
// with one is stored but can never match what a token or a client sends.
constexpr bool has_control_character(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  return false;
}

}  // namespace comanda::engine
