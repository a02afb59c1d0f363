#include "api/json/order_json.h"

#include "api/json/body_reader.h"
#include "api/json/values_json.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

namespace {

// A line names a menu item by sku, or (at a point of sale) carries its own
// name and unit_price; which of the two applies is the domain's to say
// (engine/domain/order_lines.h), once it knows who asks.
engine::Result<engine::RequestedLine> parse_line(dom::element element, const std::string& prefix) {
  dom::object o;
  if (element.get(o) != simdjson::SUCCESS)
    return Error::invalid(prefix, prefix + " must be an object");
  ObjectReader r(o, prefix + ".");
  engine::RequestedLine line;
  line.sku = r.string("sku", false, 64);
  line.name = r.string("name", false, 200);
  line.quantity = static_cast<uint32_t>(r.integer("quantity", true, 1, 10000).value_or(0));
  line.unit_price = r.integer("unit_price", false, 0, kMaxAmount);
  line.notes = r.string("notes", false, 500);
  if (!r.failed() && line.sku.empty() && !line.unit_price)
    r.fail_invalid("sku", "is required (a line without one needs a name and a unit_price)");
  if (!r.failed() && line.sku.empty() && line.name.empty())
    r.fail_invalid("name", "is required for a line without a sku");
  if (auto mods = r.array("modifiers", false, 0, 50)) {
    size_t i = 0;
    for (dom::element m : *mods) {
      const std::string mpath = prefix + ".modifiers[" + std::to_string(i++) + "]";
      dom::object mo;
      if (m.get(mo) != simdjson::SUCCESS)
        return Error::invalid(mpath, mpath + " must be an object");
      ObjectReader mr(mo, mpath + ".");
      engine::RequestedModifier mod;
      mod.name = mr.string("name", true, 200, 1);
      mod.price = mr.integer("price", false, 0, kMaxAmount);
      if (mr.failed()) return mr.error();
      line.modifiers.push_back(std::move(mod));
    }
  }
  if (r.failed()) return r.error();
  return line;
}

void write_line(JsonWriter& w, const OrderLine& l, const std::string& cur) {
  w.begin_object();
  w.key("sku").string(l.sku);
  w.key("name").string(l.name);
  w.key("quantity").number(static_cast<int64_t>(l.quantity));
  w.key("unit_price");
  write_money(w, l.unit_price, cur);
  w.key("modifiers").begin_array();
  for (const Modifier& m : l.modifiers) {
    w.begin_object().key("name").string(m.name).key("price");
    write_money(w, m.price, cur);
    w.key("removal").boolean(m.removal);
    w.end_object();
  }
  w.end_array();
  w.key("notes").string(l.notes);
  w.key("line_total");
  write_money(w, l.line_total, cur);
  // "menu": priced by the menu; "given": the caller's prices (a point of sale).
  w.key("price_source").string(l.price_source == PriceSource::kMenu ? "menu" : "given");
  w.end_object();
}

void write_totals(JsonWriter& w, const OrderPlaced& p) {
  const std::string& cur = p.currency;
  const Totals& t = p.totals;
  money_field(w, "subtotal", t.subtotal, cur);
  money_field(w, "discount", t.discount, cur);
  money_field(w, "delivery_fee", t.delivery_fee, cur);
  money_field(w, "taxable_base", t.taxable_base, cur);
  money_field(w, "tax", t.tax, cur);
  w.key("tax_rate_bp").number(static_cast<int64_t>(p.tax.rate_bp));
  w.key("tax_included").boolean(p.tax.included);
  money_field(w, "tip", t.tip, cur);
  money_field(w, "total", t.total, cur);
}

// The fields an order has from placement on, shared by the order view and
// the order_placed event.
void write_placed_fields(JsonWriter& w, const OrderPlaced& p) {
  const std::string& cur = p.currency;
  const Totals& t = p.totals;
  w.key("reference").string(p.reference);
  w.key("restaurant_id").string(p.restaurant_id.to_string());
  w.key("items").begin_array();
  for (const OrderLine& l : p.items) write_line(w, l, cur);
  w.end_array();
  write_totals(w, p);
  w.key("customer").begin_object();
  w.key("id")
      .string(p.customer.id)
      .key("name")
      .string(p.customer.name)
      .key("phone")
      .string(p.customer.phone);
  w.end_object();
  w.key("fulfillment").begin_object();
  w.key("type").string(fulfillment_name(p.fulfillment.type));
  w.key("address").string(p.fulfillment.address);
  w.key("location");
  write_location(w, p.fulfillment.location);
  w.key("scheduled_for").null();
  w.end_object();
  w.key("payment").begin_object();
  w.key("method").string(p.payment.method);
  w.key("cash_tendered");
  if (p.payment.cash_tendered)
    write_money(w, *p.payment.cash_tendered, cur);
  else
    w.null();
  w.key("change_due");
  if (p.payment.cash_tendered)
    write_money(w, *p.payment.cash_tendered - t.total, cur);
  else
    w.null();
  w.end_object();
  w.key("notes").string(p.notes);
}

}  // namespace

namespace {

Status parse_customer(dom::object o, Customer& out) {
  ObjectReader r(o, "customer.");
  out.id = r.account_id("id", true);
  out.name = r.string("name", false, 200);
  out.phone = r.string("phone", false, 40);
  if (r.failed()) return r.error();
  return {};
}

Status parse_items(dom::array items, std::vector<RequestedLine>& out) {
  size_t i = 0;
  for (dom::element e : items) {
    auto line = parse_line(e, "items[" + std::to_string(i++) + "]");
    if (!line.ok()) return line.error();
    out.push_back(std::move(line).value());
  }
  return {};
}

Status parse_fulfillment(dom::object o, Fulfillment& out) {
  ObjectReader r(o, "fulfillment.");
  const std::string type = r.string("type", true, 32);
  out.address = r.string("address", false, 500);
  out.location = r.location("location");
  const bool preorder = r.get("scheduled_for").has_value();
  if (r.failed()) return r.error();
  auto parsed = engine::parse_fulfillment(type);
  if (!parsed)
    return Error::invalid(
        "fulfillment.type",
        "fulfillment.type must be one of delivery, pickup, curbside, drive_thru, eat_in");
  out.type = *parsed;
  if (auto valid = engine::validate_fulfillment(out); !valid.ok()) return valid;
  if (preorder)
    return Error::unprocessable(
        "fulfillment.scheduled_for",
        "preorders are not accepted yet; send null for as soon as possible");
  return {};
}

Status parse_payment(dom::object o, Payment& out) {
  ObjectReader r(o, "payment.");
  out.method = r.string("method", true, 32);
  out.cash_tendered = r.integer("cash_tendered", false, 0, kMaxAmount);
  if (r.failed()) return r.error();
  return engine::validate_payment(out);
}

}  // namespace

engine::Result<engine::PlaceOrder> parse_place_order(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::PlaceOrder cmd;

  const std::string restaurant = r.string("restaurant_id", true, 64);
  if (r.failed()) return r.error();
  auto restaurant_id = engine::Uuid::parse(restaurant);
  if (!restaurant_id) return Error::invalid("restaurant_id", "restaurant_id is not a valid id");
  cmd.restaurant_id = *restaurant_id;
  // Each part in turn: the first error names its field.
  if (auto customer = r.object("customer", true))
    if (auto s = parse_customer(*customer, cmd.customer); !s.ok()) return s.error();
  if (r.failed()) return r.error();
  if (auto items = r.array("items", true, 1, 500))
    if (auto s = parse_items(*items, cmd.items); !s.ok()) return s.error();
  if (r.failed()) return r.error();
  if (auto fulfillment = r.object("fulfillment", true))
    if (auto s = parse_fulfillment(*fulfillment, cmd.fulfillment); !s.ok()) return s.error();
  if (r.failed()) return r.error();
  if (auto payment = r.object("payment", true))
    if (auto s = parse_payment(*payment, cmd.payment); !s.ok()) return s.error();
  cmd.tip = r.integer("tip", false, 0, kMaxAmount).value_or(0);
  cmd.notes = r.string("notes", false, 1000);
  cmd.claimed_subtotal = r.integer("subtotal", false, 0, INT64_MAX);
  cmd.claimed_total = r.integer("total", false, 0, INT64_MAX);
  if (r.failed()) return r.error();
  return cmd;
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

void write_order(JsonWriter& w, const projections::OrderView& o) {
  w.begin_object();
  w.key("id").string(o.id.to_string());
  w.key("status").string(status_name(o.status));
  w.key("status_code").number(status_code(o.status, o.cancelled_by_customer));
  w.key("status_reason").string(o.status_reason);
  w.key("version").number(o.version);
  w.key("placed_at").string(format_utc(o.placed_at_us));
  w.key("updated_at").string(format_utc(o.updated_at_us));
  write_placed_fields(w, o.placed);
  w.key("driver_id").null();
  w.end_object();
}

std::string order_json(const projections::OrderView& order) {
  JsonWriter w;
  write_order(w, order);
  return w.take();
}

void write_event_data(JsonWriter& w, const Event&, const OrderPlaced& p) {
  w.begin_object();
  w.key("status").string(status_name(p.status));
  w.key("status_code").number(status_code(p.status, false));
  write_placed_fields(w, p);
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event& e, const OrderStatusChanged& p) {
  const bool by_customer = p.to == OrderStatus::kCancelled && e.actor.role == Role::kCustomer;
  w.begin_object();
  w.key("from").string(status_name(p.from));
  w.key("to").string(status_name(p.to));
  w.key("status_code").number(status_code(p.to, by_customer));
  w.key("reason").string(p.reason);
  w.end_object();
}

}  // namespace comanda::api
