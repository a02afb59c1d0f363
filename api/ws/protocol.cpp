#include "api/ws/protocol.h"

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

std::string authenticated_message(const engine::Principal& who) {
  JsonWriter w;
  w.begin_object().key("type").string("authenticated").key("subject").string(who.subject);
  w.key("role").string(engine::role_name(who.role)).end_object();
  return w.take();
}

std::shared_ptr<const std::string> event_message(const engine::Event& e,
                                                 std::string_view currency) {
  JsonWriter w;
  w.begin_object();
  w.key("type").string("event");
  w.key("topic").string("events");
  w.key("position").number(e.position);
  w.key("event");
  write_event(w, e, currency);
  w.end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> error_message(int status, std::string_view detail) {
  JsonWriter w;
  w.begin_object()
      .key("type")
      .string("error")
      .key("status")
      .number(status)
      .key("detail")
      .string(detail)
      .end_object();
  return std::make_shared<const std::string>(w.take());
}

}  // namespace comanda::api
