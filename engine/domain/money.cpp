#include "engine/domain/money.h"

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

std::string format_money(int64_t amount, const CurrencyInfo& currency) {
  // Work in unsigned so that INT64_MIN formats correctly.
  const bool negative = amount < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  uint64_t scale = 1;
  for (int i = 0; i < currency.decimals; ++i) scale *= 10;
  const uint64_t whole = magnitude / scale, fraction = magnitude % scale;

  std::string digits = std::to_string(whole);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(currency.thousands_separator);
    grouped.push_back(digits[i]);
  }
  std::string out;
  if (negative) out.push_back('-');
  out.append(currency.symbol);
  out.push_back(' ');
  out += grouped;
  if (currency.decimals > 0) {
    std::string frac = std::to_string(fraction);
    out.push_back(currency.decimal_separator);
    out.append(static_cast<size_t>(currency.decimals) - frac.size(), '0');
    out += frac;
  }
  return out;
}

int64_t divide_round_half_away(__int128 numerator, __int128 denominator) {
  const bool negative = numerator < 0;
  __int128 n = negative ? -numerator : numerator;
  __int128 q = (2 * n + denominator) / (2 * denominator);
  return static_cast<int64_t>(negative ? -q : q);
}

}  // namespace comanda::engine
