#include "api/json/restaurant_json.h"

#include "api/json/body_reader.h"
#include "api/json/values_json.h"
#include "engine/base/text.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

engine::Result<engine::RegisterRestaurant> parse_register_restaurant(
    std::string_view body, const std::string& default_time_zone) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::RegisterRestaurant cmd;
  auto& d = cmd.details;
  d.name = r.string("name", true, 200, 1);
  d.address = r.string("address", false, 500);
  d.location = r.location("location");
  d.currency = r.string("currency", true, 3, 3);
  d.time_zone = r.string("time_zone", false, 64);
  d.series = r.string("series", false, 8);
  if (auto tax = r.object("tax", false)) {
    ObjectReader tr(*tax, "tax.");
    d.tax.rate_bp = static_cast<uint32_t>(tr.integer("rate_bp", true, 0, 10000).value_or(0));
    d.tax.included = tr.boolean("included").value_or(false);
    if (tr.failed()) r.fail(tr.error());
  }
  if (auto owners = r.array("owners", false, 0, 50)) {
    size_t i = 0;
    for (dom::element e : *owners) {
      std::string_view s;
      const std::string path = "owners[" + std::to_string(i++) + "]";
      if (e.get(s) != simdjson::SUCCESS || s.empty() || s.size() > 128 ||
          engine::has_control_character(s))
        return Error::invalid(path, path +
                                        " must be a user id (a string of 1 to 128 bytes, no "
                                        "control characters)");
      d.owners.emplace_back(s);
    }
  }
  if (r.failed()) return r.error();
  if (d.time_zone.empty()) d.time_zone = default_time_zone;
  return cmd;
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
}

}  // namespace

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
  w.key("owners").begin_array();
  for (const auto& o : d.owners) w.string(o);
  w.end_array();
  w.key("series").string(d.series);
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

}  // namespace comanda::api
