#include "engine/domain/money.h"

#include <algorithm>
#include <array>

namespace comanda::engine {
namespace {

constexpr std::array<CurrencyInfo, 14> kCurrencies = {{
    {"ARS", "$", 2, ',', '.'},
    {"BOB", "Bs", 2, ',', '.'},
    {"BRL", "R$", 2, ',', '.'},
    {"CLP", "$", 0, ',', '.'},
    {"COP", "$", 2, ',', '.'},
    {"EUR", "€", 2, ',', '.'},
    {"GBP", "£", 2, '.', ','},
    {"MXN", "$", 2, '.', ','},
    {"PEN", "S/", 2, '.', ','},
    {"PYG", "₲", 0, ',', '.'},
    {"USD", "$", 2, '.', ','},
    {"UYU", "$", 2, ',', '.'},
    {"VES", "Bs.", 2, ',', '.'},
    {"CRC", "₡", 2, ',', '.'},
}};

}  // namespace

// format_money_to's room: the longest symbol, a sign, a space, 19 digits
// and 7 separators; and every code of the size callers reserve.
static_assert(std::all_of(kCurrencies.begin(), kCurrencies.end(), [](const CurrencyInfo& c) {
  return c.symbol.size() + 28 <= kMoneyTextMax && c.code.size() == kCurrencyCodeSize;
}));

std::optional<CurrencyInfo> find_currency(std::string_view code) {
  for (const CurrencyInfo& c : kCurrencies)
    if (c.code == code) return c;
  return std::nullopt;
}

std::string supported_currencies() {
  std::string out;
  for (const CurrencyInfo& c : kCurrencies) {
    if (!out.empty()) out += ", ";
    out += c.code;
  }
  return out;
}

char* format_money_to(char* out, int64_t amount, const CurrencyInfo& currency) {
  // Work in unsigned so that INT64_MIN formats correctly.
  const bool negative = amount < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  // The number is written backwards from the end of a buffer: 20 digits,
  // 6 separators, a decimal separator.
  char buf[32];
  char* at = buf + sizeof buf;
  for (int i = 0; i < currency.decimals; ++i, magnitude /= 10)
    *--at = static_cast<char>('0' + magnitude % 10);
  if (currency.decimals > 0) *--at = currency.decimal_separator;
  for (int n = 0; n == 0 || magnitude != 0; ++n, magnitude /= 10) {
    if (n > 0 && n % 3 == 0) *--at = currency.thousands_separator;
    *--at = static_cast<char>('0' + magnitude % 10);
  }
  if (negative) *out++ = '-';
  out = std::copy(currency.symbol.begin(), currency.symbol.end(), out);
  *out++ = ' ';
  return std::copy(at, buf + sizeof buf, out);
}

std::string format_money(int64_t amount, const CurrencyInfo& currency) {
  char text[kMoneyTextMax];
  return std::string(text, format_money_to(text, amount, currency));
}

int64_t divide_round_half_away(__int128 numerator, __int128 denominator) {
  const bool negative = numerator < 0;
  __int128 n = negative ? -numerator : numerator;
  __int128 q = (2 * n + denominator) / (2 * denominator);
  return static_cast<int64_t>(negative ? -q : q);
}

}  // namespace comanda::engine
