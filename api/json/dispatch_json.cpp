#include "api/json/dispatch_json.h"

#include "api/json/body_reader.h"
#include "api/json/values_json.h"
#include "engine/base/time_text.h"

namespace comanda::api {

using engine::Error;
using namespace comanda::engine;

namespace {

// An optional body: empty is {}.
Result<dom::object> optional_object(std::string_view body) {
  return parse_object(body.empty() ? std::string_view("{}") : body);
}

void write_drivers(JsonWriter& w, const std::vector<Uuid>& drivers) {
  w.key("drivers").begin_array();
  for (const Uuid& d : drivers) w.string(d.to_string());
  w.end_array();
}

}  // namespace

Result<AcceptDelivery> parse_accept_delivery(std::string_view body) {
  auto object = optional_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"driver_id"}, "an accept-delivery");
  const std::string driver = r.string("driver_id", false, 64);
  if (r.failed()) return r.error();
  AcceptDelivery cmd;
  if (!driver.empty()) {
    auto id = Uuid::parse(driver);
    if (!id) return Error::invalid("driver_id", "driver_id is not a valid id");
    cmd.driver_id = *id;
  }
  return cmd;
}

Result<DropDelivery> parse_drop_delivery(std::string_view body) {
  auto object = optional_object(body);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  r.only({"reason"}, "a drop-delivery");
  DropDelivery cmd;
  cmd.reason = r.string("reason", false, 500);
  if (r.failed()) return r.error();
  return cmd;
}

void write_event_data(JsonWriter& w, const Event&, const DriverOffered& p) {
  w.begin_object();
  write_drivers(w, p.drivers);
  w.key("expires_at").string(format_utc(p.expires_at_us));
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OfferExpired& p) {
  w.begin_object();
  write_drivers(w, p.drivers);
  w.end_object();
}

void write_event_data(JsonWriter& w, const Event&, const OfferWithdrawn& p) {
  w.begin_object().key("driver_id").string(p.driver.to_string()).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const DispatchWaiting& p) {
  w.begin_object().key("pickup");
  write_location(w, p.pickup);
  w.key("radius_m").number(static_cast<int64_t>(p.radius_m)).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const DriverAssigned& p) {
  w.begin_object().key("driver_id").string(p.driver.to_string()).end_object();
}

void write_event_data(JsonWriter& w, const Event&, const DriverUnassigned& p) {
  w.begin_object().key("driver_id").string(p.driver.to_string());
  w.key("reason").string(p.reason).end_object();
}

}  // namespace comanda::api
