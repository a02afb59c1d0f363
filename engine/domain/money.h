// Money: integer minor units with an ISO 4217 currency, checked arithmetic
// (overflow is an error, never a wrap) and locale-style formatting.
// Pure functions; safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace comanda::engine {

// How a currency is written for its usual locale: "S/ 37.00", "$ 70,06".
constexpr size_t kCurrencyCodeSize = 3;  // ISO 4217

struct CurrencyInfo {
  std::string_view code;  // ISO 4217: kCurrencyCodeSize letters
  std::string_view symbol;
  int decimals;  // minor-unit exponent
  char decimal_separator;
  char thousands_separator;
};

// The currencies Comanda can format; nullopt for any other code.
std::optional<CurrencyInfo> find_currency(std::string_view code);
// Comma-separated codes of every supported currency, for error messages.
std::string supported_currencies();

// "S/ 1,234.50" for (123450, PEN). A negative amount gets a leading '-'.
std::string format_money(int64_t amount, const CurrencyInfo& currency);
// The same text written at `out`, which has room for kMoneyTextMax bytes;
// returns its end.
constexpr size_t kMoneyTextMax = 48;  // '-', a symbol, ' ', 19 digits, separators
char* format_money_to(char* out, int64_t amount, const CurrencyInfo& currency);

// Checked arithmetic: false on overflow (out is then unspecified).
inline bool checked_add(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_add_overflow(a, b, &out);
}
inline bool checked_sub(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_sub_overflow(a, b, &out);
}
inline bool checked_mul(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

// round(numerator / denominator), halves away from zero. denominator > 0.
int64_t divide_round_half_away(__int128 numerator, __int128 denominator);

}  // namespace comanda::engine
