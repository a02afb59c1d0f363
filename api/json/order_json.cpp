#include "api/json/order_json.h"

#include "api/json/body_reader.h"
#include "engine/base/text.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

namespace {

// A line names a menu item by sku, or (at a point of sale) carries its own
// name and unit_price; which of the two applies is the domain's to say
// (engine/domain/order_lines.h), once it knows who asks.
Status parse_line(dom::element element, const std::string& prefix, RequestedLines& out) {
  dom::object o;
  if (element.get(o) != simdjson::SUCCESS)
    return Error::invalid(prefix, prefix + " must be an object");
  ObjectReader r(o, prefix + ".");
  OrderLine line;
  SentPrices sent;
  line.sku = r.string("sku", false, 64);
  line.name = r.string("name", false, 200);
  line.quantity = static_cast<uint32_t>(r.integer("quantity", true, 1, 10000).value_or(0));
  const auto unit_price = r.integer("unit_price", false, 0, kMaxAmount);
  line.unit_price = unit_price.value_or(0);
  sent.unit_price = unit_price.has_value();
  line.notes = r.string("notes", false, 500);
  if (!r.failed() && line.sku.empty() && !unit_price)
    r.fail_invalid("sku", "is required (a line without one needs a name and a unit_price)");
  if (!r.failed() && line.sku.empty() && line.name.empty())
    r.fail_invalid("name", "is required for a line without a sku");
  if (auto mods = r.array("modifiers", false, 0, 50)) {
    for (dom::element m : *mods) {
      const std::string mpath =
          prefix + ".modifiers[" + std::to_string(line.modifiers.size()) + "]";
      dom::object mo;
      if (m.get(mo) != simdjson::SUCCESS)
        return Error::invalid(mpath, mpath + " must be an object");
      ObjectReader mr(mo, mpath + ".");
      Modifier mod;
      mod.name = mr.string("name", true, 200, 1);
      const auto price = mr.integer("price", false, 0, kMaxAmount);
      if (mr.failed()) return mr.error();
      mod.price = price.value_or(0);
      if (price) sent.modifiers |= uint64_t{1} << line.modifiers.size();
      line.modifiers.push_back(std::move(mod));
    }
  }
  if (r.failed()) return r.error();
  out.add(std::move(line), sent);
  return {};
}

Status parse_customer(dom::object o, Customer& out) {
  ObjectReader r(o, "customer.");
  r.only({"id", "name", "phone", "email", "locale"}, "a customer");
  out.id = r.account_id("id", false);
  out.name = r.string("name", false, 200);
  out.phone = r.string("phone", false, 40);
  out.email = r.string("email", false, 254);
  if (!r.failed() && !out.email.empty() && out.email.find('@') == std::string::npos)
    r.fail_invalid("email", "must be an email address");
  const std::string locale = r.string("locale", false, 8);
  if (!r.failed() && !locale.empty()) {
    if (iequals(locale, "es") || iequals(locale, "en"))
      out.locale = iequals(locale, "en") ? "en" : "es";
    else
      r.fail_invalid("locale", "must be es or en");
  }
  if (r.failed()) return r.error();
  return {};
}

Status parse_items(dom::array items, RequestedLines& out) {
  out.lines.reserve(items.size());
  out.sent.reserve(items.size());
  for (dom::element e : items)
    if (Status line = parse_line(e, "items[" + std::to_string(out.size()) + "]", out); !line.ok())
      return line;
  return {};
}

Status parse_fulfillment(dom::object o, Fulfillment& out) {
  ObjectReader r(o, "fulfillment.");
  const std::string type = r.string("type", true, 32);
  out.address = r.string("address", false, 500);
  out.location = r.location("location");
  auto scheduled_for = r.get("scheduled_for");
  if (r.failed()) return r.error();
  if (scheduled_for && !scheduled_for->is_null()) {
    std::string_view text;
    auto when =
        scheduled_for->get(text) == simdjson::SUCCESS ? engine::parse_rfc3339(text) : std::nullopt;
    if (!when || *when <= 0)
      return Error::invalid("fulfillment.scheduled_for",
                            "fulfillment.scheduled_for must be an RFC 3339 time, such as "
                            "2026-12-24T20:00:00-05:00, or null for as soon as possible");
    out.scheduled_for_us = *when;
  }
  auto parsed = engine::parse_fulfillment(type);
  if (!parsed)
    return Error::invalid(
        "fulfillment.type",
        "fulfillment.type must be one of delivery, pickup, curbside, drive_thru, eat_in");
  out.type = *parsed;
  return engine::validate_fulfillment(out);
}

Status parse_payment(dom::object o, Payment& out) {
  ObjectReader r(o, "payment.");
  out.method = r.string("method", true, 32);
  out.cash_tendered = r.integer("cash_tendered", false, 0, kMaxAmount);
  if (r.failed()) return r.error();
  return engine::validate_payment(out);
}

// A status inside an order's body: its status changes elsewhere.
Status refuse_status(ObjectReader& r) {
  for (std::string_view key : {"status", "estado"})
    if (r.get(key))
      return Error::invalid(std::string(key),
                            std::string(key) +
                                " cannot be set here: an order's status changes with POST "
                                "/v1/orders/{id}/status");
  return {};
}

// The parts of an order's body POST, PUT and PATCH share, each in turn, so
// that the first error names its field. `required`: POST's and PUT's.
Status read_parts(ObjectReader& r, OrderPatch& out, bool required) {
  if (auto customer = r.object("customer", required)) {
    out.customer.emplace();
    if (auto s = parse_customer(*customer, *out.customer); !s.ok()) return s;
  }
  if (r.failed()) return r.error();
  if (auto items = r.array("items", required, 1, 500)) {
    out.items.emplace();
    if (auto s = parse_items(*items, *out.items); !s.ok()) return s;
  }
  if (r.failed()) return r.error();
  if (auto fulfillment = r.object("fulfillment", required)) {
    out.fulfillment.emplace();
    if (auto s = parse_fulfillment(*fulfillment, *out.fulfillment); !s.ok()) return s;
  }
  if (r.failed()) return r.error();
  if (auto payment = r.object("payment", required)) {
    out.payment.emplace();
    if (auto s = parse_payment(*payment, *out.payment); !s.ok()) return s;
  }
  out.tip = r.integer("tip", false, 0, kMaxAmount);
  out.discount = r.integer("discount", false, 0, kMaxAmount);
  if (r.get("notes")) out.notes = r.string("notes", false, 1000);
  if (r.get("delivery_zone")) out.delivery_zone = r.string("delivery_zone", false, 64);
  if (r.failed()) return r.error();
  return {};
}

// POST's body, and PUT's (whose restaurant, if named, must be the order's).
engine::Result<engine::PlaceOrder> read_order(std::string_view body, bool restaurant_required) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::PlaceOrder cmd;
  if (!restaurant_required)
    if (Status s = refuse_status(r); !s.ok()) return s.error();
  const std::string restaurant = r.string("restaurant_id", restaurant_required, 64);
  if (r.failed()) return r.error();
  if (!restaurant.empty()) {
    auto restaurant_id = engine::Uuid::parse(restaurant);
    if (!restaurant_id) return Error::invalid("restaurant_id", "restaurant_id is not a valid id");
    cmd.restaurant_id = *restaurant_id;
  }
  OrderPatch parts;
  if (Status s = read_parts(r, parts, true); !s.ok()) return s.error();
  cmd.customer = std::move(*parts.customer);
  cmd.items = std::move(*parts.items);
  cmd.fulfillment = std::move(*parts.fulfillment);
  cmd.payment = std::move(*parts.payment);
  cmd.tip = parts.tip.value_or(0);
  cmd.discount = parts.discount.value_or(0);
  cmd.notes = parts.notes.value_or("");
  cmd.delivery_zone = parts.delivery_zone.value_or("");
  cmd.claimed_subtotal = r.integer("subtotal", false, 0, INT64_MAX);
  cmd.claimed_total = r.integer("total", false, 0, INT64_MAX);
  if (r.failed()) return r.error();
  return cmd;
}

}  // namespace

engine::Result<engine::PlaceOrder> parse_place_order(std::string_view body) {
  return read_order(body, true);
}

engine::Result<engine::PlaceOrder> parse_replace_order(std::string_view body) {
  return read_order(body, false);
}

engine::Result<engine::OrderPatch> parse_order_patch(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  if (Status s = refuse_status(r); !s.ok()) return s.error();
  r.only(
      {"customer", "items", "fulfillment", "payment", "tip", "discount", "notes", "delivery_zone"},
      "an order's PATCH");
  if (r.failed()) return r.error();
  OrderPatch patch;
  if (Status s = read_parts(r, patch, false); !s.ok()) return s.error();
  return patch;
}

engine::Result<engine::ChangeOrderStatus> parse_status_change(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::ChangeOrderStatus cmd;
  auto status = r.get("status");
  if (!status) return Error::invalid("status", "status is required");
  if (status->is_int64()) {
    cmd.status = std::to_string(status->get_int64().value_unsafe());
  } else {
    std::string_view s;
    if (status->get(s) != simdjson::SUCCESS || s.empty() || s.size() > 64)
      return Error::invalid("status", "status must be a status name or code");
    cmd.status = std::string(s);
  }
  cmd.reason = r.string("reason", false, 500);
  if (r.failed()) return r.error();
  return cmd;
}

engine::Result<bool> parse_not_ready(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"not_ready"}, "a not-ready flag");
  auto not_ready = r.boolean("not_ready");
  if (r.failed()) return r.error();
  if (!not_ready) return Error::invalid("not_ready", "not_ready is required: true or false");
  return *not_ready;
}

engine::Result<uint32_t> parse_line_fulfilled(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"quantity"}, "a line's fulfilment");
  auto quantity = r.integer("quantity", true, 0, 10000);
  if (r.failed()) return r.error();
  return static_cast<uint32_t>(*quantity);
}

}  // namespace comanda::api
