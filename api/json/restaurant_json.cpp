#include "api/json/restaurant_json.h"

#include "api/json/body_reader.h"
#include "api/json/values_json.h"
#include "engine/base/text.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

namespace {

std::optional<uint32_t> u32(ObjectReader& r, std::string_view key, int64_t max) {
  auto v = r.integer(key, false, 0, max);
  return v ? std::optional<uint32_t>(static_cast<uint32_t>(*v)) : std::nullopt;
}

void read_dispatch(ObjectReader& r, RestaurantPatch& p) {
  auto dispatch = r.object("dispatch", false);
  if (!dispatch) return;
  ObjectReader d(*dispatch, "dispatch.");
  d.only({"mode", "offer_on", "offer_to", "radius_m", "offer_timeout_s"}, "dispatch");
  if (auto mode = d.get("mode")) {
    const std::string name = d.string("mode", false, 32);
    p.dispatch_mode = parse_dispatch_mode(name);
    if (!p.dispatch_mode && !d.failed())
      d.fail_invalid("mode", "must be nearest, broadcast or none");
  }
  if (d.get("offer_on")) {
    const std::string on = d.string("offer_on", false, 32);
    if (iequals(on, "awaiting_driver"))
      p.dispatch_offer_on = OrderStatus::kAwaitingDriver;
    else if (iequals(on, "accepted"))
      p.dispatch_offer_on = OrderStatus::kAccepted;
    else if (!d.failed())
      d.fail_invalid("offer_on", "must be awaiting_driver or accepted");
  }
  p.dispatch_offer_to = u32(d, "offer_to", UINT32_MAX);
  p.dispatch_radius_m = u32(d, "radius_m", UINT32_MAX);
  p.dispatch_offer_timeout_s = u32(d, "offer_timeout_s", UINT32_MAX);
  if (d.failed()) r.fail(d.error());
}

void read_geofence(ObjectReader& r, RestaurantPatch& p) {
  auto geofence = r.object("geofence", false);
  if (!geofence) return;
  ObjectReader g(*geofence, "geofence.");
  g.only({"enabled", "near_restaurant_m", "near_customer_m"}, "geofence");
  p.geofence_enabled = g.boolean("enabled");
  p.geofence_near_restaurant_m = u32(g, "near_restaurant_m", UINT32_MAX);
  p.geofence_near_customer_m = u32(g, "near_customer_m", UINT32_MAX);
  if (g.failed()) r.fail(g.error());
}

// Every field a restaurant's POST or PATCH may carry, each optional.
Status read_patch(ObjectReader& r, RestaurantPatch& p) {
  if (r.get("name")) p.name = r.string("name", false, 200, 1);
  if (r.get("address")) p.address = r.string("address", false, 500);
  p.location = r.location("location");
  if (r.get("time_zone")) p.time_zone = r.string("time_zone", false, 64);
  if (r.get("series")) p.series = r.string("series", false, 8, 1);  // "": refused, not A001
  if (auto tax = r.object("tax", false)) {
    ObjectReader t(*tax, "tax.");
    t.only({"rate_bp", "included"}, "tax");
    p.tax_rate_bp = u32(t, "rate_bp", 10000);
    p.tax_included = t.boolean("included");
    if (t.failed()) r.fail(t.error());
  }
  p.owners = r.strings("owners", 50, 128);
  p.delivery_fee = r.integer("delivery_fee", false, 0, kMaxAmount);
  read_dispatch(r, p);
  read_geofence(r, p);
  p.auto_reject_after_s = u32(r, "auto_reject_after_s", UINT32_MAX);
  p.preorder_lead_s = u32(r, "preorder_lead_s", UINT32_MAX);
  p.paused = r.boolean("paused");
  if (r.failed()) return r.error();
  return {};
}

}  // namespace

engine::Result<engine::RegisterRestaurant> parse_register_restaurant(
    std::string_view body, const std::string& default_time_zone) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::RegisterRestaurant cmd;
  auto& d = cmd.details;
  d.name = r.string("name", true, 200, 1);
  d.currency = r.string("currency", true, 3, 3);
  RestaurantPatch p;
  if (Status read = read_patch(r, p); !read.ok()) return read.error();
  if (r.failed()) return r.error();
  d.address = p.address.value_or("");
  d.location = p.location;
  d.time_zone = p.time_zone.value_or("");
  if (d.time_zone.empty()) d.time_zone = default_time_zone;
  d.series = p.series.value_or("");
  d.tax = {p.tax_rate_bp.value_or(0), p.tax_included.value_or(false)};
  d.owners = p.owners.value_or(std::vector<std::string>{});
  d.settings = with_patch(RestaurantSettings{}, p);
  cmd.paused = p.paused.value_or(false);
  return cmd;
}

engine::Result<engine::RestaurantPatch> parse_restaurant_patch(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  if (r.get("currency"))
    return Error::unprocessable("currency",
                                "currency cannot be changed: the restaurant's prices are in it");
  r.only({"name", "address", "location", "time_zone", "series", "tax", "owners", "delivery_fee",
          "dispatch", "geofence", "auto_reject_after_s", "preorder_lead_s", "paused"},
         "a restaurant's PATCH");
  if (r.failed()) return r.error();
  RestaurantPatch p;
  if (Status read = read_patch(r, p); !read.ok()) return read.error();
  return p;
}

namespace {

void write_public_fields(JsonWriter& w, const projections::RestaurantView& r) {
  const RestaurantRegistered& d = r.details;
  w.key("id").string(r.id.to_string());
  w.key("name").string(d.name);
  w.key("address").string(d.address);
  w.key("location");
  write_location(w, d.location);
  w.key("currency").string(d.currency);
  w.key("paused").boolean(r.paused);
}

void write_owners(JsonWriter& w, const std::vector<std::string>& owners) {
  w.begin_array();
  for (const auto& o : owners) w.string(o);
  w.end_array();
}

}  // namespace

void write_settings(JsonWriter& w, const RestaurantSettings& s, std::string_view currency) {
  money_field(w, "delivery_fee", s.delivery_fee, currency);
  w.key("dispatch").begin_object();
  w.key("mode").string(dispatch_mode_name(s.dispatch.mode));
  w.key("offer_on").string(status_name(s.dispatch.offer_on));
  w.key("offer_to").number(static_cast<int64_t>(s.dispatch.offer_to));
  w.key("radius_m").number(static_cast<int64_t>(s.dispatch.radius_m));
  w.key("offer_timeout_s").number(static_cast<int64_t>(s.dispatch.offer_timeout_s));
  w.end_object();
  w.key("geofence").begin_object();
  w.key("enabled").boolean(s.geofence.enabled);
  w.key("near_restaurant_m").number(static_cast<int64_t>(s.geofence.near_restaurant_m));
  w.key("near_customer_m").number(static_cast<int64_t>(s.geofence.near_customer_m));
  w.end_object();
  w.key("auto_reject_after_s").number(static_cast<int64_t>(s.auto_reject_after_s));
  w.key("preorder_lead_s").number(static_cast<int64_t>(s.preorder_lead_s));
}

std::string public_restaurant_json(const projections::RestaurantView& r) {
  JsonWriter w;
  w.begin_object();
  write_public_fields(w, r);
  w.key("version").number(r.version);
  w.end_object();
  return w.take();
}

void write_restaurant(JsonWriter& w, const projections::RestaurantView& r) {
  const RestaurantRegistered& d = r.details;
  w.begin_object();
  write_public_fields(w, r);
  w.key("time_zone").string(d.time_zone);
  w.key("tax");
  write_tax_policy(w, d.tax);
  w.key("owners");
  write_owners(w, d.owners);
  w.key("series").string(d.series);
  write_settings(w, d.settings, d.currency);
  w.key("version").number(r.version);
  w.key("registered_at").string(format_utc(r.registered_at_us));
  w.end_object();
}

std::string restaurant_json(const projections::RestaurantView& restaurant) {
  JsonWriter w;
  write_restaurant(w, restaurant);
  return w.take();
}

void write_event_data(JsonWriter& w, const engine::Event& e,
                      const engine::RestaurantRegistered& p) {
  write_restaurant(w, projections::RestaurantView{e.stream, e.stream_version, e.recorded_at_us, p});
}

void write_event_data(JsonWriter& w, const engine::Event&, const engine::RestaurantUpdated& p,
                      std::string_view currency) {
  w.begin_object();
  if (p.name) w.key("name").string(*p.name);
  if (p.address) w.key("address").string(*p.address);
  if (p.location) {
    w.key("location");
    write_location(w, p.location);
  }
  if (p.time_zone) w.key("time_zone").string(*p.time_zone);
  if (p.tax) {
    w.key("tax");
    write_tax_policy(w, *p.tax);
  }
  if (p.owners) {
    w.key("owners");
    write_owners(w, *p.owners);
  }
  if (p.series) w.key("series").string(*p.series);
  if (p.settings) write_settings(w, *p.settings, currency);
  w.end_object();
}

void write_event_data(JsonWriter& w, const engine::Event&, const engine::RestaurantPaused&) {
  w.begin_object().end_object();
}

void write_event_data(JsonWriter& w, const engine::Event&, const engine::RestaurantResumed&) {
  w.begin_object().end_object();
}

}  // namespace comanda::api
