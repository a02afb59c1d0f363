// Orders to JSON: the order as clients see it, and the `data` of its events.
#include "api/json/account_json.h"
#include "api/json/order_json.h"
#include "api/json/values_json.h"
#include "engine/base/time_text.h"
#include "engine/base/time_zone.h"
#include "engine/domain/access.h"

namespace comanda::api {

using namespace comanda::engine;

namespace {

std::string_view fulfillment_status(uint32_t made, uint32_t quantity) {
  if (made == 0) return "unfulfilled";
  return made >= quantity ? "fulfilled" : "partial";
}

void write_line(JsonWriter& w, const OrderLine& l, std::string_view cur, uint32_t made) {
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
  // Canteen's line fulfilment: how many of the line the kitchen has made.
  w.key("fulfilled_quantity").number(static_cast<int64_t>(made));
  w.key("fulfillment_status").string(fulfillment_status(made, l.quantity));
  w.end_object();
}

// `fulfilled`: per line, the quantity made (shorter, or null: none).
void write_items(JsonWriter& w, const std::vector<OrderLine>& items, std::string_view cur,
                 const std::vector<uint32_t>* fulfilled = nullptr) {
  w.key("items").begin_array();
  for (size_t i = 0; i < items.size(); ++i)
    write_line(w, items[i], cur, fulfilled && i < fulfilled->size() ? (*fulfilled)[i] : 0);
  w.end_array();
}

void write_amounts(JsonWriter& w, const Totals& t, std::string_view cur) {
  money_field(w, "subtotal", t.subtotal, cur);
  money_field(w, "discount", t.discount, cur);
  money_field(w, "delivery_fee", t.delivery_fee, cur);
  money_field(w, "taxable_base", t.taxable_base, cur);
  money_field(w, "tax", t.tax, cur);
  money_field(w, "tip", t.tip, cur);
  money_field(w, "total", t.total, cur);
}

// `account`: the customer's account at the order's restaurant, if known.
void write_customer(JsonWriter& w, const Customer& c,
                    const std::optional<projections::AccountView>* account = nullptr,
                    const projections::AccountsModel* accounts = nullptr) {
  w.key("customer").begin_object();
  w.key("id");
  if (c.id.empty())
    w.null();
  else
    w.string(c.id);
  w.key("name").string(c.name);
  w.key("phone").string(c.phone);
  w.key("email").string(c.email);
  w.key("locale").string(c.locale.empty() ? "es" : c.locale);
  w.key("guest").boolean(c.id.empty());
  if (account) {  // Canteen's class and parent
    const auto& a = *account;
    w.key("class");
    if (a && !a->details.class_name.empty())
      w.string(a->details.class_name);
    else
      w.null();
    std::optional<projections::AccountView> parent;
    if (a && a->details.parent_id && accounts) parent = accounts->account(*a->details.parent_id);
    w.key("parent");
    if (parent)
      write_parent(w, *parent);
    else
      w.null();
  }
  w.end_object();
}

void write_fulfillment(JsonWriter& w, const Fulfillment& f) {
  w.key("fulfillment").begin_object();
  w.key("type").string(fulfillment_name(f.type));
  w.key("address").string(f.address);
  w.key("location");
  write_location(w, f.location);
  w.key("scheduled_for");
  if (f.scheduled_for_us)
    w.string(format_utc(f.scheduled_for_us));
  else
    w.null();
  w.end_object();
}

void write_payment(JsonWriter& w, const Payment& p, int64_t total, std::string_view cur) {
  w.key("payment").begin_object();
  w.key("method").string(p.method);
  w.key("cash_tendered");
  if (p.cash_tendered)
    write_money(w, *p.cash_tendered, cur);
  else
    w.null();
  w.key("change_due");
  if (p.cash_tendered)
    write_money(w, *p.cash_tendered - total, cur);
  else
    w.null();
  w.key("account_id");  // credit: the customer account that paid
  if (p.account.is_nil())
    w.null();
  else
    w.string(p.account.to_string());
  w.end_object();
}

void write_optional_text(JsonWriter& w, std::string_view key, const std::string& text) {
  w.key(key);
  if (text.empty())
    w.null();
  else
    w.string(text);
}

void write_time(JsonWriter& w, std::string_view key, int64_t at_us) {
  w.key(key);
  if (at_us == 0)
    w.null();
  else
    w.string(format_utc(at_us));
}

// The fields an order has from placement on, shared by the order view and
// the order_placed event.
void write_placed_fields(JsonWriter& w, const OrderPlaced& p,
                         const std::vector<uint32_t>* fulfilled = nullptr,
                         const projections::AccountsModel* accounts = nullptr) {
  const std::string& cur = p.currency;
  w.key("reference").string(p.reference);
  w.key("restaurant_id").string(p.restaurant_id.to_string());
  write_items(w, p.items, cur, fulfilled);
  write_amounts(w, p.totals, cur);
  w.key("tax_rate_bp").number(static_cast<int64_t>(p.tax.rate_bp));
  w.key("tax_included").boolean(p.tax.included);
  if (accounts) {
    std::optional<projections::AccountView> account;
    if (!p.customer.id.empty()) account = accounts->account_of(p.customer.id, p.restaurant_id);
    write_customer(w, p.customer, &account, accounts);
  } else {
    write_customer(w, p.customer);
  }
  write_fulfillment(w, p.fulfillment);
  write_payment(w, p.payment, p.totals.total, cur);
  w.key("notes").string(p.notes);
  write_optional_text(w, "delivery_zone", p.delivery_zone);
  write_optional_text(w, "app_id", p.app_id);
}

}  // namespace

void write_board_order(JsonWriter& w, const projections::OrderView& o,
                       const engine::Principal& caller, int64_t now_us) {
  const OrderPlaced& p = o.placed;
  w.begin_object();
  w.key("id").string(o.id.to_string());
  w.key("version").number(o.version);
  w.key("reference").string(p.reference);
  w.key("customer_name").string(p.customer.name);
  w.key("status").string(status_name(o.status));
  w.key("status_code").number(o.not_ready ? 14 : status_code(o.status, o.cancelled_by_customer));
  w.key("total");
  write_money(w, p.totals.total, p.currency);
  w.key("item_count").number(static_cast<int64_t>(p.items.size()));
  w.key("fulfillment_type").string(fulfillment_name(p.fulfillment.type));
  w.key("address").string(p.fulfillment.address);
  w.key("notes").string(p.notes);
  w.key("placed_at").string(format_utc(o.placed_at_us));
  w.key("waiting_s").number(std::max<int64_t>(0, (now_us - o.placed_at_us) / 1'000'000));
  w.key("next_statuses").begin_array();
  for (engine::OrderStatus s :
       engine::next_steps(caller, o.status, p.fulfillment.type, !o.driver.is_nil()))
    w.string(status_name(s));
  w.end_array();
  w.end_object();
}

void write_panel_order(JsonWriter& w, const projections::OrderView& o,
                       const projections::RestaurantView* restaurant) {
  const OrderPlaced& p = o.placed;
  w.begin_object();
  w.key("id").string(o.id.to_string());
  w.key("reference").string(p.reference);
  w.key("status").string(status_name(o.status));
  w.key("status_code").number(o.not_ready ? 14 : status_code(o.status, o.cancelled_by_customer));
  w.key("version").number(o.version);
  w.key("restaurant").begin_object();
  w.key("id").string(p.restaurant_id.to_string());
  w.key("name").string(restaurant ? restaurant->details.name : "");
  w.key("address").string(restaurant ? restaurant->details.address : "");
  w.key("location");
  write_location(w, restaurant ? restaurant->details.location : std::nullopt);
  w.end_object();
  w.key("customer").begin_object();
  w.key("name").string(p.customer.name);
  w.key("phone").string(p.customer.phone);
  w.end_object();
  write_fulfillment(w, p.fulfillment);
  w.key("total");
  write_money(w, p.totals.total, p.currency);
  write_payment(w, p.payment, p.totals.total, p.currency);
  w.key("item_count").number(static_cast<int64_t>(p.items.size()));
  w.key("notes").string(p.notes);
  w.key("placed_at").string(format_utc(o.placed_at_us));
  write_time(w, "completed_at", o.completed_at_us);
  w.end_object();
}

void write_order(JsonWriter& w, const projections::OrderView& o,
                 const projections::AccountsModel* accounts) {
  w.begin_object();
  w.key("id").string(o.id.to_string());
  w.key("status").string(status_name(o.status));
  // ordering.co's 14, "order not ready", while the flag is set.
  constexpr int kNotReadyCode = 14;
  w.key("status_code")
      .number(o.not_ready ? kNotReadyCode : status_code(o.status, o.cancelled_by_customer));
  w.key("not_ready").boolean(o.not_ready);
  w.key("status_reason").string(o.status_reason);
  w.key("version").number(o.version);
  w.key("placed_at").string(format_utc(o.placed_at_us));
  w.key("updated_at").string(format_utc(o.updated_at_us));
  write_time(w, "canceled_at", o.canceled_at_us);
  write_time(w, "completed_at", o.completed_at_us);
  // Canteen's flag: whether the order may still be cancelled by its customer.
  w.key("can_be_cancelled")
      .boolean(o.status == OrderStatus::kPending || o.status == OrderStatus::kScheduled);
  w.key("archived").boolean(o.archived);
  write_placed_fields(w, o.placed, &o.fulfilled, accounts);
  w.key("driver_id");
  if (o.driver.is_nil())
    w.null();
  else
    w.string(o.driver.to_string());
  w.end_object();
}

std::string order_json(const projections::OrderView& order,
                       const projections::AccountsModel* accounts) {
  JsonWriter w;
  write_order(w, order, accounts);
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
  // The position of the ping that caused an engine's geofence step.
  w.key("caused_by");
  if (p.caused_by)
    w.number(p.caused_by);
  else
    w.null();
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OrderChanged& p,
                      std::string_view currency) {
  w.begin_object();
  if (p.customer) write_customer(w, *p.customer);
  if (p.items) write_items(w, *p.items, currency);
  if (p.fulfillment) write_fulfillment(w, *p.fulfillment);
  if (p.payment) write_payment(w, *p.payment, p.totals.total, currency);
  if (p.notes) w.key("notes").string(*p.notes);
  if (p.delivery_zone) write_optional_text(w, "delivery_zone", *p.delivery_zone);
  write_amounts(w, p.totals, currency);
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OrderReplaced& p,
                      std::string_view currency) {
  w.begin_object();
  write_customer(w, p.customer);
  write_items(w, p.items, currency);
  write_fulfillment(w, p.fulfillment);
  write_payment(w, p.payment, p.totals.total, currency);
  w.key("notes").string(p.notes);
  write_optional_text(w, "delivery_zone", p.delivery_zone);
  write_amounts(w, p.totals, currency);
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OrderLineFulfilled& p) {
  w.begin_object();
  w.key("line").number(static_cast<int64_t>(p.line) + 1);  // from 1, as the route counts
  w.key("quantity").number(static_cast<int64_t>(p.quantity));
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OrderArchived&) {
  w.begin_object().end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OrderNotReadyChanged& p) {
  w.begin_object().key("not_ready").boolean(p.not_ready).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OrderDeleted&) {
  w.begin_object().end_object();
}

void write_day_stats(JsonWriter& w, const projections::DayStats& s, const std::string& currency) {
  w.begin_object().key("date").string(engine::format_date(s.date));
  w.key("orders").number(static_cast<int64_t>(s.orders));
  w.key("counts").begin_object();  // the statuses it has; a missing one is 0
  for (const auto& info : engine::status_table())
    if (uint32_t n = s.by_status[static_cast<size_t>(info.status)])
      w.key(info.name).number(static_cast<int64_t>(n));
  w.end_object();
  w.key("groups").begin_object();
  constexpr std::string_view kGroups[] = {"active", "completed", "cancelled", "failed"};
  for (size_t g = 0; g < engine::kStatusGroupCount; ++g)
    w.key(kGroups[g]).number(static_cast<int64_t>(s.by_group[g]));
  w.end_object();
  w.key("revenue");
  write_money(w, s.revenue, s.currency.empty() ? currency : s.currency);
  w.end_object();
}

std::string day_stats_json(const projections::DayStats& stats, const std::string& currency) {
  JsonWriter w;
  write_day_stats(w, stats, currency);
  return w.take();
}

}  // namespace comanda::api
