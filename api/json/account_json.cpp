#include "api/json/account_json.h"

#include "api/json/body_reader.h"
#include "api/json/values_json.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

namespace {

Result<Uuid> read_id(ObjectReader& r, std::string_view key, bool required) {
  const std::string text = r.string(key, required, 64);
  if (r.failed()) return r.error();
  if (text.empty()) return Uuid{};
  auto id = Uuid::parse(text);
  if (!id) return Error::invalid(r.path(key), r.path(key) + " is not a valid id");
  return *id;
}

void write_optional(JsonWriter& w, std::string_view key, const std::string& text) {
  w.key(key);
  if (text.empty())
    w.null();
  else
    w.string(text);
}

}  // namespace

Result<RegisterAccount> parse_register_account(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only(
      {"user_id", "name", "class", "email", "phone", "document_id", "parent_id", "restaurant_ids"},
      "a customer account");
  RegisterAccount cmd;
  AccountRegistered& d = cmd.details;
  d.user_id = r.account_id("user_id", true);
  d.name = r.string("name", true, 200, 1);
  d.class_name = r.string("class", false, 64);
  d.email = r.string("email", false, 254);
  if (!r.failed() && !d.email.empty() && d.email.find('@') == std::string::npos)
    r.fail_invalid("email", "must be an email address");
  d.phone = r.string("phone", false, 40);
  d.document_id = r.string("document_id", false, 40);
  auto parent = read_id(r, "parent_id", false);
  if (!parent.ok()) return parent.error();
  if (!parent->is_nil()) d.parent_id = *parent;
  auto restaurants = r.strings("restaurant_ids", 50, 64);
  if (r.failed()) return r.error();
  if (!restaurants || restaurants->empty())
    return Error::invalid("restaurant_ids", "restaurant_ids must name 1 to 50 restaurants");
  for (size_t i = 0; i < restaurants->size(); ++i) {
    auto id = Uuid::parse((*restaurants)[i]);
    const std::string field = "restaurant_ids[" + std::to_string(i) + "]";
    if (!id) return Error::invalid(field, field + " is not a valid id");
    d.restaurant_ids.push_back(*id);
  }
  return cmd;
}

Result<ChangeCredit> parse_credit_change(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"amount", "currency", "reason"}, "a credit change");
  ChangeCredit cmd;
  cmd.amount = r.integer("amount", true, -kMaxAmount, kMaxAmount).value_or(0);
  cmd.currency = r.string("currency", true, 3, 3);
  cmd.reason = r.string("reason", false, 200);
  if (r.failed()) return r.error();
  return cmd;
}

void write_credit(JsonWriter& w, const projections::AccountView& a) {
  w.begin_array();
  for (const auto& [currency, amount] : a.credit) write_money(w, amount, currency);
  w.end_array();
}

void write_parent(JsonWriter& w, const projections::AccountView& parent) {
  w.begin_object();
  w.key("id").string(parent.id.to_string());
  w.key("name").string(parent.details.name);
  write_optional(w, "email", parent.details.email);
  write_optional(w, "phone", parent.details.phone);
  w.key("credit");
  write_credit(w, parent);
  w.end_object();
}

void write_account(JsonWriter& w, const projections::AccountView& a,
                   const projections::AccountView* parent) {
  const AccountRegistered& d = a.details;
  w.begin_object();
  w.key("id").string(a.id.to_string());
  w.key("user_id").string(d.user_id);
  w.key("name").string(d.name);
  write_optional(w, "class", d.class_name);
  write_optional(w, "email", d.email);
  write_optional(w, "phone", d.phone);
  write_optional(w, "document_id", d.document_id);
  w.key("restaurant_ids").begin_array();
  for (const Uuid& r : d.restaurant_ids) w.string(r.to_string());
  w.end_array();
  w.key("parent");
  if (parent)
    write_parent(w, *parent);
  else
    w.null();
  w.key("credit");
  write_credit(w, a);
  w.key("version").number(a.version);
  w.key("registered_at").string(format_utc(a.registered_at_us));
  w.end_object();
}

std::string account_json(const projections::AccountView& a,
                         const projections::AccountView* parent) {
  JsonWriter w;
  write_account(w, a, parent);
  return w.take();
}

void write_event_data(JsonWriter& w, const Event& e, const AccountRegistered& p) {
  write_account(w, {e.stream, e.stream_version, e.recorded_at_us, p, {}}, nullptr);
}

void write_event_data(JsonWriter& w, const Event&, const CreditToppedUp& p) {
  w.begin_object().key("amount");
  write_money(w, p.amount, p.currency);
  w.key("reason").string(p.reason).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const CreditAdjusted& p) {
  w.begin_object().key("amount");
  write_money(w, p.amount, p.currency);
  w.key("reason").string(p.reason).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const CreditDebited& p) {
  w.begin_object().key("amount");
  write_money(w, p.amount, p.currency);
  w.key("order_id").string(p.order_id.to_string()).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const CreditRefunded& p) {
  w.begin_object().key("amount");
  write_money(w, p.amount, p.currency);
  w.key("order_id").string(p.order_id.to_string()).end_object();
}

}  // namespace comanda::api
