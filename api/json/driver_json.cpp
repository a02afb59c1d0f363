#include "api/json/driver_json.h"

#include <cmath>

#include "api/json/body_reader.h"
#include "api/json/values_json.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

namespace {

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

}  // namespace

engine::Result<engine::RegisterDriver> parse_register_driver(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::RegisterDriver cmd;
  cmd.details.name = r.string("name", true, 200, 1);
  cmd.details.phone = r.string("phone", false, 40);
  cmd.details.user_id = r.account_id("user_id", false);
  cmd.details.vehicle = r.string("vehicle", false, 100);
  if (r.failed()) return r.error();
  return cmd;
}

engine::Result<engine::DriverLocationReported> parse_location(std::string_view body,
                                                              int64_t now_us) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  engine::DriverLocationReported ping;
  const auto lat = r.number("lat", true, -90, 90);
  const auto lng = r.number("lng", true, -180, 180);
  const auto heading = r.number("heading", false, 0, 360);
  const auto speed = r.number("speed", false, 0, 200);  // m/s: 720 km/h
  const auto accuracy = r.number("accuracy", false, 0, 100'000);
  const std::string at = r.string("at", false, 64);
  if (r.failed()) return r.error();
  ping.lat_e7 = static_cast<int32_t>(std::llround(*lat * 1e7));
  ping.lng_e7 = static_cast<int32_t>(std::llround(*lng * 1e7));
  if (heading) ping.heading_deg = static_cast<float>(*heading);
  if (speed) ping.speed_mps = static_cast<float>(*speed);
  if (accuracy) ping.accuracy_m = static_cast<float>(*accuracy);
  if (!at.empty()) {
    auto when = engine::parse_rfc3339(at);
    if (!when)
      return Error::invalid("at", "at must be an RFC 3339 time, such as 2026-11-24T12:00:00Z");
    constexpr int64_t kMaxAheadUs = int64_t{5} * 60 * 1'000'000;
    if (*when > now_us + kMaxAheadUs)
      return Error::unprocessable("at", "at is more than five minutes in the future");
    if (*when <= 0) return Error::unprocessable("at", "at must be after 1970");
    ping.reported_at_us = *when;
  }
  return ping;
}

void write_driver_position(JsonWriter& w, const Uuid& driver,
                           const projections::DriverPosition& position) {
  w.begin_object();
  w.key("driver_id").string(driver.to_string());
  write_location_fields(w, position.location, position.recorded_at_us);
  w.end_object();
}

void write_nearby_driver(JsonWriter& w, const projections::DriversModel::Nearby& nearby) {
  const projections::DriverView& d = nearby.driver;
  w.begin_object();
  w.key("driver_id").string(d.id.to_string());
  w.key("name").string(d.details.name);
  write_location_fields(w, d.position->location, d.position->recorded_at_us);
  w.key("availability").string(availability_name(d.availability));
  w.key("active").boolean(d.active);
  w.key("distance_m").number(std::round(nearby.distance_m * 10) / 10);  // to the decimetre
  w.end_object();
}

void write_driver(JsonWriter& w, const projections::DriverView& d) {
  w.begin_object();
  w.key("id").string(d.id.to_string());
  write_driver_fields(w, d.details);
  w.key("availability").string(availability_name(d.availability));
  w.key("active").boolean(d.active);
  w.key("order_id");  // busy: the delivery
  if (d.order.is_nil())
    w.null();
  else
    w.string(d.order.to_string());
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

void write_event_data(JsonWriter& w, const Event&, const DriverRegistered& p) {
  w.begin_object();
  write_driver_fields(w, p);
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const DriverAvailabilityChanged& p) {
  w.begin_object().key("availability").string(availability_name(p.availability));
  w.key("order_id");
  if (p.order_id.is_nil())
    w.null();
  else
    w.string(p.order_id.to_string());
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const DriverActiveChanged& p) {
  w.begin_object().key("active").boolean(p.active).end_object();
}

engine::Result<engine::Availability> parse_availability_body(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"availability"}, "a driver's availability");
  const std::string name = r.string("availability", true, 16);
  if (r.failed()) return r.error();
  auto a = parse_availability(name);
  if (!a || *a == Availability::kBusy)
    return Error::invalid("availability", "availability must be available or offline");
  return *a;
}

engine::Result<bool> parse_active_body(std::string_view body) {
  auto object = parse_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"active"}, "a driver's activation");
  auto active = r.boolean("active");
  if (r.failed()) return r.error();
  if (!active) return Error::invalid("active", "active is required");
  return *active;
}

void write_event_data(JsonWriter& w, const Event& e, const DriverLocationReported& p) {
  w.begin_object();
  write_location_fields(w, p, e.recorded_at_us);
  w.end_object();
}

}  // namespace comanda::api
