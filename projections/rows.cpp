#include "projections/rows.h"

#include "engine/log/event_codec.h"

namespace comanda::projections {

std::string founding_event(const engine::Uuid& stream, const engine::Uuid& partition,
                           uint64_t position, int64_t recorded_at_us,
                           engine::EventPayload payload) {
  engine::Event e;
  e.position = position;
  e.stream = stream;
  e.stream_version = 1;
  e.partition = partition;
  e.recorded_at_us = recorded_at_us;
  e.payload = std::move(payload);
  std::string out;
  engine::encode_event(e, out);
  return out;
}

engine::Result<engine::Event> stored_event(std::string_view stored) {
  auto event = engine::decode_event(stored);
  if (!event.ok()) return engine::Error::corruption(event.error().message);
  return event;
}

engine::Status put_row(const RowSink& put, std::string_view key, const v1::ViewRow& row,
                       std::string& buffer) {
  buffer.clear();
  row.SerializeToString(&buffer);
  return put(key, buffer);
}

engine::Result<v1::ViewRow> parse_row(std::string_view model, std::string_view value) {
  v1::ViewRow row;
  if (!row.ParseFromArray(value.data(), static_cast<int>(value.size())))
    return bad_row(model, "does not parse");
  return row;
}

engine::Error bad_row(std::string_view model, std::string_view why) {
  return engine::Error::corruption("a row of the " + std::string(model) + " model " +
                                   std::string(why));
}

}  // namespace comanda::projections
