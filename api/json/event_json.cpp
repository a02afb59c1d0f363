#include "api/json/event_json.h"

#include "api/json/account_json.h"
#include "api/json/dispatch_json.h"
#include "api/json/driver_json.h"
#include "api/json/menu_json.h"
#include "api/json/order_json.h"
#include "api/json/restaurant_json.h"
#include "engine/base/time_text.h"

namespace comanda::api {

void write_event(JsonWriter& w, const engine::Event& e, std::string_view currency) {
  w.begin_object();
  w.key("type").string(engine::event_type_name(e.payload));
  w.key("position").number(e.position);
  w.key("stream").string(e.stream.to_string());
  w.key("version").number(e.stream_version);
  w.key("recorded_at").string(engine::format_utc(e.recorded_at_us));
  w.key("actor")
      .begin_object()
      .key("id")
      .string(e.actor.subject)
      .key("role")
      .string(engine::role_name(e.actor.role))
      .end_object();
  w.key("correlation_id").string(e.correlation_id.to_string());
  w.key("data");
  // Each resource's JSON (included above) has a write_event_data per event.
  std::visit(
      [&](const auto& payload) {
        if constexpr (requires { write_event_data(w, e, payload, currency); })
          write_event_data(w, e, payload, currency);
        else
          write_event_data(w, e, payload);
      },
      e.payload);
  w.end_object();
}

}  // namespace comanda::api
