#include "api/json/values_json.h"

#include <charconv>

#include "engine/domain/money.h"

namespace comanda::api {

void write_money(JsonWriter& w, int64_t amount, std::string_view currency) {
  w.begin_object();
  char digits[24];
  w.key("amount").string(
      std::string_view(digits, std::to_chars(digits, digits + sizeof digits, amount).ptr));
  w.key("currency").string(currency);
  if (auto info = engine::find_currency(currency))
    w.key("formatted").string(engine::format_money(amount, *info));
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
