#include "api/json/values_json.h"

#include <algorithm>
#include <charconv>

#include "engine/domain/money.h"

namespace comanda::api {

void write_money(JsonWriter& w, int64_t amount, std::string_view currency) {
  if (auto info = engine::find_currency(currency)) {
    // A known currency's code and symbol need no escape, nor do digits and
    // separators: the whole object in one piece, the bytes the general
    // path below writes.
    constexpr std::string_view kAmount = R"({"amount":")", kCurrency = R"(","currency":")",
                               kFormatted = R"(","formatted":")", kEnd = R"("})";
    constexpr size_t kDigits = 20;  // int64's longest, sign included
    char text[kAmount.size() + kDigits + kCurrency.size() + engine::kCurrencyCodeSize +
              kFormatted.size() + engine::kMoneyTextMax + kEnd.size()];
    char* p = text;
    const auto put = [&p](std::string_view s) { p = std::copy(s.begin(), s.end(), p); };
    put(kAmount);
    p = std::to_chars(p, p + kDigits, amount).ptr;
    put(kCurrency);
    put(info->code);
    put(kFormatted);
    p = engine::format_money_to(p, amount, *info);
    put(kEnd);
    w.raw(std::string_view(text, static_cast<size_t>(p - text)));
    return;
  }
  // A currency Comanda cannot format (from before it was supported): no
  // "formatted".
  w.begin_object();
  char digits[24];
  w.key("amount").string(
      std::string_view(digits, std::to_chars(digits, digits + sizeof digits, amount).ptr));
  w.key("currency").string(currency);
  w.end_object();
}

void money_field(JsonWriter& w, std::string_view name, int64_t amount, std::string_view currency) {
  w.key(name);
  write_money(w, amount, currency);
}

void write_location(JsonWriter& w, const std::optional<engine::GeoPoint>& p) {
  if (!p) {
    w.null();
    return;
  }
  w.begin_object().key("lat").number(p->lat).key("lng").number(p->lng).end_object();
}

void optional_number(JsonWriter& w, std::string_view name, const std::optional<float>& value) {
  w.key(name);
  if (value)
    w.number(static_cast<double>(*value));
  else
    w.null();
}

void write_tax_policy(JsonWriter& w, const engine::TaxPolicy& tax) {
  w.begin_object()
      .key("rate_bp")
      .number(static_cast<int64_t>(tax.rate_bp))
      .key("included")
      .boolean(tax.included)
      .end_object();
}

}  // namespace comanda::api
