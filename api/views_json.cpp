#include "api/views_json.h"

#include "engine/base/time_text.h"
#include "engine/domain/money.h"

namespace comanda::api {
namespace {

using namespace comanda::engine;

void write_money(JsonWriter& w, int64_t amount, const std::string& currency) {
  w.begin_object();
  w.key("amount").string(std::to_string(amount));
  w.key("currency").string(currency);
  if (auto info = find_currency(currency)) w.key("formatted").string(format_money(amount, *info));
  w.end_object();
}

void money_field(JsonWriter& w, std::string_view name, int64_t amount,
                 const std::string& currency) {
  w.key(name);
  write_money(w, amount, currency);
}

void write_location(JsonWriter& w, const std::optional<GeoPoint>& p) {
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

// Degrees from the stored degrees times 10^7, exactly as sent (to 7 decimals).
double degrees(int32_t e7) { return static_cast<double>(e7) / 1e7; }

void write_location_fields(JsonWriter& w, const DriverLocationReported& p, int64_t recorded_at_us) {
  w.key("lat").number(degrees(p.lat_e7));
  w.key("lng").number(degrees(p.lng_e7));
  optional_number(w, "heading", p.heading_deg);
  optional_number(w, "speed", p.speed_mps);
  optional_number(w, "accuracy", p.accuracy_m);
  w.key("at").string(format_utc(p.reported_at_us != 0 ? p.reported_at_us : recorded_at_us));
  w.key("recorded_at").string(format_utc(recorded_at_us));
}

void write_driver_fields(JsonWriter& w, const DriverRegistered& d) {
  w.key("name").string(d.name);
  w.key("phone").string(d.phone);
  w.key("user_id").string(d.user_id);
  w.key("vehicle").string(d.vehicle);
}

void write_tax_policy(JsonWriter& w, const TaxPolicy& tax) {
  w.begin_object()
      .key("rate_bp")
      .number(static_cast<int64_t>(tax.rate_bp))
      .key("included")
      .boolean(tax.included)
      .end_object();
}

// The fields an order has from placement on, shared by the order view and
// the order_placed event.
void write_placed_fields(JsonWriter& w, const OrderPlaced& p) {
  const std::string& cur = p.currency;
  w.key("reference").string(p.reference);
  w.key("restaurant_id").string(p.restaurant_id.to_string());
  w.key("items").begin_array();
  for (const OrderLine& l : p.items) {
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
      w.end_object();
    }
    w.end_array();
    w.key("notes").string(l.notes);
    w.key("line_total");
    write_money(w, l.line_total, cur);
    w.end_object();
  }
  w.end_array();
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

void write_restaurant(JsonWriter& w, const projections::RestaurantView& r) {
  const RestaurantRegistered& d = r.details;
  w.begin_object();
  w.key("id").string(r.id.to_string());
  w.key("name").string(d.name);
  w.key("address").string(d.address);
  w.key("location");
  write_location(w, d.location);
  w.key("currency").string(d.currency);
  w.key("time_zone").string(d.time_zone);
  w.key("tax");
  write_tax_policy(w, d.tax);
  w.key("owners").begin_array();
  for (const auto& o : d.owners) w.string(o);
  w.end_array();
  w.key("series").string(d.series);
  w.key("version").number(r.version);
  w.key("registered_at").string(format_utc(r.registered_at_us));
  w.end_object();
}

void write_event(JsonWriter& w, const Event& e) {
  w.begin_object();
  w.key("type").string(event_type_name(e.payload));
  w.key("stream").string(e.stream.to_string());
  w.key("version").number(e.stream_version);
  w.key("recorded_at").string(format_utc(e.recorded_at_us));
  w.key("actor")
      .begin_object()
      .key("id")
      .string(e.actor.subject)
      .key("role")
      .string(role_name(e.actor.role))
      .end_object();
  w.key("correlation_id").string(e.correlation_id.to_string());
  w.key("data");
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, RestaurantRegistered>) {
          write_restaurant(
              w, projections::RestaurantView{e.stream, e.stream_version, e.recorded_at_us, p});
        } else if constexpr (std::is_same_v<T, OrderPlaced>) {
          w.begin_object();
          w.key("status").string(status_name(p.status));
          w.key("status_code").number(status_code(p.status, false));
          write_placed_fields(w, p);
          w.end_object();
        } else if constexpr (std::is_same_v<T, DriverRegistered>) {
          w.begin_object();
          write_driver_fields(w, p);
          w.end_object();
        } else if constexpr (std::is_same_v<T, DriverLocationReported>) {
          w.begin_object();
          write_location_fields(w, p, e.recorded_at_us);
          w.end_object();
        } else if constexpr (std::is_same_v<T, OrderStatusChanged>) {
          const bool by_customer =
              p.to == OrderStatus::kCancelled && e.actor.role == Role::kCustomer;
          w.begin_object();
          w.key("from").string(status_name(p.from));
          w.key("to").string(status_name(p.to));
          w.key("status_code").number(status_code(p.to, by_customer));
          w.key("reason").string(p.reason);
          w.end_object();
        }
      },
      e.payload);
  w.end_object();
}

void write_driver_position(JsonWriter& w, const Uuid& driver,
                           const projections::DriverPosition& position) {
  w.begin_object();
  w.key("driver_id").string(driver.to_string());
  write_location_fields(w, position.location, position.recorded_at_us);
  w.end_object();
}

void write_driver(JsonWriter& w, const projections::DriverView& d) {
  w.begin_object();
  w.key("id").string(d.id.to_string());
  write_driver_fields(w, d.details);
  w.key("version").number(d.version);
  w.key("registered_at").string(format_utc(d.registered_at_us));
  w.key("position");
  if (d.position)
    write_driver_position(w, d.id, *d.position);
  else
    w.null();
  w.end_object();
}

std::string driver_json(const projections::DriverView& driver) {
  JsonWriter w;
  write_driver(w, driver);
  return w.take();
}

std::string order_json(const projections::OrderView& order) {
  JsonWriter w;
  write_order(w, order);
  return w.take();
}

std::string restaurant_json(const projections::RestaurantView& restaurant) {
  JsonWriter w;
  write_restaurant(w, restaurant);
  return w.take();
}

}  // namespace comanda::api
