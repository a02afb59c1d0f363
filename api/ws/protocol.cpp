#include "api/ws/protocol.h"

#include <cstdint>

#include "api/json/body_reader.h"
#include "api/json/event_json.h"
#include "api/json/json_writer.h"

namespace comanda::api {

using engine::Error;

engine::Result<std::string> parse_ws_auth(std::string_view message) {
  auto object = parse_object(message);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  const std::string type = r.string("type", true, 32);
  const std::string token = r.string("token", false, 8192);
  if (r.failed()) return r.error();
  if (type != "auth")
    return Error::invalid("type", "the first message must be {\"type\": \"auth\", \"token\": ...}");
  if (token.empty()) return Error::invalid("token", "token is required");
  return token;
}

engine::Result<ClientMessage> parse_client_message(std::string_view message) {
  auto object = parse_object(message);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  const std::string type = r.string("type", true, 32);
  ClientMessage m;
  m.topic = r.string("topic", true, 256);
  const std::optional<int64_t> from = r.integer("from", false, 1, INT64_MAX);
  if (r.failed()) return r.error();
  if (type == "subscribe")
    m.type = ClientMessage::Type::kSubscribe;
  else if (type == "unsubscribe")
    m.type = ClientMessage::Type::kUnsubscribe;
  else
    return Error::invalid("type", "a message's type is subscribe or unsubscribe");
  if (from) {
    if (m.type != ClientMessage::Type::kSubscribe)
      return Error::invalid("from", "from goes with subscribe only");
    m.from = static_cast<uint64_t>(*from);
  }
  return m;
}

engine::Result<std::optional<Locations>> parse_locations(std::string_view message) {
  auto object = parse_object(message);
  if (!object.ok()) return std::move(object).error();
  ObjectReader r(*object, "");
  const std::string type = r.string("type", true, 32);
  if (r.failed() || (type != "location" && type != "locations")) return std::optional<Locations>();
  Locations out;
  out.id = r.string("id", false, 64);
  out.driver_id = r.string("driver_id", false, 64);
  out.batch = type == "locations";
  if (!out.batch) {
    if (r.failed()) return r.error();
    out.bodies.emplace_back(message);  // the route reads the ping's fields, not the rest
    return std::optional<Locations>(std::move(out));
  }
  auto pings = r.array("pings", true, 1, 100);
  if (r.failed()) return r.error();
  for (dom::element ping : *pings) {
    if (!ping.is_object()) return Error::invalid("pings", "each of pings must be an object");
    out.bodies.push_back(simdjson::minify(ping));
  }
  return std::optional<Locations>(std::move(out));
}

std::string authenticated_message(const engine::Principal& who) {
  JsonWriter w;
  w.begin_object().key("type").string("authenticated").key("subject").string(who.subject);
  w.key("role").string(engine::role_name(who.role)).end_object();
  return w.take();
}

std::shared_ptr<const std::string> event_message(const engine::Event& e, std::string_view currency,
                                                 std::string_view topic) {
  JsonWriter w;
  w.begin_object();
  w.key("type").string("event");
  w.key("topic").string(topic);
  w.key("position").number(e.position);
  w.key("event");
  write_event(w, e, currency);
  w.end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> notification_message(const projections::Notification& n,
                                                        std::string_view topic) {
  JsonWriter w;
  w.begin_object().key("type").string("notification").key("topic").string(topic);
  w.key("position").number(n.position).key("order_id").string(n.order_id.to_string());
  w.key("reference").string(n.reference).key("message").string(n.message);
  if (n.to == projections::Notification::To::kDriver) {
    w.key("restaurant_name").string(n.restaurant_name);
    w.key("restaurant_address").string(n.restaurant_address);
    w.key("delivery_address").string(n.delivery_address);
  }
  w.end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> subscribed_message(std::string_view topic, uint64_t position) {
  JsonWriter w;
  w.begin_object().key("type").string("subscribed").key("topic").string(topic);
  w.key("position").number(position).end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> caught_up_message(std::string_view topic, uint64_t position) {
  JsonWriter w;
  w.begin_object().key("type").string("caught_up").key("topic").string(topic);
  w.key("position").number(position).end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> unsubscribed_message(std::string_view topic) {
  JsonWriter w;
  w.begin_object().key("type").string("unsubscribed").key("topic").string(topic).end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> ack_message(std::string_view id, uint64_t position) {
  JsonWriter w;
  w.begin_object().key("type").string("ack");
  if (!id.empty()) w.key("id").string(id);
  w.key("position").number(position).end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> error_message(int status, std::string_view detail,
                                                 std::string_view topic, std::string_view field,
                                                 std::optional<uint64_t> position,
                                                 std::string_view id) {
  JsonWriter w;
  w.begin_object().key("type").string("error").key("status").number(status);
  w.key("detail").string(detail);
  if (!field.empty()) w.key("field").string(field);
  if (!topic.empty()) w.key("topic").string(topic);
  if (position) w.key("position").number(*position);
  if (!id.empty()) w.key("id").string(id);
  w.end_object();
  return std::make_shared<const std::string>(w.take());
}

}  // namespace comanda::api
